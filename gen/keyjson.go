package gen

import (
	"encoding/json"
	"go/types"

	"github.com/cachegen/cachegen/gen/internal/jsonkey"
)

// KeyFromJSON returns the encoded key arguments of a call of t from args, a
// JSON array with one element per KeyParams parameter, in order (see
// gen/internal/jsonkey for how JSON is read as each type). It is how
// `cachegen explain` finds the entry of a call without running the program.
func (t *Task) KeyFromJSON(args json.RawMessage) ([]byte, error) {
	ps := t.KeyParams()
	names := make([]string, len(ps))
	ts := make([]types.Type, len(ps))
	for i, p := range ps {
		names[i], ts[i] = p.Name, p.Type
	}
	return jsonkey.EncodeArgs(nil, names, ts, args)
}
