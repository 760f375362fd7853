package notify

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

type notifierFunc func(context.Context, Notification) error

func (f notifierFunc) Notify(ctx context.Context, n Notification) error { return f(ctx, n) }

func TestMulti(t *testing.T) {
	ok := notifierFunc(func(context.Context, Notification) error { return nil })
	perm := notifierFunc(func(context.Context, Notification) error { return permanent(errors.New("bad key")) })
	retry := notifierFunc(func(context.Context, Notification) error { return retryable(errors.New("timeout")) })

	if err := (Multi{ok, ok}).Notify(context.Background(), sample); err != nil {
		t.Fatal(err)
	}
	err := Multi{ok, perm, retry}.Notify(context.Background(), sample)
	if err == nil || !strings.Contains(err.Error(), "notifier 1: bad key") || !strings.Contains(err.Error(), "notifier 2: timeout") {
		t.Fatalf("joined error %v", err)
	}
	if Permanent(err) {
		t.Error("a joined error with a retryable part must be retryable")
	}
	if err := (Multi{perm, ok, perm}).Notify(context.Background(), sample); !Permanent(err) {
		t.Errorf("all-permanent join: Permanent false for %v", err)
	}
}

func TestPermanent(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{nil, false},
		{context.Canceled, false},
		{errors.New("plain"), false},
		{fmt.Errorf("wrapped: %w", permanent(errors.New("x"))), true},
		{fmt.Errorf("wrapped: %w", retryable(errors.New("x"))), false},
		{errors.Join(), false},
	} {
		if got := Permanent(tc.err); got != tc.want {
			t.Errorf("Permanent(%v) = %v", tc.err, got)
		}
	}
}
