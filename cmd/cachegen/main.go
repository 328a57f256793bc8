package main

import (
	"context"
	"os"
	"os/signal"

	_ "github.com/cachegen/cachegen/backends/gcs"   // gs:// for explain and the store commands
	_ "github.com/cachegen/cachegen/backends/redis" // redis://, rediss://
	_ "github.com/cachegen/cachegen/backends/s3"    // s3://
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
