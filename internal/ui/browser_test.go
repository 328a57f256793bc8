package ui_test

import (
	"context"
	"errors"
	"flag"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"golang.org/x/tools/txtar"

	"github.com/cachegen/cachegen/backends"
	"github.com/cachegen/cachegen/backends/fs"
	"github.com/cachegen/cachegen/gen"
	"github.com/cachegen/cachegen/internal/testmod"
	"github.com/cachegen/cachegen/internal/ui"
	"github.com/cachegen/cachegen/runtime"
)

var screenshots = flag.Bool("screenshots", false, "write the pages' screenshots to docs/ (for the README)")

// chromium returns the path of a headless-capable Chromium, skipping the
// test when there is none, unless CI=true, where that is a failure.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("no chromium (bash scripts/test installs Debian's chromium package)")
	}
	t.Skip("no chromium (bash scripts/test installs Debian's chromium package)")
	return ""
}

// browser starts headless Chromium for the test and returns a tab.
func browser(t *testing.T) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromium(t)), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("no-first-run", true), chromedp.Flag("window-size", "1200,900"))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	ctx, cancel3 := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(cancel3)
	return ctx
}

// module is the user's module the wrappers are generated into: a task and
// a program that calls it once per argument and closes the runtime, so its
// activity is written.
const module = `-- go.mod --
module example.com/shop

go 1.26
-- price.go --
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	cgrt "github.com/cachegen/cachegen/runtime"
)

//go:generate cachegen

//cache:task
func Price(ctx context.Context, item string) (int, error) {
	time.Sleep(40 * time.Millisecond) // a price lookup
	return len(item) * 100, nil
}

func main() {
	ctx := context.Background()
	for _, item := range os.Args[1:] {
		p, err := PriceCached(ctx, item)
		fmt.Println(item, p, err)
	}
	if err := cgrt.Default().Close(); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
}
`

// shop writes the module, generates its wrappers and returns its directory.
func shop(t *testing.T) string {
	t.Helper()
	t.Setenv("GOFLAGS", "-mod=mod") // the replace directive's requirements resolve from go.sum
	dir := t.TempDir()
	root, err := testmod.Root()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := testmod.Extract(txtar.Parse([]byte(module)), "", dir); err != nil {
		t.Fatal(err)
	}
	if err := testmod.UseRepo(dir, root); err != nil {
		t.Fatal(err)
	}
	generate(t, dir)
	return dir
}

func generate(t *testing.T, dir string) {
	t.Helper()
	res, err := gen.Generate(t.Context(), gen.Config{Dir: dir, Patterns: []string{"."}})
	if err != nil {
		t.Fatalf("generate: %v", err)
	}
	if len(res.Errors) > 0 {
		t.Fatalf("generate: %v", res.Errors)
	}
	if err := res.Write(); err != nil {
		t.Fatal(err)
	}
}

// runShop runs the program with items as arguments on the store.
func runShop(t *testing.T, dir, store string, items ...string) {
	t.Helper()
	cmd := exec.Command("go", append([]string{"run", "."}, items...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CACHEGEN_STORE=file://"+store, runtime.EnvActivity+"=1h", "GOFLAGS=-mod=mod")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go run %v: %v\n%s", items, err, out)
	}
}

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

func navigate(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatalf("navigate %s: %v", url, err)
	}
}

// click clicks the element of a CSS selector and waits for the next page.
func click(t *testing.T, ctx context.Context, selector string) {
	t.Helper()
	before := eval[string](t, ctx, "location.href")
	if err := chromedp.Do(ctx, chromedp.Click(selector)); err != nil {
		t.Fatalf("click %s: %v", selector, err)
	}
	// The page changes under the evaluation; retry until the new one is
	// loaded.
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		href, err := chromedp.Run(ctx, chromedp.Evaluate[string]("document.readyState == 'complete' ? location.href : ''"))
		if err == nil && href != "" && href != before {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("clicking %s did not load another page (still %s, %v)", selector, before, err)
		}
	}
}

