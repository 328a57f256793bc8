// Package elsewhere is a module of its own, outside example.com/facts: // want package:`sources\(\d+ declarations\)`
// its facts are recorded but tasks of example.com/facts do not follow them.
package elsewhere

import "time"

// Now reads the clock.
func Now() int64 { return time.Now().Unix() } // want Now:`^reads clock \(time.Now\)$`
