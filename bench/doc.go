// Package bench measures cachegen's generated wrappers against the floors
// of their jobs and against the Go libraries a user would pick instead
// (patrickmn/go-cache with x/sync/singleflight, maypok86/otter/v2,
// dgraph-io/ristretto/v2, hashicorp/golang-lru/v2), each doing the same key
// work. It is a module of its own, so the peers never enter the main
// module's requirements. Run ./run for the table the README quotes.
package bench

//go:generate sh -c "go build -C .. -o .tools/bin/cachegen ./cmd/cachegen && ../.tools/bin/cachegen"
