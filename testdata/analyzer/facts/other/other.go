// Package other is a module of its own, nested under example.com/facts: // want package:`sources\(\d+ declarations\)`
// its facts are recorded but tasks of example.com/facts do not follow them.
package other

import "os"

// Env reads the environment.
func Env() string { return os.Getenv("OTHER") } // want Env:`^reads env \(os.Getenv\)$`
