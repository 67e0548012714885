//go:build !race

package main

// raceEnabled: this test binary was built without -race (see TestMain).
const raceEnabled = false
