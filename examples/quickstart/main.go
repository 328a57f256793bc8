package main

//go:generate go run github.com/cachegen/cachegen/cmd/cachegen

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	cgrt "github.com/cachegen/cachegen/runtime"
)

// Stats summarises a text.
type Stats struct {
	Words   int
	Longest string
	Top     []string       // the most frequent words, most frequent first
	Counts  map[string]int // how often each word occurs
}

// Analyze counts the words of text. It stands for any expensive, pure
// function: it sleeps to make the cost visible.
//
//cache:task
func Analyze(ctx context.Context, text string, top int) (Stats, error) {
	select {
	case <-time.After(800 * time.Millisecond):
	case <-ctx.Done():
		return Stats{}, ctx.Err()
	}
	s := Stats{Counts: make(map[string]int)}
	for _, w := range strings.Fields(strings.ToLower(text)) {
		w = strings.Trim(w, ".,;:!?\"'")
		s.Words++
		s.Counts[w]++
		if len(w) > len(s.Longest) {
			s.Longest = w
		}
	}
	for w := range s.Counts {
		s.Top = append(s.Top, w)
	}
	slices.SortFunc(s.Top, func(a, b string) int {
		if d := s.Counts[b] - s.Counts[a]; d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
	s.Top = s.Top[:min(top, len(s.Top))]
	return s, nil
}

const text = `It is a truth universally acknowledged, that a single man in possession
of a good fortune, must be in want of a wife.`

func main() {
	ctx := context.Background()
	rt := cgrt.Default()
	if rt.Store() == nil {
		fmt.Fprintln(os.Stderr, "quickstart: no store; results are cached in this process only")
	}
	for call := 1; call <= 2; call++ {
		before := rt.Stats()
		start := time.Now()
		s, err := AnalyzeCached(ctx, text, 3)
		if err != nil {
			fmt.Fprintln(os.Stderr, "quickstart:", err)
			os.Exit(1)
		}
		fmt.Printf("call %d: %-17s %8s  words=%d top=%v\n", call, outcome(before, rt.Stats()),
			time.Since(start).Round(time.Microsecond), s.Words, s.Top)
	}
	fmt.Printf("time saved: %s\n", rt.Stats().TimeSaved.Round(time.Millisecond))
}

// outcome names what happened between two snapshots of the counters.
func outcome(before, after cgrt.Stats) string {
	switch {
	case after.StoreHits > before.StoreHits:
		return "hit (from store)"
	case after.MemoryHits > before.MemoryHits:
		return "hit (in memory)"
	case after.Misses > before.Misses:
		return "miss (computed)"
	}
	return "uncached"
}
