package main

import (
	"context"
	"os"
	"os/signal"

	"github.com/redis/go-redis/v9/logging"

	_ "github.com/cachegen/cachegen/backends/gcs"   // gs:// for explain and the store commands
	_ "github.com/cachegen/cachegen/backends/redis" // redis://, rediss://
	_ "github.com/cachegen/cachegen/backends/s3"    // s3://
)

func main() {
	// The command reports a store that cannot be reached in its own error;
	// go-redis's process-wide logger would repeat it on stderr.
	logging.Disable()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
