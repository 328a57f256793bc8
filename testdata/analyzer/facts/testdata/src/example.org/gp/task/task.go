// Package task calls helpers of other packages in GOPATH mode, where
// there is no module: the facts of every package are followed.
package task

import (
	"plain"

	"example.org/gp/conf"
)

// Direct calls conf.Region.
//
// want +2 `^Direct reads the environment \(os.Getenv, via example.org/gp/conf.Region\) which`
//
//cache:task
func Direct() string { return conf.Region() } // want Direct:`reads env`

// Plain calls a helper of a package that has no facts: silent.
//
//cache:task
func Plain() string { return plain.Region() }
