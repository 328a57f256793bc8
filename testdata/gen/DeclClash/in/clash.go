// Package clash has two tasks whose generated declarations would share
// their names: the method T.M and the function TM both give cachegenTaskTM.
// A memo task of the same name does not clash: its declarations are
// cachegenMemoTaskTM. Two directives asking for one wrapper name clash too.
package clash

// T is a type with a task method.
type T struct{}

// M is the method T.M.
//
//cache:task
func (T) M(n int) int { return n }

// TM is a function whose name is T.M's without the dot.
//
//cache:task
//memo:task
func TM(n int) int { return n }

// Fast names its wrapper Fast.
//
//cache:task name=Fast
func Fast1(n int) int { return n }

// Fast2 asks for the same wrapper name.
//
//cache:task name=Fast
func Fast2(n int) int { return n }
