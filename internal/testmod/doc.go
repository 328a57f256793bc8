// Package testmod writes Go modules for tests: a module in a temporary
// directory that uses this repository's packages (the generated code's
// runtime) through a replace directive, so a test can run go generate,
// build, vet or analyse it as a user's module. The repository's nested
// modules (backends/s3, backends/gcs, cloud) are replaced in on request,
// and ScriptParams gives txtar scripts (testscript) the same setting, for
// the command's tests in internal/cli and in the cloud module.
package testmod
