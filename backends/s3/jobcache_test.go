package s3_test

import (
	"testing"

	"github.com/cachegen/cachegen/backends"
	"github.com/cachegen/cachegen/runtime/jobcachetest"
)

// TestJobCache runs the job cache suite on the S3 store, a fresh bucket per
// store. versitygw maps keys to files, so a key and a group of the same
// name cannot coexist.
func TestJobCache(t *testing.T) {
	srv := needServer(t)
	large := int64(256 << 20) // many 8 MiB parts of a multipart upload
	if testing.Short() {
		large = 20 << 20
	}
	jobcachetest.Run(t, func(t *testing.T) backends.Store {
		return srv.open(t, srv.newBucket(t), "jobs")
	}, jobcachetest.Options{Large: large, NoObjectAsPrefix: true})
}
