// Package plain has a path without a dot: in GOPATH mode it is taken for
// the standard library and exports no facts.
package plain

import "os"

// Region reads the environment.
func Region() string { return os.Getenv("REGION") }
