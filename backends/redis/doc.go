// Package redis is a [backends.Store] on a Redis or Valkey server: a
// low-latency store shared by the processes and machines of a team, alone
// or as the shared level of a tiered store (backends/tiered).
//
// Importing it registers the redis:// and rediss:// (TLS) schemes:
//
//	import _ "github.com/cachegen/cachegen/backends/redis"
//
//	CACHEGEN_STORE=redis://cache.internal:6379/2?prefix=team-a/
//
// The URL's path is the database number (default 0) and prefix= a key
// prefix that keeps stores apart on one database. A user and password come
// from the URL's userinfo, else from CACHEGEN_REDIS_USERNAME and
// CACHEGEN_REDIS_PASSWORD; they are never printed (see [backends.Redact]).
// rediss:// verifies the server against the system's roots, or against the
// PEM file ca= names.
//
// # How objects are kept
//
// An object is one Redis string, <prefix>o:<key>, holding a one-line
// header ("cg1 <version> <size> <modified> <chunks>") and, for values up
// to 1 MiB, the value itself: a hit is one GET, one round trip. A larger
// value is written as 1 MiB chunks under <prefix>c:<version>:<n> first,
// then committed by the object's header, so Redis's 512 MB limit on a
// string never applies and a reader streams with a few MiB of memory. Writes
// commit through a Lua script, atomically: the header, the precondition
// (create-if-absent, compare-and-swap on the version) and the listing
// index change together, so leases (the lock option) work across
// machines. Chunks of a replaced or deleted value expire a minute later,
// so a reader in the middle of the old value still finishes it; chunks of
// a write that never committed expire after an hour.
//
// # Listing
//
// Redis's SCAN is unsorted, so every key is also a member of one sorted
// set, <prefix>index, with score 0: ZRANGEBYLEX yields keys in byte order
// from any prefix. List reads it 256 keys at a time and fetches their
// headers (GETRANGE, pipelined): memory stays one page, whatever the store
// holds. The index costs one ZADD per new key and about the key's length
// plus 50 bytes of server memory per object.
//
// # Expiry
//
// [backends.PutOptions].TTL (a task's ttl=) becomes the key's expiry, so
// Redis drops what is dead; its index entry is removed by the next listing
// that meets it. Under an eviction policy that may evict keys without an
// expiry (allkeys-lru), Redis may drop the index itself and listings (ls,
// gc) then miss objects; use noeviction or a volatile-* policy.
//
// go-redis prints a failed dial to standard error through its own,
// process-wide logger; cachegen leaves that setting to the program
// (goredis.SetLogger), and reports store failures through the runtime's
// slog logger.
//
// The store needs one Redis or Valkey server (or a primary with replicas);
// it does not support Redis Cluster, whose slots would split an object from
// the index.
package redis
