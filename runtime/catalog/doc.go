// Package catalog reads and trims what a store holds for one namespace:
// the cached results of tasks, their key manifests, job caches, shared
// caches and durable memo runs, under the object names of
// [backends.CacheKey] and its siblings.
//
// It is the library behind cachegen's store commands (ls, stats, inspect,
// purge, gc) and any other tool that shows or tidies a cache: a
// [Catalog] lists [Entry] records and per-ID totals from the store's
// sorted listing, reads an entry's header and manifest, and deletes what a
// [Selection] or a trim [Policy] picks, reporting each deletion to a
// [Sweep]. It never reads a value to list or trim: memory stays a small
// record per entry at most, whatever the values' sizes.
//
// Explaining a single call or a task's standing lives in the runtime
// ([runtime.Explain], [runtime.TaskStatus]), next to the cache path whose
// decisions it words.
package catalog
