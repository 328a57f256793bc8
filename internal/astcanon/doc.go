// Package astcanon writes the canonical text of Go syntax: what a
// declaration means to the compiler, without its layout or comments. The
// fingerprint hashes it (with identifiers qualified by their packages
// through a [Qualifier]), and so does package srchash, from syntax alone,
// in the runtime and the analyzer.
//
// # The text
//
// A node is written as (Type Field=value ...) with every exported field in
// declaration order; identifiers as (Ident name) plus what the Qualifier
// adds; basic literals by kind and exact value, so 0x10 and 16, or "a" and
// `a`, read the same; tokens by their spelling; lists as [a b].
//
// Every field of every go/ast node counts unless fields.go lists it as
// layout only, with the reason: positions of delimiters and keywords the
// node always has, comments, and the parser's object resolution. A
// position that carries meaning by its presence counts by presence: the
// text says Field=set when it is valid and nothing when it is not. So
// f(xs...) reads differently from f(xs) (CallExpr.Ellipsis), and a local
// type A = B from type A B (TypeSpec.Assign), while code that uses neither
// reads exactly as it did before positions counted, and keeps its
// fingerprint.
//
// Four rules work on values rather than fields, so that gofmt never
// changes the text: a parenthesized expression is written as its contents
// (the tree already says how operands group); an empty field list is
// written as nil, like an absent one (func f() () and func f()); an empty
// statement in a statement list is not written ({;} and {}); and a basic
// literal by its value, as above.
//
// The tests keep the rule honest: they find every struct type of go/ast
// in its source, perturb every field of each by reflection, and fail on a
// field that is neither hashed nor listed, on a listed one that is hashed,
// and on a position field nobody decided, such as one a future Go release
// adds. FuzzCanonicalAST checks that gofmt does not change the text.
//
// It imports neither go/types nor golang.org/x/tools, so a program that
// uses cachegen's runtime links only the parser.
package astcanon
