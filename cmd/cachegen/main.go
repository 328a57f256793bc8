package main

import (
	_ "github.com/cachegen/cachegen/backends/redis" // redis://, rediss://
	"github.com/cachegen/cachegen/internal/cli"
)

// This build opens mem://, file:// (through runtime) and redis:// stores.
// The s3:// and gs:// stores live in modules of their own, so that a tool
// dependency on this command pulls no cloud SDK into a user's go.mod; the
// build that opens them is github.com/cachegen/cachegen/cloud/cmd/cachegen.
func main() { cli.Exit() }
