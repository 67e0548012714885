package order_test

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"example.com/orders/contract"
	"example.com/orders/order"
)

// --8<-- [start:producer-test]

// The order service's side of the contract: the event it stores in the
// outbox, and the bus carries, is the contract's example as JSON (field
// order aside). A renamed JSON tag fails here, before any worker that
// still reads the old name receives an event.
func TestCreatedEventMatchesTheContract(t *testing.T) {
	o := order.Order{
		ID: "ord-42", CustomerID: "c-7", TotalCents: 4500,
		CreatedAt: time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC),
	}
	data, err := json.Marshal(o.CreatedEvent())
	if err != nil {
		t.Fatal(err)
	}

	var got, want map[string]any
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(contract.OrderCreated, &want); err != nil {
		t.Fatalf("contract/testdata/order.created.json: %v", err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("the order service sends\n%s\nthe contract says\n%s",
			data, contract.OrderCreated)
	}
}

// --8<-- [end:producer-test]
