// Package testmod writes Go modules for tests: a module in a temporary
// directory that uses this repository's packages (the generated code's
// runtime) through a replace directive, so a test can run go generate,
// build, vet or analyse it as a user's module.
package testmod
