// Package testserver starts the real servers the store tests run against
// on loopback: versitygw (S3-compatible), fake-gcs-server (the GCS
// emulator) and redis-server. scripts/test installs them, pinned, into
// .tools/bin; a test whose server is missing skips, except under CI=true,
// where it fails, so CI can never pass by skipping.
package testserver
