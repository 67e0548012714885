package contract_test

import (
	"encoding/json"
	"fmt"
	"time"

	"example.com/orders/contract"
	"example.com/orders/order"
)

// --8<-- [start:example]

// The contract's example as the worker reads it.
func ExampleOrderCreated() {
	var e order.Event
	if err := json.Unmarshal(contract.OrderCreated, &e); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(e.Type, e.OrderID, e.CustomerID, e.TotalCents)
	fmt.Println(e.At.Format(time.RFC3339))
	// Output:
	// order.created ord-42 c-7 4500
	// 2026-03-14T09:30:00Z
}

// --8<-- [end:example]
