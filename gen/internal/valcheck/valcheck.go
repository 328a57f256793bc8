package valcheck

import (
	"fmt"
	"go/types"
)

// Error says why a type cannot be stored and where in it the problem lies.
type Error struct {
	// Path locates the offending part, starting with the checked type.
	Path string
	// Reason is the rule that failed.
	Reason string
}

// Error returns "path: reason".
func (e *Error) Error() string { return e.Path + ": " + e.Reason }

// Check reports why values of type t cannot be stored as a cached result, or
// nil.
func Check(t types.Type) error {
	c := checker{seen: make(map[*types.Named]bool)}
	if err := c.check(t); err != nil {
		err.Path = typeString(t) + err.Path
		return err
	}
	return nil
}

// checker walks one type.
type checker struct {
	// seen holds the named types already checked or being checked, so a
	// recursive type is walked once.
	seen map[*types.Named]bool
}

// check returns an *Error whose Path is relative to t, or nil.
func (c *checker) check(t types.Type) *Error {
	t = types.Unalias(t)
	switch t := t.(type) {
	case *types.TypeParam:
		return nil
	case *types.Named:
		if c.seen[t] {
			return nil
		}
		c.seen[t] = true
	}
	if usesMarshaler(t) {
		return nil
	}
	switch u := t.Underlying().(type) {
	case *types.Basic:
		return checkBasic(t, u)
	case *types.Slice:
		return under("[]", c.check(u.Elem()))
	case *types.Array:
		return under("[]", c.check(u.Elem()))
	case *types.Map:
		if err := c.check(u.Key()); err != nil {
			return under("[key]", err)
		}
		return under("[value]", c.check(u.Elem()))
	case *types.Pointer:
		return c.check(u.Elem()) // p.F reaches through pointers in Go too
	case *types.Struct:
		return c.checkStruct(t, u)
	case *types.Interface:
		return &Error{Reason: fmt.Sprintf("%s is an interface type; its dynamic value cannot be stored (use a concrete type)", typeString(t))}
	case *types.Chan:
		return &Error{Reason: fmt.Sprintf("%s is a channel type and cannot be stored", typeString(t))}
	case *types.Signature:
		return &Error{Reason: fmt.Sprintf("%s is a func type and cannot be stored", typeString(t))}
	}
	return &Error{Reason: fmt.Sprintf("%s cannot be stored", typeString(t))}
}

// checkBasic accepts booleans, numbers and strings.
func checkBasic(t types.Type, b *types.Basic) *Error {
	switch {
	case b.Kind() == types.UnsafePointer:
		return &Error{Reason: fmt.Sprintf("%s is unsafe.Pointer and cannot be stored", typeString(t))}
	case b.Info()&(types.IsBoolean|types.IsNumeric|types.IsString) != 0 && b.Info()&types.IsUntyped == 0:
		return nil
	}
	return &Error{Reason: fmt.Sprintf("%s cannot be stored", typeString(t))}
}

// checkStruct accepts a struct whose non-blank fields are all exported and
// storable.
func (c *checker) checkStruct(t types.Type, s *types.Struct) *Error {
	for f := range s.Fields() {
		if f.Name() == "_" {
			continue
		}
		if !f.Exported() {
			return &Error{Reason: fmt.Sprintf("field %s of %s is unexported and would be lost; export it or implement encoding.BinaryMarshaler and BinaryUnmarshaler", f.Name(), typeString(t))}
		}
		if err := c.check(f.Type()); err != nil {
			return under("."+f.Name(), err)
		}
	}
	return nil
}

// under prefixes err's path with seg.
func under(seg string, err *Error) *Error {
	if err != nil {
		err.Path = seg + err.Path
	}
	return err
}

// typeString writes t with package names, not paths, as reflect does.
func typeString(t types.Type) string {
	return types.TypeString(t, func(p *types.Package) string { return p.Name() })
}
