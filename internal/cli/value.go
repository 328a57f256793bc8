package cli

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/cachegen/cachegen/gen"
	"github.com/cachegen/cachegen/runtime/catalog"
)

// printValue prints the stored value of the entry at key: decoded with the
// task's real type by a test that an overlay adds to the task's package
// (gen.ValueTest), when the packages have the task; else as a hex dump.
func (e *storeEnv) printValue(ctx context.Context, in catalog.Inspected, patterns []string, tags string) error {
	data := in.Data
	var why error
	if tasks, err := inspectTasks(ctx, cmpOrDot(patterns), tags); err != nil {
		why = err
	} else if t, err := gen.Find(tasks, strings.SplitN(in.Task, "[", 2)[0]); err != nil {
		why = err
	} else if value, err := decodeValue(ctx, t, data, tags); err != nil {
		why = err
	} else {
		if e.json {
			return writeJSON(e.out, struct {
				Value json.RawMessage `json:"value"`
			}{json.RawMessage(value)})
		}
		fmt.Fprintf(e.out, "value:\n%s\n", value)
		return nil
	}
	if e.json {
		return writeJSON(e.out, struct {
			Entry      []byte `json:"entry"`
			NotDecoded string `json:"not_decoded"`
		}{data, why.Error()})
	}
	fmt.Fprintf(e.out, "value (not decoded: %v):\n%s", why, hex.Dump(data))
	return nil
}

func cmpOrDot(patterns []string) []string {
	if len(patterns) == 0 {
		return []string{"."}
	}
	return patterns
}

// decodeValue runs gen.ValueTest's test over data and returns what it
// printed between its markers.
func decodeValue(ctx context.Context, t *gen.Task, data []byte, tags string) (string, error) {
	dir, src, err := gen.ValueTest(t)
	if err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp("", "cachegen-value-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	entryFile, testFile := filepath.Join(tmp, "entry"), filepath.Join(tmp, "value_test.go")
	overlay := filepath.Join(tmp, "overlay.json")
	ov, _ := json.Marshal(map[string]map[string]string{"Replace": {filepath.Join(dir, "cachegen_value_test.go"): testFile}})
	for name, b := range map[string][]byte{entryFile: data, testFile: src, overlay: ov} {
		if err := os.WriteFile(name, b, 0o600); err != nil {
			return "", err
		}
	}
	args := []string{"test", "-overlay", overlay, "-count=1", "-v", "-run", "^" + gen.ValueTestName + "$"}
	args = append(args, tagFlags(tags)...)
	cmd := exec.CommandContext(ctx, "go", append(args, ".")...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CACHEGEN_VALUE_ENTRY="+entryFile)
	out, err := cmd.CombinedOutput()
	_, rest, ok1 := strings.Cut(string(out), gen.ValueBegin+"\n")
	value, _, ok2 := strings.Cut(rest, "\n"+gen.ValueEnd)
	if err != nil || !ok1 || !ok2 {
		return "", fmt.Errorf("go test in %s: %v\n%s", relPath(dir), err, out)
	}
	return value, nil
}
