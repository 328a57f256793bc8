package runtime

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/cachegen/cachegen/backends/fs"
	"github.com/cachegen/cachegen/backends/memory"
)

func TestNewReadsEnvironmentAndOptionsWin(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(EnvStore, "file://"+dir)
	t.Setenv(EnvNamespace, "team-a")
	rt, err := New(context.Background(), WithLogger(quiet()))
	if err != nil {
		t.Fatal(err)
	}
	if s, ok := rt.Store().(*fs.Store); !ok || s.Dir() != dir {
		t.Fatalf("store %T, want the fs store at %s", rt.Store(), dir)
	}
	if ns := rt.Namespace(context.Background()); ns != "team-a" {
		t.Fatalf("namespace %q, want team-a", ns)
	}
	rt, err = New(context.Background(), WithStoreURL("mem://"), WithDefaultNamespace("b"), WithLogger(quiet()))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := rt.Store().(*memory.Store); !ok || rt.Namespace(context.Background()) != "b" {
		t.Fatalf("options did not win over the environment: %T %q", rt.Store(), rt.Namespace(context.Background()))
	}
	if ns := rt.Namespace(WithNamespace(context.Background(), "c")); ns != "c" {
		t.Fatalf("context namespace %q, want c", ns)
	}
	t.Setenv(EnvStore, "nosuch://x")
	if _, err := New(context.Background(), WithLogger(quiet())); err == nil || !strings.Contains(err.Error(), "unknown scheme") {
		t.Fatalf("New with a bad store URL: %v", err)
	}
}

func TestFromContext(t *testing.T) {
	rt, ctx := newRuntime(t, memory.New())
	if FromContext(ctx) != rt {
		t.Fatal("FromContext did not return the runtime put in the context")
	}
}

func TestTypeNameAndInstantiate(t *testing.T) {
	for got, want := range map[string]string{
		TypeName[int]():                     "int",
		TypeName[[]map[string]*time.Time](): "[]map[string]*time.Time",
		TypeName[result]():                  "github.com/cachegen/cachegen/runtime.result",
		TypeName[[2]result]():               "[2]github.com/cachegen/cachegen/runtime.result",
	} {
		if got != want {
			t.Errorf("TypeName = %q, want %q", got, want)
		}
	}
	a := testTask.Instantiate("int")
	b := testTask.Instantiate("string")
	if a.ID != testTask.ID+"[int]" || b.ID == a.ID || testTask.Instantiate("int") != a {
		t.Fatalf("instances %q %q: want distinct, cached identities", a.ID, b.ID)
	}
}
