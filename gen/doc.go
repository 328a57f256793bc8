// Package gen is cachegen's generator: it loads packages, finds the
// //cache:task directives, fingerprints each task's code and emits the
// wrappers into one cachegen_gen.go per package. The cachegen command is a
// thin shell around [Generate] and [Result.Write].
//
// # Pipeline
//
// Each stage maps data to data and is tested on its own:
//
//  1. Load (gen/fingerprint.Load): the packages with syntax and types, and
//     every package of the main module they import. Each of those packages'
//     generated file is replaced, through the go command's overlay, by a
//     stub that declares its wrappers with their final signatures, written
//     from syntax (stubs.go): calls of wrappers in other packages
//     type-check on the first run, in any package order, and a stale
//     wrapper that no longer compiles never blocks regeneration. Every type
//     error is reported.
//  2. Directives (gen/directive): every //cache:task and every near miss
//     (// cache:task, //cache:taks, a bare //memo) in the package's files.
//  3. Tasks (builder.go, keyopts.go): each directive becomes a [Task]
//     (task.go), plain data: the identity (package path, receiver type,
//     name), the parameters and results with their types as the generated
//     code spells them, the key's parts, the options. No go/types or go/ast
//     value leaves the builder. Here the generator rejects, with the directive's
//     position, what would fail at run time or silently give a wrong hit:
//     a parameter that cannot be hashed (interface, chan, func,
//     unsafe.Pointer, a foreign type with unexported fields) unless it is a
//     runtime.Keyer or blank; a result the codec cannot round-trip (an
//     unexported field, an interface); a function without a result; a
//     wrapper name that is taken; a key= expression that does not
//     type-check or cannot be hashed; an ignore= name that is not a
//     parameter.
//  4. Fingerprint (gen/fingerprint): the code fingerprint of DESIGN.md,
//     with the sources it covers (each declaration's syntax hash, for the
//     run-time guard and the analyzer). The stubs are not hashed: a task
//     that calls another task's wrapper, in any package of the module, gets
//     that task's final fingerprint as a part of kind "task" and its
//     sources (wrappers.go); the tasks of imported packages of the module
//     are built for this even when those packages are not generated.
//  5. Emit (emit.go, with github.com/dave/jennifer): the task descriptor
//     with its fingerprint, a result tuple for several results, the wrapper,
//     and a reflection-free key encoder per task (gen/internal/keygen).
//
// [Generate] never writes; it returns the files and every error, sorted by
// position, formatted file.go:line:col: message. [Result.Write] writes the
// files atomically and leaves unchanged ones untouched.
//
// # The wrapper
//
// For
//
//	//cache:task
//	func Align(ctx context.Context, s Sample, ref string) (Report, error)
//
// the generated AlignCached has the same parameters and results. It encodes
// the key parameters (every named parameter that is not a context.Context,
// and the receiver of a method) into a stack buffer and calls
// runtime.Cached with a closure that calls Align. Functions without a
// context use context.Background(); several results travel as one tuple
// value; a generic task's identity carries its type arguments.
//
// Setting CACHEGEN_DEBUGHASH=1 makes the command print the canonical text
// behind every fingerprint part, to see why two fingerprints differ.
package gen
