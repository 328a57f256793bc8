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
// # Configuration
//
// [Default] is built once from the environment:
//
//	CACHEGEN_STORE      store URL: mem://, file:///abs/dir, s3://…, gs://…, or "off"
//	                    (default: file:// under os.UserCacheDir()/cachegen)
//	CACHEGEN_NAMESPACE  namespace (account, workspace); default "default"
//
// [New] builds a runtime from the environment and then applies options given
// in code, which win. [WithRuntime] and [WithNamespace] scope a runtime or a
// namespace to a context.
package runtime
