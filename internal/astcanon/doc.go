// Package astcanon writes the canonical text of Go syntax: what a
// declaration means to the compiler, without its layout or comments. Node
// type names, field names, identifiers, literal values and operator tokens
// count; positions, comments and the parser's object resolution do not.
// The fingerprint hashes it (with identifiers qualified by their
// packages), and so does package srchash, from syntax alone, in the
// runtime and the analyzer.
//
// It imports neither go/types nor golang.org/x/tools, so a program that
// uses cachegen's runtime links only the parser.
package astcanon
