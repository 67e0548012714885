package order_test

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"example.com/orders/order"
)

func TestValidate(t *testing.T) {
	valid := order.Order{CustomerID: "c-1", Items: []order.Item{{SKU: "A", Quantity: 1, PriceCents: 100}}}
	tests := []struct {
		name   string
		change func(*order.Order)
		want   []string // nil means valid
	}{
		{"valid", func(*order.Order) {}, nil},
		{"free items are allowed", func(o *order.Order) { o.Items[0].PriceCents = 0 }, nil},
		{"no customer", func(o *order.Order) { o.CustomerID = " " }, []string{"customer_id is required"}},
		{"no items", func(o *order.Order) { o.Items = nil }, []string{"items must not be empty"}},
		{"every problem at once", func(o *order.Order) {
			o.Items = append(o.Items, order.Item{Quantity: 0, PriceCents: -1})
		}, []string{
			"items[1].sku is required",
			"items[1].quantity must be between 1 and 10000",
			"items[1].price_cents must be between 0 and 100000000",
		}},
		{"a total above the limit", func(o *order.Order) {
			o.Items[0] = order.Item{SKU: "A", Quantity: 10_000,
				PriceCents: 100_000_000}
		}, []string{"total_cents must not exceed 1000000000"}},
		{"too many lines", func(o *order.Order) {
			o.Items = make([]order.Item, order.MaxItems+1)
		}, []string{"items has 101 lines, at most 100 are allowed"}},
		{"an overlong customer id", func(o *order.Order) {
			o.CustomerID = strings.Repeat("c", 65)
		}, []string{"customer_id is longer than 64 bytes"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := valid
			o.Items = slices.Clone(valid.Items)
			tt.change(&o)

			err := o.Validate()
			var invalid *order.ValidationError
			switch {
			case tt.want == nil && err != nil:
				t.Fatalf("Validate() = %v, want nil", err)
			case tt.want != nil && !errors.As(err, &invalid):
				t.Fatalf("Validate() = %v, want a *ValidationError", err)
			case tt.want != nil && !slices.Equal(invalid.Problems, tt.want):
				t.Errorf("problems = %q, want %q", invalid.Problems, tt.want)
			}
		})
	}
}

func TestTotal(t *testing.T) {
	o := order.Order{Items: []order.Item{{Quantity: 2, PriceCents: 1500},
		{Quantity: 1, PriceCents: 99}}}
	if got, ok := o.Total(); got != 3099 || !ok {
		t.Errorf("Total() = %d, %v; want 3099, true", got, ok)
	}
}

func TestTotalReportsOverflowInsteadOfWrapping(t *testing.T) {
	for name, items := range map[string][]order.Item{
		"one line": {{Quantity: 2, PriceCents: math.MaxInt64/2 + 1}},
		"the sum": {{Quantity: 1, PriceCents: math.MaxInt64},
			{Quantity: 1, PriceCents: 1}},
	} {
		if got, ok := (order.Order{Items: items}).Total(); ok {
			t.Errorf("%s: Total() = %d, true; want an overflow", name, got)
		}
	}
}

func TestMemoryStoreCopiesItems(t *testing.T) {
	s := order.NewMemoryStore()
	o := order.Order{ID: "o-1", Items: []order.Item{{SKU: "A", Quantity: 1}}}
	if _, _, err := s.Create(t.Context(), o, order.Request{}); err != nil {
		t.Fatal(err)
	}
	o.Items[0].Quantity = 99 // the caller changes its own copy afterwards

	got, err := s.Get(t.Context(), "o-1")
	if err != nil {
		t.Fatal(err)
	}
	if got.Items[0].Quantity != 1 {
		t.Errorf("stored quantity = %d, want 1: the store aliased the caller's slice", got.Items[0].Quantity)
	}
	if _, err := s.Get(t.Context(), "nope"); !errors.Is(err, order.ErrNotFound) {
		t.Errorf("Get(missing) = %v, want ErrNotFound", err)
	}
}
