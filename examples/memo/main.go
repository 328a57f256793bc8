package main

//go:generate go run github.com/cachegen/cachegen/cmd/cachegen

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"time"

	cgrt "github.com/cachegen/cachegen/runtime"
)

// Summary is the result of the slow step.
type Summary struct {
	Day    string
	Orders int
	Top    []string
}

// Summarise stands for a slow step (a query, a model run).
//
//memo:task
func Summarise(ctx context.Context, day string) (Summary, error) {
	time.Sleep(500 * time.Millisecond)
	return Summary{Day: day, Orders: 42, Top: []string{"tea", "scones"}}, nil
}

// sent counts the notifications this process really sent.
var sent atomic.Int64

// Notify stands for a side effect that must happen once per run: an e-mail.
//
//memo:task
func Notify(ctx context.Context, to, subject string) error {
	sent.Add(1)
	fmt.Printf("  sending %q to %s\n", subject, to)
	return nil
}

func main() {
	runID := flag.String("run", os.Getenv(cgrt.EnvRun), "a durable run's ID: its memo entries are kept in the store")
	flag.Parse()
	ctx := context.Background()
	if *runID != "" {
		ctx = cgrt.NewRun(ctx, cgrt.RunID(*runID))
	}
	start := time.Now()
	s, err := SummariseMemo(ctx, "2026-11-23")
	if err != nil {
		fmt.Fprintln(os.Stderr, "memo:", err)
		os.Exit(1)
	}
	fmt.Printf("summary of %s: %d orders, top %s (%s)\n", s.Day, s.Orders, strings.Join(s.Top, ", "), time.Since(start).Round(time.Millisecond))
	subject := fmt.Sprintf("%d orders on %s", s.Orders, s.Day)
	for range 3 { // three parts of the program ask for the same notification
		if err := NotifyMemo(ctx, "ops@example.com", subject); err != nil {
			fmt.Fprintln(os.Stderr, "memo:", err)
			os.Exit(1)
		}
	}
	fmt.Printf("notifications sent by this process: %d (run %q)\n", sent.Load(), *runID)
}
