package taskname

import (
	"go/types"

	"github.com/cachegen/cachegen/gen/directive"
)

// RecvType returns the name of the named type whose method fn is (aliases
// resolved, a pointer stripped), or "" for a function or a method of an
// unnamed type.
func RecvType(fn *types.Func) string {
	recv := fn.Signature().Recv()
	if recv == nil {
		return ""
	}
	t := types.Unalias(recv.Type())
	if p, ok := t.(*types.Pointer); ok {
		t = types.Unalias(p.Elem())
	}
	if n, ok := t.(*types.Named); ok {
		return n.Obj().Name()
	}
	return ""
}

// Name returns the task's name as users write it: "Align", or
// "Aligner.Run" for a method.
func Name(fn *types.Func) string {
	if r := RecvType(fn); r != "" {
		return r + "." + fn.Name()
	}
	return fn.Name()
}

// ID returns the task identity of fn.
func ID(fn *types.Func) string {
	path := ""
	if fn.Pkg() != nil {
		path = fn.Pkg().Path() + "."
	}
	return path + Name(fn)
}

// Wrapper returns the name of the wrapper a directive on the function or
// method named fn generates: the directive's name= option, else fn with
// "Cached" (//cache:task) or "Memo" (//memo:task).
func Wrapper(fn string, d *directive.Directive) string {
	if o, ok := d.Option("name"); ok && o.Value != "" {
		return o.Value
	}
	if d.Kind == directive.Memo {
		return fn + "Memo"
	}
	return fn + "Cached"
}
