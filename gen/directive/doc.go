// Package directive parses cachegen's comment directives. The generator
// uses it to find the functions to wrap and the analyzer to check them, so
// both read the same grammar and report the same mistakes.
//
// # Directives
//
// A directive is a line comment with no space after "//", in the doc
// comment of a top-level function or method:
//
//	//cache:task [version=V] [key=EXPR] [ignore=p1,p2] [ttl=DURATION] [name=Ident] [lock[=DURATION]] [allow=checks]
//	//memo:task [key=EXPR] [ignore=p1,p2] [name=Ident] [allow=checks]
//	//memo:key=EXPR [...]
//
// The last form is the same as //memo:task key=EXPR [...]. A function may
// carry one directive of each kind. For example:
//
//	// Render draws the tile at (x, y).
//	//
//	//cache:task version=2 ignore=log key=`cfg.Region + id`
//	func Render(ctx context.Context, log *slog.Logger, cfg Config, id string) (Tile, error)
//
// # Options
//
// Options follow the directive word, separated by spaces or tabs, each as
// name or name=value; no spaces around "=". A value is a bare word (no
// spaces, no quotes), a Go double-quoted string ("a + b", with Go escapes)
// or a Go back-quoted string (`a + b`). Each option may appear once.
//
//	version=V       (cache) any non-empty text; the function's body counts in
//	                the fingerprint as V, so results survive body edits until V changes
//	key=EXPR        a Go expression over the parameters whose value replaces the
//	                arguments in the key; it must parse as an expression
//	ignore=p1,p2    parameters left out of the key: distinct Go identifiers
//	ttl=DURATION    (cache) how long results stay valid: a positive Go duration (24h)
//	name=Ident      the wrapper's name instead of FCached or FMemo: an identifier, not a keyword
//	lock            (cache) one execution across processes; lock=DURATION sets
//	                how long waiters wait (a positive Go duration)
//	allow=checks    analyzer checks to silence, from env, clock, rand, globals, fs, net
//
// An unknown option is an error that suggests the nearest valid option
// (within edit distance 2) or lists them; an option of the other directive
// (ttl on //memo:task) is an error saying so. Only version, key and ignore
// change the code fingerprint; the parser checks the syntax of every value
// and leaves type checking to the generator.
//
// # Mistakes that are reported
//
// Every error is "file.go:LINE:COL: message". Option errors point at the
// option's first character, except a syntax error inside a bare or
// back-quoted key= expression, which points at the offending character.
// Comments that look like a directive gone wrong are reported at their
// "//" rather than silently ignored. Let text be the comment after "//",
// spaced whether it starts with a space or tab, and T the text trimmed of
// spaces and tabs. Words are runs of ASCII letters, and distances are
// edit distances (insert, delete, substitute or swap adjacent letters),
// measured case-insensitively from "cache" or "memo" (W1) and from "task"
// (or "key" for a memo W1 followed by "=") (W2). Then a comment is:
//
//   - bare, reported as "write //memo:task", when T is exactly "cache" or
//     "memo" (in any case if not spaced; lower case if spaced, since gofmt
//     rewrites //memo to // memo);
//   - spaced, reported as "write //cache:task with no space after //", when
//     spaced and the first word of T is exactly "cache:task" or "memo:task",
//     or starts with "memo:key=";
//   - misspelt, reported as `unknown directive "//cache:taks"; did you mean
//     //cache:task?`, when T starts with W1 SEP W2 where either
//     (a) not spaced, SEP is ':' and W1 is cache or memo in any case, with
//     anything after it ("//Cache:task", "//cache:ttl", "//memo:"); or
//     (b) W1 is within distance 2, W2 within 2 and both within 3 in total,
//     with SEP one of ":-_." when not spaced ("//cahce:task", "//cache-task");
//     only ':' when spaced, with both words lower case, W2 right after the
//     colon and nothing after W2 but "=..." ("// cache:taks"); or
//     (c) not spaced, SEP a space or tab, W2 within distance 1 and both
//     within 2 in total ("//cache task", "//memo key=x").
//
// Prose is therefore left alone: "// Cache: results are kept", "// memoize
// the result", "// cached values", "// see cache:TTL docs", "//cache as
// needed", and directives of other tools such as //go:generate.
//
// A directive that is not in the doc comment of a top-level function or
// method (on a type, inside a body, separated from the func by a blank
// line) is an error, as is a second directive of the same kind on one
// function.
package directive
