// Package util calls conf's helpers: its facts carry conf's reads on. // want package:`sources\(\d+ declarations\)`
package util

import "example.com/facts/conf"

// Zone reads the environment through conf.Region.
func Zone() string { return conf.Region() + "-a" } // want Zone:`^reads env \(os.Getenv, via example.com/facts/conf.Region\)$`

// Double is pure, as conf.Pure is: no fact.
func Double(x int) int { return conf.Pure(x) + conf.Pure(x) }
