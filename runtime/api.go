package runtime

import (
	"time"

	"github.com/cachegen/cachegen/internal/srchash"
)

// APIv1 is referenced by every file cachegen generates. A generated file
// that needs another API version refers to another name, so a generator and
// runtime that do not match fail to compile with an error naming the
// version, instead of misbehaving.
const APIv1 = true

// Task describes one cached function. Generated code declares one Task per
// //cache:task directive; its fields are plain data.
type Task struct {
	// ID is the task identity: the package path and function name
	// ("example.com/m/align.Align"), or the package path, receiver type name
	// and method name ("example.com/m/align.Aligner.Run").
	ID string
	// Fingerprint is the code fingerprint the generator computed: 16
	// lowercase hex digits.
	Fingerprint string
	// Version is the directive's version= value, if any.
	Version string
	// VersionCode is set for a versioned task: the fingerprint its code
	// (body and helpers, as if it had no version=) had when this version
	// was first generated, or when cachegen -accept last kept it. The
	// analyzer compares it with the code now to find a forgotten version
	// bump; the runtime does not use it.
	VersionCode string
	// Code is set for a versioned task: the fingerprint of its code when
	// the file was generated. It differs from VersionCode when the code
	// changed but the version was not bumped (the analyzer reports it).
	Code string
	// TTL is the directive's ttl=: an entry older than TTL is a miss. Zero
	// means entries never expire.
	TTL time.Duration
	// Lock is set by the directive's lock option: processes sharing a store
	// run the function once per key, through a lease in the store.
	Lock bool
	// LockTimeout is lock=TIMEOUT: how long a caller waits for another
	// process's result before computing anyway (zero: DefaultLockTimeout).
	LockTimeout time.Duration
	// Parts are the fingerprint's parts, written to the store as the key
	// manifest so a later miss can say what changed.
	Parts []Part
	// NotFollowed lists what the fingerprint could not follow (dynamic
	// calls, init functions, embedded files), for explanations.
	NotFollowed []string
	// Signature is set for a //memo:task: a digest of the function's
	// signature, its result types' structure and its key options, but not
	// its body. A durable memo entry is keyed by it, so a run can be
	// re-executed after a bug elsewhere is fixed, and a stored value can
	// always be decoded.
	Signature string
	// Sources are the declarations of the task's module its fingerprint
	// covers, with a hash of each one's syntax. On the task's first call in
	// a program run where its source is, the runtime re-hashes them from
	// the files: a wrapper whose code changed since go generate does not
	// serve or store results (see [StaleCheck]).
	Sources []Source

	// stale is the result of comparing Sources with the files, computed
	// on the first call (see guard.go).
	stale staleState
}

// Source is one declaration a task's fingerprint covers, as the generator
// saw it: its package, file, name and a hash of its syntax. Generated code
// lists them in [Task.Sources].
type Source = srchash.Source

// DefaultLockTimeout is how long a lock task waits for another process's
// result before computing anyway.
const DefaultLockTimeout = 30 * time.Second

// Part is one hashed ingredient of a code fingerprint: the task's own
// declaration, its signature, a helper it reaches, a module, the go version.
type Part struct {
	Kind PartKind `json:"kind"`          // what the part hashes; one of the Part… constants
	Name string   `json:"name"`          // qualified name: "example.com/m/pkg.helper"
	Hash string   `json:"hash"`          // 16 hex digits, or a version for module and go parts
	Pos  string   `json:"pos,omitempty"` // "file.go:LINE" of a source object
}

// PartKind says what a fingerprint part hashes. The kinds are fixed by the
// generator; tools compare them to these constants, never to strings.
type PartKind string

// The kinds of fingerprint part.
const (
	PartDecl      PartKind = "decl"      // the task's own declaration (without its body under version=)
	PartSignature PartKind = "signature" // receiver, type parameters, parameters, results and the structure of their types
	PartOptions   PartKind = "options"   // the directive's key-affecting options (version=, key=, ignore=)
	PartGo        PartKind = "go"        // the language version of the task's module
	PartFunc      PartKind = "func"      // a function of the module the task reaches
	PartMethod    PartKind = "method"    // a method of the module the task reaches
	PartType      PartKind = "type"      // a named type's structure
	PartConst     PartKind = "const"     // a constant's value
	PartVar       PartKind = "var"       // a package-level variable's type and initialiser
	PartModule    PartKind = "module"    // another module, by version (or a hash of its files)
	PartTask      PartKind = "task"      // another task whose wrapper the task calls, by its fingerprint
)

// Manifest is the key manifest stored once per namespace, task and
// fingerprint (backends.ManifestKey): what the fingerprint was made of, so
// a later miss under another fingerprint can be explained part by part.
type Manifest struct {
	Task        string    `json:"task"`
	Fingerprint string    `json:"fingerprint"`
	Version     string    `json:"version,omitempty"`
	Parts       []Part    `json:"parts"`
	NotFollowed []string  `json:"not_followed,omitempty"`
	Created     time.Time `json:"created"`
}
