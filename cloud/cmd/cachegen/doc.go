// Command cachegen is the cachegen command with every store this
// repository ships: mem://, file://, redis:// and rediss://, and also s3://
// (aws-sdk-go-v2) and gs:// (cloud.google.com/go/storage).
//
// It is the same command as github.com/cachegen/cachegen/cmd/cachegen (same
// flags, output and exit codes; see that package's documentation), built
// in a module of its own so that only the users who want the store
// commands, explain or the web view on a cloud bucket take the cloud SDKs
// into their go.mod:
//
//	go get -tool github.com/cachegen/cachegen/cloud/cmd/cachegen
//
//	//go:generate go tool cachegen
//
// Generating and vetting never open a store, so the smaller build is
// enough for them. A program that caches in S3 or GCS imports the store
// itself (import _ "github.com/cachegen/cachegen/backends/s3").
package main
