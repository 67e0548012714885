//go:build race

package main

// raceEnabled: this test binary was built with -race (see TestMain).
const raceEnabled = true
