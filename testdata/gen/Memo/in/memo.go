// Package memo covers //memo:task: alone, keyed by an expression, with
// only an error result, and together with //cache:task.
package memo

import (
	"context"
	"strings"
)

// Config is applied to a machine.
type Config struct {
	Machine string
	Flags   map[string]bool
}

// Notify sends a notification; it returns only an error.
//
//memo:task
func Notify(ctx context.Context, to, text string) error { return nil }

// Apply applies a configuration once per machine, whatever the config is.
//
//memo:key=strings.ToLower(cfg.Machine)
func Apply(ctx context.Context, cfg Config) (int, error) {
	return len(cfg.Flags) + strings.Count(cfg.Machine, "-"), nil
}

// Fetch is memoised within a run and cached across runs: FetchMemo calls
// FetchCached.
//
//memo:task
//cache:task ttl=1h
func Fetch(ctx context.Context, url string) ([]byte, error) { return []byte(url), nil }

// Conn returns something that cannot be encoded: memoised in-process only.
//
//memo:task name=SharedConn
func Conn(addr string) chan string { return make(chan string) }
