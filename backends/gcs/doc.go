// Package gcs is the Google Cloud Storage store of cachegen, registered
// under the URL scheme gs when the package is imported:
//
//	import _ "github.com/cachegen/cachegen/backends/gcs"
//
//	CACHEGEN_STORE=gs://my-bucket/team/cache
//
// It lives in its own package so that only programs importing it link the
// cloud.google.com/go/storage dependency tree.
//
// # Objects
//
// The URL's host is the bucket (which must exist: [New] checks, so a
// misspelt name fails at open rather than as a miss on every call) and its
// path the prefix: key k is the object "team/cache/k", and Info.Key never
// shows the prefix. Info.Version is the object's generation, so
// PutOptions.IfAbsent and IfVersion become the server-checked preconditions
// DoesNotExist (ifGenerationMatch=0) and GenerationMatch; HTTP 412 is
// [backends.ErrPrecondition], a missing object [backends.ErrNotFound]. A
// Get is one request (the reader's response carries size, time and
// generation); [Store.ReadAll] reads a whole object into one buffer of its
// exact size, and is what the runtime uses for hits. Lists come from the
// SDK's iterator, which follows page tokens; GCS lists names in byte order,
// which is key order, and the store checks that as it goes. An object named
// exactly the prefix (a Cloud Console "folder") is not listed.
//
// # Large values
//
// A Put streams: a value no larger than its chunk (ChunkSize, 8 MiB by
// default, or just above PutOptions.Size when that is smaller) goes up in
// one request; a larger one as a resumable upload, one chunk per request,
// so a Put holds at most one chunk in memory. A failed read of the caller's
// reader, or a cancelled context, abandons the upload and leaves the old
// object in place. Measured against the emulator (TestLargeValue): writing
// and reading back 1 GiB peaked at 17 MiB of Go heap in use and the test
// process's peak RSS at 47 MiB (256 MiB: 13 MiB and 43 MiB).
//
// # Failures
//
// The store never lets a dead or hung server hang its caller. A client the
// store makes tries a retryable request (connection refused or reset, 429,
// 5xx) at most MaxAttempts times (3), with backoff from 50 ms, where the
// SDK's default would retry until the context ends. Config.Timeout (30 s)
// bounds each request: a Get until its response starts (the body then
// streams under the caller's context), a Delete, a one-request Put, each
// chunk of a larger Put. So a killed server fails an operation in
// milliseconds, a stopped one in one Timeout; the runtime then computes the
// value and counts a StoreError (see TestServerStoppedMidRun and
// TestServerHung). A cancelled context fails an operation before anything
// is sent. Errors read "gcs: get <key>: ...".
//
// # Credentials and endpoints
//
// Credentials come from the SDK's default chain (GOOGLE_APPLICATION_CREDENTIALS,
// gcloud's application default credentials, the metadata server); the store
// never logs them, and a gs:// URL cannot carry any. Config.Endpoint (URL
// parameter endpoint) points the store elsewhere: an http:// endpoint, such
// as an emulator on loopback, is used without credentials, since they would
// travel in clear text; the SDK's STORAGE_EMULATOR_HOST is honoured as well.
// A caller can also hand over its own *storage.Client in Config.Client; the
// store then keeps that client's retry settings and does not close it.
//
// # Tests
//
// The tests run the storetest suite and the runtime against
// fake-gcs-server, which scripts/test installs into .tools/bin (found
// through $CACHEGEN_TOOLS or by walking up to .tools/bin); without it the
// tests skip, or fail when CI=true. The emulator runs with its memory
// backend: its filesystem backend cannot hold "a/b" and "a/b/c" at once.
package gcs
