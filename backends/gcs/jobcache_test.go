package gcs_test

import (
	"testing"

	"github.com/cachegen/cachegen/backends"
	"github.com/cachegen/cachegen/backends/gcs"
	"github.com/cachegen/cachegen/runtime/jobcachetest"
)

// TestJobCache runs the job cache suite on the GCS store, a fresh bucket
// per store, listing in pages of 5 so that Keys and Groups follow page
// tokens.
func TestJobCache(t *testing.T) {
	e := needEmulator(t)
	large := int64(256 << 20) // many chunks of a resumable upload
	if testing.Short() {
		large = 20 << 20
	}
	jobcachetest.Run(t, func(t *testing.T) backends.Store {
		return e.newStore(t, gcs.Config{Bucket: e.newBucket(t), ListPageSize: 5, ChunkSize: 8 << 20})
	}, jobcachetest.Options{Large: large})
}
