package main

import (
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"

	"example.com/orders/payment"
)

// --8<-- [start:policy]

// retryPolicy is how the worker retries a failed event and waits out a
// provider outage. The defaults are production's; the flags exist so that
// a test, or a drill, can play a whole outage in seconds.
type retryPolicy struct {
	maxDeliver     int
	backoff        durations
	breakerOpenFor time.Duration
}

// Six tries over about three minutes, then the dead-letter stream; the
// breaker lets a trial call through every 30 seconds.
func defaultRetryPolicy() retryPolicy {
	return retryPolicy{
		maxDeliver: 6,
		backoff: durations{time.Second, 5 * time.Second,
			15 * time.Second, 30 * time.Second, 2 * time.Minute},
		breakerOpenFor: payment.OpenTimeout,
	}
}

// addFlags defines the policy's flags on fs. An environment variable, if
// set, replaces the default; a flag on the command line overrides both.
func (p *retryPolicy) addFlags(fs *flag.FlagSet,
	getenv func(string) string) error {
	fs.IntVar(&p.maxDeliver, "max-deliver", p.maxDeliver,
		"tries per event before it is dead-lettered (MAX_DELIVER)")
	fs.Var(&p.backoff, "retry-backoff",
		"waits before each retry, the last repeating (RETRY_BACKOFF)")
	fs.DurationVar(&p.breakerOpenFor, "breaker-open-for", p.breakerOpenFor,
		"how long the breaker stays open before a trial call "+
			"(BREAKER_OPEN_FOR)")
	for _, f := range []struct{ flag, env string }{
		{"max-deliver", "MAX_DELIVER"},
		{"retry-backoff", "RETRY_BACKOFF"},
		{"breaker-open-for", "BREAKER_OPEN_FOR"},
	} {
		if v := getenv(f.env); v != "" {
			if err := fs.Set(f.flag, v); err != nil {
				return fmt.Errorf("%s=%q: %w", f.env, v, err)
			}
		}
	}
	return nil
}

// check reports a policy the worker cannot run with.
func (p retryPolicy) check() error {
	var problems []error
	if p.maxDeliver < 1 {
		problems = append(problems, fmt.Errorf(
			"-max-deliver is %d, want at least 1", p.maxDeliver))
	}
	if p.breakerOpenFor <= 0 {
		problems = append(problems, fmt.Errorf(
			"-breaker-open-for is %s, want more than 0", p.breakerOpenFor))
	}
	return errors.Join(problems...)
}

// --8<-- [end:policy]

// durations is a flag.Value: Go durations separated by commas.
type durations []time.Duration

func (d *durations) String() string {
	parts := make([]string, len(*d))
	for i, v := range *d {
		parts[i] = v.String()
	}
	return strings.Join(parts, ",")
}

// Set replaces the list, so a flag overrides an environment variable
// instead of adding to it.
func (d *durations) Set(s string) error {
	var list durations
	for part := range strings.SplitSeq(s, ",") {
		v, err := time.ParseDuration(strings.TrimSpace(part))
		if err != nil {
			return err
		}
		if v <= 0 {
			return fmt.Errorf("wait %s is not positive", v)
		}
		list = append(list, v)
	}
	*d = list
	return nil
}
