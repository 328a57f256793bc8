package jsonkey

import (
	"encoding/json"
	"fmt"
	"go/types"
	"strconv"

	"github.com/cachegen/cachegen/runtime"
)

// intBits is the width of an integer kind; int, uint and uintptr are read
// as 64 bits wide, as the key encoding writes every integer.
func intBits(k types.BasicKind) int {
	switch k {
	case types.Int8, types.Uint8:
		return 8
	case types.Int16, types.Uint16:
		return 16
	case types.Int32, types.Uint32:
		return 32
	}
	return 64
}

// basic appends the encoding of raw read as a value of the basic type u
// (spelt name in errors); a nil raw is the zero value.
func basic(b []byte, u *types.Basic, raw []byte, path, name string) ([]byte, error) {
	info := u.Info()
	switch {
	case info&types.IsBoolean != 0:
		switch {
		case raw == nil || string(raw) == "false":
			return runtime.AppendBool(b, false), nil
		case string(raw) == "true":
			return runtime.AppendBool(b, true), nil
		}
		return b, fmt.Errorf("%s: want true or false for %s, got %s", path, name, describe(raw))
	case info&types.IsInteger != 0 && info&types.IsUnsigned != 0:
		if raw == nil {
			return runtime.AppendUint(b, 0), nil
		}
		v, err := parseUint(raw, intBits(u.Kind()))
		if err != nil {
			return b, fmt.Errorf("%s: want an integer in the range of %s, got %s", path, name, describe(raw))
		}
		return runtime.AppendUint(b, v), nil
	case info&types.IsInteger != 0:
		if raw == nil {
			return runtime.AppendInt(b, 0), nil
		}
		v, err := strconv.ParseInt(string(raw), 10, intBits(u.Kind()))
		if err != nil {
			return b, fmt.Errorf("%s: want an integer in the range of %s, got %s", path, name, describe(raw))
		}
		return runtime.AppendInt(b, v), nil
	case info&types.IsFloat != 0:
		f, ok := 0.0, true
		if raw != nil {
			f, ok = floatValue(raw, floatBits(u.Kind()))
		}
		if !ok {
			return b, fmt.Errorf("%s: want a number in the range of %s (or \"NaN\", \"+Inf\", \"-Inf\"), got %s", path, name, describe(raw))
		}
		return runtime.AppendFloat(b, f), nil
	case info&types.IsComplex != 0:
		return complexValue(b, u, raw, path, name)
	case info&types.IsString != 0:
		if raw == nil {
			return runtime.AppendString(b, ""), nil
		}
		var s string
		if len(raw) == 0 || raw[0] != '"' || json.Unmarshal(raw, &s) != nil {
			return b, fmt.Errorf("%s: want a string for %s, got %s", path, name, describe(raw))
		}
		return runtime.AppendString(b, s), nil
	}
	return b, fmt.Errorf("%s: type %s has no key encoding", path, name)
}

// floatBits is the precision a float kind (or a complex kind's parts) is
// parsed with, so a float32 is rounded as encoding/json rounds it.
func floatBits(k types.BasicKind) int {
	if k == types.Float32 || k == types.Complex64 {
		return 32
	}
	return 64
}

// complexValue reads a complex number as [re, im].
func complexValue(b []byte, u *types.Basic, raw []byte, path, name string) ([]byte, error) {
	if raw == nil {
		return runtime.AppendComplex(b, 0), nil
	}
	var parts []json.RawMessage
	if len(raw) == 0 || raw[0] != '[' || json.Unmarshal(raw, &parts) != nil || len(parts) != 2 {
		return b, fmt.Errorf("%s: want [re, im] for %s, got %s", path, name, describe(raw))
	}
	re, ok1 := floatValue(parts[0], floatBits(u.Kind()))
	im, ok2 := floatValue(parts[1], floatBits(u.Kind()))
	if !ok1 || !ok2 {
		return b, fmt.Errorf("%s: want [re, im] with numbers in the range of %s, got %s", path, name, describe(raw))
	}
	return runtime.AppendComplex(b, complex(re, im)), nil
}