func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // quality 100: PNG
	if err != nil || len(png) < 1000 {
		t.Fatalf("screenshot %s: %d bytes, %v", name, len(png), err)
	}
	dir := t.TempDir()
	if *screenshots {
		root, _ := testmod.Root()
		dir = filepath.Join(root, "docs")
	}
	if err := os.WriteFile(filepath.Join(dir, "ui-"+name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestBrowser drives headless Chromium through the pages of a store that
// real generated wrappers filled, in two processes.
func TestBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a module and starts a browser")
	}
	ctx := browser(t)
	dir, storeDir := shop(t), t.TempDir()
	runShop(t, dir, storeDir, "tea", "tea", "scones") // 2 misses, 1 memory hit
	runShop(t, dir, storeDir, "tea", "scones")        // 2 store hits
	store, err := fs.New(storeDir)
	if err != nil {
		t.Fatal(err)
	}
	inspect := func() []runtime.Task {
		tasks, errs, err := gen.Inspect(t.Context(), gen.Config{Dir: dir, Patterns: []string{"."}})
		if err != nil || len(errs) > 0 {
			t.Fatalf("inspect: %v %v", err, errs)
		}
		var out []runtime.Task
		for _, task := range tasks {
			out = append(out, task.Descriptor())
		}
		return out
	}
	serve := func(allowPurge bool) string {
		srv, err := ui.New(ui.Config{Store: store, StoreURL: "file://" + storeDir, Tasks: inspect(), AllowPurge: allowPurge, Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			t.Fatal(err)
		}
		hs := httptest.NewServer(srv)
		t.Cleanup(hs.Close)
		return hs.URL
	}
	const task = "example.com/shop.Price"
	row := `document.querySelector('#tasks tr[data-task="` + task + `"]')`

	base := serve(false)
	navigate(t, ctx, base+"/")
	if hits, misses := eval[string](t, ctx, row+".querySelector('td.hits').textContent"), eval[string](t, ctx, row+".querySelector('td.misses').textContent"); hits != "3" || misses != "2" {
		t.Fatalf("tasks page: %s hits, %s misses; want 3 and 2", hits, misses)
	}
	if reasons := eval[string](t, ctx, row+".querySelector('td.reasons').textContent"); !strings.Contains(reasons, "first call") {
		t.Errorf("tasks page reasons: %q", reasons)
	}
	intervals := map[string]bool{}
	for info, err := range store.List(t.Context(), backends.ActivityPrefix(runtime.DefaultNamespace)) {
		if err != nil {
			t.Fatal(err)
		}
		interval, _, _ := strings.Cut(strings.TrimPrefix(info.Key, backends.ActivityPrefix(runtime.DefaultNamespace)), "/")
		intervals[interval] = true
	}
	if n := eval[int](t, ctx, "document.querySelectorAll('svg.chart circle.point.hits').length"); n != len(intervals) || n == 0 {
		t.Errorf("the chart has %d points, want one per interval: %d", n, len(intervals))
	}
	screenshot(t, ctx, "tasks")

	// Edit the body: the next run misses, and the page says why.
	src := filepath.Join(dir, "price.go")
	b, _ := os.ReadFile(src)
	os.WriteFile(src, []byte(strings.Replace(string(b), "len(item) * 100", "len(item) * 120", 1)), 0o644)
	generate(t, dir)
	runShop(t, dir, storeDir, "tea")
	base = serve(false)
	navigate(t, ctx, base+"/")
	if reasons := eval[string](t, ctx, row+".querySelector('td.reasons').textContent"); !strings.Contains(reasons, "code changed: the function's own code") {
		t.Errorf("after a body edit, the reasons are %q", reasons)
	}

	// Task, then entry.
	click(t, ctx, `#tasks tr[data-task="`+task+`"] a`)
	if since := eval[string](t, ctx, "Array.from(document.querySelectorAll('.since')).map(e => e.textContent).join('|')"); !strings.Contains(since, "changed decl") {
		t.Errorf("the task page does not say what changed since the old fingerprint: %q", since)
	}
	screenshot(t, ctx, "task")
	click(t, ctx, "#entries a.entry")
	header := eval[string](t, ctx, "document.querySelector('#header').textContent")
	if !strings.Contains(header, "cache/default/example.com%2Fshop.Price/") || !strings.Contains(header, "compute") {
		t.Errorf("entry page header: %q", header)
	}
	screenshot(t, ctx, "entry")
	key := eval[string](t, ctx, "document.querySelector('#header dd code').textContent")

	// Purging: refused without the flag; with it, confirmed, the entry goes.
	navigate(t, ctx, base+"/purge?key="+key)
	if body := eval[string](t, ctx, "document.body.textContent"); !strings.Contains(body, "purging is off") {
		t.Errorf("purge without -allow-purge: %q", body)
	}
	if _, _, err := store.Get(t.Context(), key); err != nil {
		t.Fatalf("the refused purge deleted the entry: %v", err)
	}
	base = serve(true)
	navigate(t, ctx, base+"/task?id="+task)
	click(t, ctx, `a.purge[href*="`+key[strings.LastIndexByte(key, '/')+1:]+`"]`)
	click(t, ctx, "#confirm")
	if _, _, err := store.Get(t.Context(), key); !errors.Is(err, backends.ErrNotFound) {
		t.Errorf("after a confirmed purge the entry is still there: %v", err)
	}
}
