// Package conf holds helpers that read hidden inputs, and one that does not. // want package:`sources\(\d+ declarations\)`
package conf

import (
	"os"
	"time"
)

// Region reads the environment through an unexported helper, which gets
// no fact of its own: no other package can call it.
func Region() string { return lookup("REGION") } // want Region:`^reads env \(os.Getenv\)$`

func lookup(k string) string { return os.Getenv(k) }

// Stamp reads the clock.
func Stamp() int64 { return time.Now().Unix() } // want Stamp:`^reads clock \(time.Now\)$`

// Both reads the environment and the clock.
func Both() (string, int64) { return Region(), Stamp() } // want Both:`^reads env \(os.Getenv\), clock \(time.Now\)$`

var hits int // assigned in Hit: mutable, but unexported: no fact

// Hit counts a hit; reading hits to increment it is a read too.
func Hit() { hits++ } // want Hit:`^reads globals \(example.com/facts/conf.hits\)$`

// Hits reads the mutable hits.
func Hits() int { return hits } // want Hits:`^reads globals \(example.com/facts/conf.hits\)$`

// Counter is assigned in Bump: other packages reading it read a global.
var Counter int // want Counter:`^reads globals \(example.com/facts/conf.Counter\)$`

// Limit is never assigned again: no fact.
var Limit = 10

// Scale is assigned only by package task: conf itself gives it no fact.
var Scale = 1

// Bump increments Counter.
func Bump() { Counter++ } // want Bump:`^reads globals \(example.com/facts/conf.Counter\)$`

// Pure reads only its parameter and an immutable variable: no fact.
func Pure(x int) int { return x*2 + Limit }

// Config is read through a method.
type Config struct{ Name string }

// Home reads the environment.
func (c *Config) Home() string { return os.Getenv("HOME") + c.Name } // want Home:`^reads env \(os.Getenv\)$`

// ping and pong call each other; the cycle ends in the clock.
func ping(n int) int64 {
	if n == 0 {
		return 0
	}
	return pong(n - 1)
}

func pong(n int) int64 {
	if n == 1 {
		return time.Since(time.Time{}).Nanoseconds()
	}
	return ping(n)
}

// Cycle reads the clock through a cycle of helpers.
func Cycle(n int) int64 { return ping(n) } // want Cycle:`^reads clock \(time.Since\)$`
