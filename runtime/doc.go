// Package runtime is what cachegen's generated wrappers and their users call:
// the cache path (key, in-process layer, store, singleflight, codec), the
// canonical argument encoding, and configuration.
//
// Generated code imports it under the alias cgrt, so it never shadows the
// standard library's runtime package:
//
//	import cgrt "github.com/cachegen/cachegen/runtime"
//
// # The cache path
//
// A wrapper such as AlignCached encodes its key arguments with generated,
// reflection-free code (the rules are in keys.go), then calls [Cached]. The
// key of a call is
//
//	namespace · task identity · code fingerprint · argument digest
//
// where the digest is xxhash64 of the encoded arguments; a second,
// independently seeded hash of the same bytes is kept in every stored entry,
// so a 64-bit collision reads as a miss, never as another call's result.
//
// On a call, the runtime looks in a bounded in-process layer (recent entries'
// payloads, so a repeated hit does not go back to the store), then in the
// store. A hit decodes a fresh value, so two callers never share one mutable
// result. A miss runs the function once per key in the process
// (singleflight); a result is stored only when the function returned no error
// and did not panic. A store that is down, slow past the caller's deadline or
// holding a corrupt entry degrades to computing the result: the failure is
// logged with log/slog and counted, never returned.
//
// # Memo and runs
//
// A //memo:task wrapper such as StepMemo calls [Memo]. Memo lives in a run:
// within a run, the first call of a task with a key executes the function
// and every later call with that key — concurrent ones included — returns
// that execution's result: the same value, not a copy, and with no encoding.
// An error or a panic is not memoised: the callers waiting on that execution
// get it, and a later call executes again. The key is the encoded arguments
// (or the directive's key=), hashed once with xxhash; the entry keeps the
// key bytes, so a digest collision is detected and the call runs unmemoised.
//
// [NewRun] starts a run in a context; without one, the runtime's process run
// is used. A run with an ID ([RunID], or CACHEGEN_RUN for the process run) is
// durable: each result is also stored as
//
//	run/<namespace>/<run-id>/<task>/<signature>/<argdigest>
//
// in the cache entry format, and a later process with the same run ID finds
// it there, so a memoised side effect does not happen again (at least once
// if a process crashes mid-call). The object name has the task's Signature,
// not its code fingerprint: editing a body elsewhere and re-running keeps
// the run's results, while a changed signature or result type does not
// (a Task without a Signature falls back to its Fingerprint). A result type
// the codec cannot encode (a channel, an interface) stays in the process,
// said once in the log. With CACHEGEN_STORE=off memo works in the process.
//
// [ChildRun] (or CACHEGEN_RUN_PARENT=id with a new CACHEGEN_RUN) starts a run
// that sees its parent's results — the parent run's values in this process,
// and its stored entries when it has an ID — while the parent never sees the
// child's. [Refresh] and CACHEGEN_REFRESH apply to memo too: a refreshed key
// executes once more in the run, later calls in the run get the new result,
// and a durable run's stored entry is replaced.
//
// In the process, a run's values are shared across namespaces; its durable
// entries are stored per namespace.
//
// # Configuration
//
// [Default] is built once from the environment:
//
//	CACHEGEN_STORE      store URL: mem://, file:///abs/dir, s3://…, gs://…, redis://…, several joined by "|" (a tiered store, nearest first), or "off"
//	                    (default: file:// under os.UserCacheDir()/cachegen)
//	CACHEGEN_NAMESPACE  namespace (account, workspace); default "default"
//	CACHEGEN_RUN        ID of the process run: memo results are stored under it
//	CACHEGEN_RUN_PARENT ID of a durable run whose memo the process run sees
//	CACHEGEN_PARENTS    namespaces read through after the own one
//	CACHEGEN_REFRESH    "1", or task names: re-run them once per key
//	CACHEGEN_READONLY   "1": read the store, never write to it
//	CACHEGEN_STALE      warn (default), error or off: a wrapper whose code changed since go generate
//	CACHEGEN_STORE_TIMEOUT  a store read's deadline (writes get three times as long), or off
//	CACHEGEN_SIGN_KEY, CACHEGEN_TRUSTED_KEYS  sign entries, serve only signed ones
//	CACHEGEN_ACTIVITY   how often hits and misses are recorded in the store (default 1m), or off
//	CACHEGEN_LOG        debug, info, warn or error: a logger to standard error at that level (debug logs each miss's reason)
//	CACHEGEN_STRICT     1: a store that cannot be opened or an unknown value is an error (New) or a panic (Default)
//
// A mistake in these is logged once, with a did-you-mean where one is
// near ("memory://" → mem://, a refresh name one letter off a task's).
//
// # Recorded activity
//
// A runtime with a store counts, per namespace and task, hits (from memory
// and from the store), misses with their reasons, failed calls and the time
// hits saved, and writes the counts to the store in the background every
// interval (CACHEGEN_ACTIVITY, [WithActivityInterval]): one small
// [ActivityRecord] per namespace, under activity/<namespace>/<interval>/
// <process>. A call only adds to counters; a write that the store does not
// take within its budget is dropped. [Runtime.Close] writes what is left; a
// process that exits without it, or crashes, loses at most one interval.
// cachegen stats, ls and ui show the merged records (runtime/catalog), and
// gc -older-than trims them.
//
// [New] builds a runtime from the environment and then applies options given
// in code, which win. [WithRuntime] and [WithNamespace] scope a runtime or a
// namespace to a context.
//
// # For generated code
//
// Part of this package's API exists for the files cachegen generates, and
// a program calls it only to write a wrapper by hand: [Cached], [Memo],
// [Task] (with [Part], [PartKind], [Source] and [Task.Instantiate]),
// [APIv1], [TypeName], and the key encoders [AppendBool], [AppendInt],
// [AppendUint], [AppendFloat], [AppendComplex], [AppendString],
// [AppendBytes], [AppendLen], [AppendNil], [AppendNonNil], [AppendTime],
// [AppendKeyer], [BeginKeyer], [EndKeyer], [CheckDepth], [AppendAny],
// [AppendAnyDepth] and [MapEntries]. Everything else is the user's API:
// runtimes, contexts, runs, job caches, signing, statistics and explain.
package runtime
