// Package contract holds the wire format that the order service and the
// worker agree on: one example of each event, exactly as it travels on the
// bus. Each side's tests check its own code against the same example, so a
// field renamed or removed on one side fails that side's tests, not a
// consumer in production. Only tests import this package.
package contract

import _ "embed"

// OrderCreated is an order.created event for order ord-42 of customer c-7,
// total 45.00, accepted at 2026-03-14 09:30 UTC. The contract allows new
// fields; renaming or removing one is a breaking change for every consumer
// and for the events already stored in the stream.
//
//go:embed testdata/order.created.json
var OrderCreated []byte
