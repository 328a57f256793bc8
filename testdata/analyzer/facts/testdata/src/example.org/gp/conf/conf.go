// Package conf reads the environment, in GOPATH mode.
package conf

import "os"

// Region reads the environment.
func Region() string { return os.Getenv("REGION") } // want Region:`^reads env \(os.Getenv\)$`
