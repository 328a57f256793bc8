// Package taskname is the one home of how cachegen names a task, its
// wrapper and the declarations generated for it. The generator, the
// wrapper stubs it loads with, the analyzer and the command all call it;
// the runtime matches a name a user types against an identity with
// runtime.TaskMatches.
//
// A task's identity is its package path and name: "example.com/m/align.Align",
// or for a method the receiver's base type as well,
// "example.com/m/align.Aligner.Run", the same for T and *T. The base type
// is the named type after aliases are resolved: a method declared on an
// alias (type A = T; func (a A) M()) is T's method, and so is its task,
// its wrapper (declared on T) and its generated declarations.
//
// The generated declarations of a task are named from its name ("F" or
// "T.M") with a prefix that says what they are and which directive made
// them: the descriptor cachegenTaskTM (cachegenMemoTaskTM for
// //memo:task), the key encoder cachegenKeyTM and, for several results,
// the struct cachegenResultsTM.
package taskname
