package runtime

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/cachegen/cachegen/backends"
)

// TestBreaker walks the circuit breaker through its states with a
// controlled clock: failures in a row open it (one log line), it skips the
// store until the backoff has passed, lets one probe through at a time,
// doubles the backoff while probes fail, and closes on a probe that
// succeeds (one log line).
func TestBreaker(t *testing.T) {
	now := time.Unix(1000, 0)
	var logs bytes.Buffer
	br := newBreaker(Budget{Failures: 3, Backoff: 2 * time.Second, MaxBackoff: 5 * time.Second},
		func() time.Time { return now }, slog.New(slog.NewTextHandler(&logs, nil)))
	ctx := context.Background()
	fail := errors.New("connection refused")
	op := func(err error) (allowed bool) {
		ok, probe := br.allow()
		if ok {
			br.done(ctx, probe, err)
		}
		return ok
	}
	op(fail)
	op(fail)
	op(nil) // a success resets the count
	op(fail)
	op(fail)
	op(backends.ErrNotFound) // a miss is an answer
	if br.isOpen() {
		t.Fatal("the breaker opened before 3 failures in a row")
	}
	op(fail)
	op(fail)
	if br.isOpen() {
		t.Fatal("a miss did not reset the count of failures")
	}
	op(fail)
	if !br.isOpen() {
		t.Fatal("3 failures in a row did not open the breaker")
	}
	if op(nil) {
		t.Error("an open breaker let an operation through before its backoff")
	}
	now = now.Add(2 * time.Second)
	ok, probe := br.allow()
	if !ok || !probe {
		t.Fatalf("after the backoff: allow = %v, %v; want a probe", ok, probe)
	}
	if again, _ := br.allow(); again {
		t.Error("a second operation went through while the probe was in flight")
	}
	br.done(ctx, true, fail)
	now = now.Add(2 * time.Second)
	if op(nil) {
		t.Error("after a failed probe the backoff did not double")
	}
	now = now.Add(2 * time.Second)
	if !op(nil) {
		t.Error("the doubled backoff passed, but no probe went through")
	}
	if br.isOpen() {
		t.Error("a successful probe did not close the breaker")
	}
	text := logs.String()
	if strings.Count(text, "keeps failing") != 1 || strings.Count(text, "answers again") != 1 {
		t.Errorf("want one line when the breaker opens and one when it closes:\n%s", text)
	}
	if br.skipped.Load() != 3 || br.opens.Load() != 1 {
		t.Errorf("skipped %d, opens %d; want 3 and 1", br.skipped.Load(), br.opens.Load())
	}
	// A caller that gives up says nothing about the store.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	for range 5 {
		ok, probe := br.allow()
		br.done(cctx, probe, context.Canceled)
		if !ok {
			t.Fatal("closed breaker refused")
		}
	}
	if br.isOpen() {
		t.Error("cancelled callers opened the breaker")
	}
}

// TestParseStoreTimeout checks CACHEGEN_STORE_TIMEOUT.
func TestParseStoreTimeout(t *testing.T) {
	var b Budget
	if err := parseStoreTimeout("500ms", &b); err != nil || b.Read != 500*time.Millisecond || b.Write != 1500*time.Millisecond {
		t.Errorf("500ms: %+v, %v", b, err)
	}
	if err := parseStoreTimeout("off", &b); err != nil || b.Read >= 0 || b.Write >= 0 {
		t.Errorf("off: %+v, %v", b, err)
	}
	if err := parseStoreTimeout("5 seconds", &b); err == nil {
		t.Errorf("a malformed value was accepted")
	}
	if d := (budgetStore{br: newBreaker(Budget{}, time.Now, slog.Default())}).writeDeadline(64 << 20); d != DefaultWriteTimeout+8*time.Second {
		t.Errorf("write deadline of 64 MiB = %v, want the base + 8s", d)
	}
}
