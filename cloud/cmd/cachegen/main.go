package main

import (
	_ "github.com/cachegen/cachegen/backends/gcs"   // gs://
	_ "github.com/cachegen/cachegen/backends/redis" // redis://, rediss://
	_ "github.com/cachegen/cachegen/backends/s3"    // s3://
	"github.com/cachegen/cachegen/internal/cli"
)

func main() { cli.Exit() }
