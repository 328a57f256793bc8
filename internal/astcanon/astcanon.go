package astcanon

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"reflect"
	"strconv"

	"github.com/cespare/xxhash/v2"
)

// Reflected types the writer treats specially.
var (
	posType    = reflect.TypeFor[token.Pos]()
	identType  = reflect.TypeFor[*ast.Ident]()
	litType    = reflect.TypeFor[*ast.BasicLit]()
	fieldsType = reflect.TypeFor[*ast.FieldList]()
	parenType  = reflect.TypeFor[*ast.ParenExpr]()
	tokenType  = reflect.TypeFor[token.Token]()
)

// astWriter writes the canonical text of a syntax tree: node type names,
// field names, identifiers, literal kinds and values, operator tokens; no
// positions, comments or parser objects. Two trees that differ only in
// layout or comments produce the same text.
//
// It walks nodes reflectively so that every field of every node kind counts,
// including ones added to go/ast after this was written.
type astWriter struct {
	buf *bytes.Buffer
	q   Qualifier
}

// Qualifier returns text that follows an identifier's name in the
// canonical text ("" for none): the fingerprint qualifies identifiers by
// the package of the object they denote.
type Qualifier func(*ast.Ident) string

// Write returns the canonical text of n; q may be nil.
func Write(q Qualifier, n ast.Node) []byte {
	w := astWriter{buf: new(bytes.Buffer), q: q}
	w.value(reflect.ValueOf(n))
	return w.buf.Bytes()
}

// Hash returns the xxhash64 of Write(q, n) as 16 lowercase hex digits,
// the form the fingerprint gives its parts' hashes.
func Hash(q Qualifier, n ast.Node) string {
	return fmt.Sprintf("%016x", xxhash.Sum64(Write(q, n)))
}

// value writes one reflected value of a syntax tree.
func (w *astWriter) value(v reflect.Value) {
	switch v.Kind() {
	case reflect.Interface:
		if v.IsNil() {
			w.buf.WriteString("nil")
			return
		}
		w.value(v.Elem())
	case reflect.Pointer:
		if v.IsNil() {
			w.buf.WriteString("nil")
			return
		}
		switch v.Type() {
		case identType:
			w.ident(v.Interface().(*ast.Ident))
			return
		case litType:
			w.literal(v.Interface().(*ast.BasicLit))
			return
		case parenType:
			// Parentheses only group, and the tree already says how;
			// gofmt removes redundant ones.
			w.value(reflect.ValueOf(v.Interface().(*ast.ParenExpr).X))
			return
		case fieldsType:
			// An empty list reads as an absent one: gofmt drops the
			// empty results of func f() ().
			if v.Interface().(*ast.FieldList).NumFields() == 0 {
				w.buf.WriteString("nil")
				return
			}
		}
		w.value(v.Elem())
	case reflect.Struct:
		w.node(v)
	case reflect.Slice:
		w.buf.WriteByte('[')
		n := 0
		for i := range v.Len() {
			if isEmptyStmt(v.Index(i)) {
				// An empty statement in a list ({;}) does nothing, and
				// gofmt removes it; one that a label needs (L: ;) is not
				// in a list.
				continue
			}
			if n > 0 {
				w.buf.WriteByte(' ')
			}
			n++
			w.value(v.Index(i))
		}
		w.buf.WriteByte(']')
	case reflect.String:
		w.buf.WriteString(strconv.Quote(v.String()))
	case reflect.Bool:
		w.buf.WriteString(strconv.FormatBool(v.Bool()))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if v.Type() == tokenType {
			w.buf.WriteString(token.Token(v.Int()).String())
			return
		}
		w.buf.WriteString(strconv.FormatInt(v.Int(), 10))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		w.buf.WriteString(strconv.FormatUint(v.Uint(), 10))
	default:
		// Maps, funcs and channels do not occur in go/ast nodes.
		w.buf.WriteString("?" + v.Kind().String())
	}
}

// isEmptyStmt reports whether v holds an *ast.EmptyStmt.
func isEmptyStmt(v reflect.Value) bool {
	if v.Kind() != reflect.Interface || v.IsNil() {
		return false
	}
	_, ok := v.Interface().(*ast.EmptyStmt)
	return ok
}

// node writes a struct node as (Type Field=value ...), skipping the fields
// listed as layout only (fields.go). A position counts by its presence: it
// is written as Field=set when valid, and not at all otherwise, so a
// position field adds nothing to the text of a tree that does not use it.
func (w *astWriter) node(v reflect.Value) {
	t := v.Type()
	w.buf.WriteByte('(')
	w.buf.WriteString(t.Name())
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() || skipField(t, f.Name) {
			continue
		}
		if f.Type == posType {
			if token.Pos(v.Field(i).Int()).IsValid() {
				w.buf.WriteString(" " + f.Name + "=set")
			}
			continue
		}
		w.buf.WriteByte(' ')
		w.buf.WriteString(f.Name)
		w.buf.WriteByte('=')
		w.value(v.Field(i))
	}
	w.buf.WriteByte(')')
}

// ident writes an identifier, qualified by the package path of the
// package-level object (or imported package) it denotes, so that the same
// text in a different import context reads differently.
func (w *astWriter) ident(id *ast.Ident) {
	w.buf.WriteString("(Ident ")
	w.buf.WriteString(id.Name)
	if w.q != nil {
		w.buf.WriteString(w.q(id))
	}
	w.buf.WriteByte(')')
}

// literal writes a basic literal by its kind and exact value, so spellings
// that gofmt normalises (0X1F, 1E5) or that mean the same value (0x10 and
// 16, "a" and `a`) read the same.
func (w *astWriter) literal(lit *ast.BasicLit) {
	w.buf.WriteString("(BasicLit ")
	w.buf.WriteString(lit.Kind.String())
	w.buf.WriteByte(' ')
	switch lit.Kind {
	case token.INT, token.FLOAT, token.IMAG, token.CHAR, token.STRING:
		// MakeFromLiteral panics on any other kind (a tree not from the
		// parser may hold one).
		if v := constant.MakeFromLiteral(lit.Value, lit.Kind, 0); v.Kind() != constant.Unknown {
			w.buf.WriteString(v.ExactString())
			break
		}
		fallthrough
	default:
		w.buf.WriteString(strconv.Quote(lit.Value))
	}
	w.buf.WriteByte(')')
}
