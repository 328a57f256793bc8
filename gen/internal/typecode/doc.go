// Package typecode spells go/types types as jennifer code: the one type
// renderer of cachegen's generated files. Every package is named through
// jen.Qual, so the file's imports are managed for it (unsafe.Pointer
// included).
//
// The wrappers spell types as the user wrote them (aliases by their own
// name, type parameters by name); the key encoders resolve aliases and
// must be able to name every type from the generated package, or fall
// back to the runtime's reflective encoder. A [Renderer] says which.
package typecode
