package order_test

import (
	"errors"
	"slices"
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
			"items[1].quantity must be at least 1",
			"items[1].price_cents must not be negative",
		}},
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
	o := order.Order{Items: []order.Item{{Quantity: 2, PriceCents: 1500}, {Quantity: 1, PriceCents: 99}}}
	if got := o.Total(); got != 3099 {
		t.Errorf("Total() = %d, want 3099", got)
	}
}

func TestMemoryStoreCopiesItems(t *testing.T) {
	s := order.NewMemoryStore()
	o := order.Order{ID: "o-1", Items: []order.Item{{SKU: "A", Quantity: 1}}}
	if err := s.Save(t.Context(), o); err != nil {
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
