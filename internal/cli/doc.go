// Package cli is the cachegen command: flag parsing, usage errors, help
// pages and the printing of every subcommand (generate, vet, explain, ui,
// ls, stats, inspect, purge, gc, version). The work itself is library code
// in gen, analyzer, runtime, runtime/catalog and backends.
//
// It is a package rather than a main so that two builds share it:
// cmd/cachegen, with the stores of this module (mem://, file://, redis://),
// and the cloud module's cloud/cmd/cachegen, which adds s3:// and gs://
// without putting the cloud SDKs into every user's go.mod. [Main] opens
// whatever store schemes the calling program has registered.
package cli
