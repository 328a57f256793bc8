package taskname

import (
	"go/types"
	"strings"

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

// Join returns the name of fn as users write it: "T.M" for a method of the
// type named recv, or fn itself when recv is "" (a function). Wrappers are
// named the same way ("T.MCached").
func Join(recv, fn string) string {
	if recv == "" {
		return fn
	}
	return recv + "." + fn
}

// Name returns the task's name as users write it: "Align", or
// "Aligner.Run" for a method.
func Name(fn *types.Func) string { return Join(RecvType(fn), fn.Name()) }

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

// Prefix returns the prefix of the generated declarations of kind what
// ("Task", "Key", "Results") of a task of kind k: "cachegen"+what, or
// "cachegenMemo"+what for a //memo:task, so that a function with both
// directives gets two sets. Readers of generated files find the task
// descriptors by it.
func Prefix(k directive.Kind, what string) string {
	if k == directive.Memo {
		return "cachegenMemo" + what
	}
	return "cachegen" + what
}

// decl names a generated declaration of the task named name ("F" or
// "T.M"): the prefix, then the name without its dot.
func decl(k directive.Kind, what, name string) string {
	return Prefix(k, what) + strings.ReplaceAll(name, ".", "")
}

// Descriptor returns the name of the task descriptor variable of the task
// named name (see [Name]): "cachegenTaskF", "cachegenMemoTaskTM".
//
// The dot is dropped, so "T.M" and a function "TM" get the same
// declaration names; the generator reports such a pair.
func Descriptor(k directive.Kind, name string) string { return decl(k, "Task", name) }

// KeyFunc returns the name of the generated key encoder of the task named
// name: "cachegenKeyF", "cachegenMemoKeyTM".
func KeyFunc(k directive.Kind, name string) string { return decl(k, "Key", name) }

// Results returns the name of the struct type that carries the results of
// the task named name as one value, when it has several: "cachegenResultsF".
func Results(k directive.Kind, name string) string { return decl(k, "Results", name) }
