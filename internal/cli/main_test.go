package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/cachegen/cachegen/backends"
	_ "github.com/cachegen/cachegen/backends/redis" // the stores cmd/cachegen registers
	cgruntime "github.com/cachegen/cachegen/runtime"
)

// TestMain lets the test binary act as the cachegen command (the build of
// cmd/cachegen, with its stores), so scripts and
// the end-to-end tests run "go generate" with //go:generate cachegen and get
// this build of the generator.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"cachegen":      func() { os.Exit(Main(context.Background(), os.Args[1:], os.Stdout, os.Stderr)) },
		"corrupt-entry": corruptEntry,
	})
}

// corruptEntry is a test-only command for scripts: corrupt-entry FILE
// overwrites, in the store $CACHEGEN_STORE names, the entry whose key is the
// "key" of the `cachegen explain -json` output saved in FILE.
func corruptEntry() {
	fail := func(err error) {
		fmt.Fprintln(os.Stderr, "corrupt-entry:", err)
		os.Exit(1)
	}
	if len(os.Args) != 2 {
		fail(errors.New("usage: corrupt-entry EXPLAIN_JSON_FILE"))
	}
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		fail(err)
	}
	var out struct{ Key string }
	if err := json.Unmarshal(data, &out); err != nil || out.Key == "" {
		fail(fmt.Errorf("no key in %s: %v", os.Args[1], err))
	}
	ctx := context.Background()
	store, err := cgruntime.Open(ctx, os.Getenv("CACHEGEN_STORE"))
	if err != nil {
		fail(err)
	}
	rc, _, err := store.Get(ctx, out.Key)
	if err != nil {
		fail(err) // only an existing entry is corrupted
	}
	rc.Close()
	if _, err := store.Put(ctx, out.Key, strings.NewReader("CGE not an entry"), backends.PutOptions{Size: -1}); err != nil {
		fail(err)
	}
}

// repoRoot is the root of this module, which test modules replace
// github.com/cachegen/cachegen with.
func repoRoot(t testing.TB) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}").Output()
	if err != nil {
		t.Fatalf("go list -m: %v", err)
	}
	return strings.TrimSpace(string(out))
}
