package fingerprint

import (
	"bytes"
	"fmt"
	"go/types"
	"strconv"
)

// typeWriter writes the canonical text of a type's structure.
//
// Invariant: two types get the same text exactly when they are identical
// after resolving aliases, with named types compared by package path, name
// and type arguments; in deep mode additionally when the structure of every
// named type reachable from them (type parameters, underlying type: fields,
// names, tags, embedding, element types, methods of interfaces) is the same.
// A named type whose structure was already written (or is being written, for
// recursive types) is written by its qualified name only, so cycles end.
type typeWriter struct {
	buf *bytes.Buffer
	// deep says whether named types are expanded into their structure.
	deep bool
	// seen holds the named types (by qualified name with type arguments)
	// already expanded in deep mode.
	seen map[string]bool
	// visit, when not nil, is called with the declaring object of every
	// named type and alias the writer meets.
	visit func(*types.TypeName)
}

// typeText returns the shallow canonical text of t and calls visit (if not
// nil) for every named type in it.
func typeText(t types.Type, visit func(*types.TypeName)) string {
	w := typeWriter{buf: new(bytes.Buffer), visit: visit}
	w.write(t)
	return w.buf.String()
}

// write writes t. The switch is exhaustive over go/types' types.
func (w *typeWriter) write(t types.Type) {
	switch t := t.(type) {
	case nil:
		w.buf.WriteString("<nil>")
	case *types.Basic:
		if t.Kind() == types.UnsafePointer {
			w.buf.WriteString("unsafe.Pointer")
			return
		}
		w.buf.WriteString(t.Name())
	case *types.Pointer:
		w.buf.WriteByte('*')
		w.write(t.Elem())
	case *types.Slice:
		w.buf.WriteString("[]")
		w.write(t.Elem())
	case *types.Array:
		fmt.Fprintf(w.buf, "[%d]", t.Len())
		w.write(t.Elem())
	case *types.Map:
		w.buf.WriteString("map[")
		w.write(t.Key())
		w.buf.WriteByte(']')
		w.write(t.Elem())
	case *types.Chan:
		w.writeChan(t)
	case *types.Struct:
		w.writeStruct(t)
	case *types.Tuple:
		w.tuple(t, false)
	case *types.Signature:
		w.buf.WriteString("func")
		w.signature(t)
	case *types.Interface:
		w.writeInterface(t)
	case *types.Union:
		for i := range t.Len() {
			if i > 0 {
				w.buf.WriteByte('|')
			}
			if t.Term(i).Tilde() {
				w.buf.WriteByte('~')
			}
			w.write(t.Term(i).Type())
		}
	case *types.TypeParam:
		w.buf.WriteByte('$')
		w.buf.WriteString(t.Obj().Name())
	case *types.Alias:
		if w.visit != nil {
			w.visit(t.Obj())
		}
		w.write(types.Unalias(t))
	case *types.Named:
		w.named(t)
	default:
		panic(fmt.Sprintf("fingerprint: unexpected type %T", t))
	}
}

func (w *typeWriter) writeChan(t *types.Chan) {
	switch t.Dir() {
	case types.SendRecv:
		w.buf.WriteString("chan ")
	case types.SendOnly:
		w.buf.WriteString("chan<- ")
	case types.RecvOnly:
		w.buf.WriteString("<-chan ")
	}
	w.write(t.Elem())
}

func (w *typeWriter) writeStruct(t *types.Struct) {
	w.buf.WriteString("struct{")
	for i := range t.NumFields() {
		if i > 0 {
			w.buf.WriteString("; ")
		}
		f := t.Field(i)
		if f.Embedded() {
			w.buf.WriteString("embed ")
		}
		w.buf.WriteString(f.Name())
		w.buf.WriteByte(' ')
		w.write(f.Type())
		if tag := t.Tag(i); tag != "" {
			w.buf.WriteByte(' ')
			w.buf.WriteString(strconv.Quote(tag))
		}
	}
	w.buf.WriteByte('}')
}

// tuple writes a parameter or result list with names.
func (w *typeWriter) tuple(t *types.Tuple, variadic bool) {
	w.buf.WriteByte('(')
	for i := range t.Len() {
		if i > 0 {
			w.buf.WriteString(", ")
		}
		v := t.At(i)
		if v.Name() != "" {
			w.buf.WriteString(v.Name())
			w.buf.WriteByte(' ')
		}
		if variadic && i == t.Len()-1 {
			w.buf.WriteString("...")
		}
		w.write(v.Type())
	}
	w.buf.WriteByte(')')
}

// signature writes type parameters, parameters and results (no receiver).
func (w *typeWriter) signature(t *types.Signature) {
	w.typeParams(t.TypeParams())
	w.tuple(t.Params(), t.Variadic())
	w.tuple(t.Results(), false)
}

// typeParams writes a type parameter list with constraints.
func (w *typeWriter) typeParams(l *types.TypeParamList) {
	if l.Len() == 0 {
		return
	}
	w.buf.WriteByte('[')
	for i := range l.Len() {
		if i > 0 {
			w.buf.WriteString(", ")
		}
		tp := l.At(i)
		w.buf.WriteString(tp.Obj().Name())
		w.buf.WriteByte(' ')
		w.write(tp.Constraint())
	}
	w.buf.WriteByte(']')
}

func (w *typeWriter) writeInterface(t *types.Interface) {
	w.buf.WriteString("interface{")
	n := 0
	sep := func() {
		if n > 0 {
			w.buf.WriteString("; ")
		}
		n++
	}
	// Explicit methods come sorted by their unique Id.
	for i := range t.NumExplicitMethods() {
		sep()
		m := t.ExplicitMethod(i)
		w.buf.WriteString(m.Name())
		w.signature(m.Signature())
	}
	for i := range t.NumEmbeddeds() {
		sep()
		w.buf.WriteString("embed ")
		w.write(t.EmbeddedType(i))
	}
	if t.IsImplicit() {
		sep()
		w.buf.WriteString("implicit")
	}
	w.buf.WriteByte('}')
}

// named writes a named type by qualified name and type arguments, and in
// deep mode, the first time, its type parameters and underlying structure.
func (w *typeWriter) named(t *types.Named) {
	obj := t.Obj()
	if w.visit != nil {
		w.visit(obj)
	}
	start := w.buf.Len()
	if obj.Pkg() != nil {
		w.buf.WriteString(obj.Pkg().Path())
		w.buf.WriteByte('.')
	}
	w.buf.WriteString(obj.Name())
	if args := t.TypeArgs(); args.Len() > 0 {
		w.buf.WriteByte('[')
		for i := range args.Len() {
			if i > 0 {
				w.buf.WriteString(", ")
			}
			w.write(args.At(i))
		}
		w.buf.WriteByte(']')
	}
	if !w.deep || obj.Pkg() == nil {
		return // predeclared (error, comparable): no structure to write
	}
	name := w.buf.String()[start:]
	if w.seen[name] {
		return
	}
	w.seen[name] = true
	w.buf.WriteByte('{')
	w.typeParams(t.TypeParams())
	w.write(t.Underlying())
	w.buf.WriteByte('}')
}
