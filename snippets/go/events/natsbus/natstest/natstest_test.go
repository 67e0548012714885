package natstest_test

import (
	"testing"

	"example.com/orders/events/natsbus/natstest"
)

func TestStartedServerStoresWhatIsPublishedOnTheOrderStream(t *testing.T) {
	js := natstest.Start(t)
	if _, err := js.Publish(t.Context(), "order.created", []byte("{}")); err != nil {
		t.Fatal(err)
	}
	if got := natstest.Messages(t, js); got != 1 {
		t.Fatalf("%d messages in the stream, want 1", got)
	}
}
