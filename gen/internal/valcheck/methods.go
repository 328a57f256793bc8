package valcheck

import "go/types"

// The interfaces of the marshaler rule, built from the universe's types.
// They are never modified after initialisation; types.Implements compares
// method signatures structurally, so they serve any type-checker run.
var (
	byteSlice = types.NewSlice(types.Typ[types.Byte])
	errorType = types.Universe.Lookup("error").Type()

	marshaler = newInterface("MarshalBinary",
		types.NewSignatureType(nil, nil, nil, nil,
			types.NewTuple(types.NewParam(0, nil, "", byteSlice), types.NewParam(0, nil, "", errorType)), false))
	unmarshaler = newInterface("UnmarshalBinary",
		types.NewSignatureType(nil, nil, nil,
			types.NewTuple(types.NewParam(0, nil, "", byteSlice)),
			types.NewTuple(types.NewParam(0, nil, "", errorType)), false))
)

func newInterface(method string, sig *types.Signature) *types.Interface {
	fn := types.NewFunc(0, nil, method, sig)
	return types.NewInterfaceType([]*types.Func{fn}, nil).Complete()
}

// usesMarshaler reports whether t is stored through its own MarshalBinary
// and UnmarshalBinary: *T must have both, and a struct must not get either
// by embedding (see the package documentation).
func usesMarshaler(t types.Type) bool {
	if types.IsInterface(t) {
		return false
	}
	pt := types.NewPointer(t)
	if !types.Implements(pt, marshaler) || !types.Implements(pt, unmarshaler) {
		return false
	}
	if s, ok := t.Underlying().(*types.Struct); ok {
		for f := range s.Fields() {
			if f.Embedded() && (hasEitherMethod(f.Type()) || hasEitherMethod(types.NewPointer(f.Type()))) {
				return false
			}
		}
	}
	return true
}

// hasEitherMethod reports whether t has MarshalBinary or UnmarshalBinary.
func hasEitherMethod(t types.Type) bool {
	return types.Implements(t, marshaler) || types.Implements(t, unmarshaler)
}
