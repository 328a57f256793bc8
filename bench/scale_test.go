package bench

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/tools/go/packages"

	"github.com/cachegen/cachegen/backends"
	"github.com/cachegen/cachegen/backends/fs"
	"github.com/cachegen/cachegen/backends/storetest"
	"github.com/cachegen/cachegen/gen"
	cgrt "github.com/cachegen/cachegen/runtime"
	"github.com/cachegen/cachegen/runtime/catalog"
)

// The scale benchmarks build large stores and modules: they run only when
// CACHEGEN_BENCH_SCALE is set (bench/run sets it), not in CI's smoke run.
// Its value is the largest store, in entries ("1e5", "1e6").
func scaleSizes(b *testing.B) []int {
	v := os.Getenv("CACHEGEN_BENCH_SCALE")
	if v == "" {
		b.Skip("CACHEGEN_BENCH_SCALE is not set")
	}
	top, err := strconv.ParseFloat(v, 64)
	if err != nil {
		b.Fatalf("CACHEGEN_BENCH_SCALE=%q: %v", v, err)
	}
	var sizes []int
	for n := 1000; n <= int(top); n *= 100 {
		sizes = append(sizes, n)
	}
	if int(top) >= 1_000_000 && sizes[len(sizes)-1] != 1_000_000 {
		sizes = append(sizes, 1_000_000)
	}
	return sizes
}

// fillStore writes n entries of the Score task into a file store: one
// real entry (hit by the benchmarks), and n-1 others under the same
// task's layout, written in parallel.
func fillStore(b *testing.B, n int) backends.Store {
	dir := b.TempDir()
	store, err := fs.New(dir)
	if err != nil {
		b.Fatal(err)
	}
	ctx, _ := contextOver(b, store)
	ScoreCached(ctx, "sample", 42)
	var wg sync.WaitGroup
	work := make(chan int)
	value := bytes.Repeat([]byte("x"), 200)
	for range 8 {
		wg.Go(func() {
			for i := range work {
				key := backends.CacheKey(cgrt.DefaultNamespace, "github.com/cachegen/cachegen/bench.Score", "e0e8fafa73ecf36d", fmt.Sprintf("%016x", uint64(i)*0x9e3779b97f4a7c15))
				if _, err := store.Put(context.Background(), key, bytes.NewReader(value), backends.PutOptions{Size: int64(len(value))}); err != nil {
					b.Error(err)
				}
			}
		})
	}
	for i := 1; i < n; i++ {
		work <- i
	}
	close(work)
	wg.Wait()
	return store
}

func contextOver(b *testing.B, store backends.Store) (context.Context, *cgrt.Runtime) {
	rt, err := cgrt.New(context.Background(), cgrt.WithStore(store), cgrt.WithMemoryLimit(0), cgrt.WithActivityInterval(0),
		cgrt.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		b.Fatal(err)
	}
	return cgrt.WithRuntime(context.Background(), rt), rt
}

// heapGrowth runs fn and returns the most the heap in use grew meanwhile.
func heapGrowth(fn func() error) (uint64, error) {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	stop := storetest.HeapPeak()
	err := fn()
	return max(stop(), ms.HeapInuse) - ms.HeapInuse, err
}

// BenchmarkScaleStore measures, on file stores of 10³ up to the scale's
// entries, a cold hit and the store commands' passes (ls's listing, stats,
// gc's trim in a dry run) with their peak heap growth.
func BenchmarkScaleStore(b *testing.B) {
	for _, n := range scaleSizes(b) {
		store := fillStore(b, n)
		b.Run(fmt.Sprintf("hit/%d", n), func(b *testing.B) {
			// 500 hits an iteration, reported per hit, so a few iterations
			// (-benchtime 3x, as bench/run runs these) measure it well.
			ctx, _ := contextOver(b, store)
			start := time.Now()
			for b.Loop() {
				for range 500 {
					if r, _ := ScoreCached(ctx, "sample", 42); r.Name != "sample-42" {
						b.Fatal(r)
					}
				}
			}
			b.ReportMetric(float64(time.Since(start).Nanoseconds())/float64(500*b.N), "ns/hit")
		})
		cat := &catalog.Catalog{Store: store}
		for name, pass := range map[string]func() error{
			"ls": func() error {
				for _, err := range cat.Entries(context.Background(), "") {
					if err != nil {
						return err
					}
				}
				return nil
			},
			"stats": func() error { _, _, err := cat.Stats(context.Background(), false, nil); return err },
			"gc": func() error {
				return cat.Trim(context.Background(), catalog.Policy{OlderThan: time.Hour, MaxBytes: int64(n) * 100}, &catalog.Sweep{DryRun: true})
			},
		} {
			b.Run(fmt.Sprintf("%s/%d", name, n), func(b *testing.B) {
				var peak uint64
				for b.Loop() {
					g, err := heapGrowth(pass)
					if err != nil {
						b.Fatal(err)
					}
					peak = max(peak, g)
				}
				b.ReportMetric(float64(peak)/1e6, "peak-heap-MB")
			})
		}
	}
}

// writeModule writes a module of tasks tasks in pkgs packages, each task
// calling a helper of its package.
func writeModule(b *testing.B, pkgs, tasks int) string {
	dir := b.TempDir()
	root, _ := filepath.Abs("..")
	gomod := "module example.com/big\n\ngo 1.26\n\nrequire github.com/cachegen/cachegen v0.0.0\n\nreplace github.com/cachegen/cachegen => " + root + "\n"
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte(gomod), 0o644)
	sum, _ := os.ReadFile(filepath.Join(root, "go.sum"))
	os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644)
	for p := range pkgs {
		var src strings.Builder
		fmt.Fprintf(&src, "package p%d\n\nimport \"context\"\n\nfunc helper(s string) int { return len(s) * %d }\n", p, p+1)
		for t := range tasks / pkgs {
			fmt.Fprintf(&src, "\n//cache:task\nfunc Task%d(ctx context.Context, s string, n int) (int, error) {\n\treturn helper(s) + n + %d, nil\n}\n", t, t)
		}
		pd := filepath.Join(dir, fmt.Sprintf("p%d", p))
		os.MkdirAll(pd, 0o755)
		os.WriteFile(filepath.Join(pd, "tasks.go"), []byte(src.String()), 0o644)
	}
	return dir
}

// BenchmarkScaleGenerate generates a module of 1,000 tasks in 100
// packages, against a go/packages load of the same packages with syntax
// and types (the floor: generating must load them so).
func BenchmarkScaleGenerate(b *testing.B) {
	scaleSizes(b)
	dir := writeModule(b, 100, 1000)
	b.Setenv("GOFLAGS", "-mod=mod")
	b.Run("cachegen", func(b *testing.B) {
		for b.Loop() {
			res, err := gen.Generate(context.Background(), gen.Config{Dir: dir, Patterns: []string{"./..."}})
			if err != nil || len(res.Errors) > 0 || len(res.Files) != 100 {
				b.Fatalf("generate: %v %v", err, res)
			}
		}
	})
	b.Run("packages.Load", func(b *testing.B) {
		for b.Loop() {
			pkgs, err := packages.Load(&packages.Config{Dir: dir, Mode: packages.LoadAllSyntax}, "./...")
			if err != nil || len(pkgs) != 100 {
				b.Fatalf("load: %v, %d packages", err, len(pkgs))
			}
		}
	})
}

// BenchmarkScaleVet runs go vet, go vet -vettool=cachegen and cachegen vet
// on the generated module: "warm" with nothing changed since the last
// run, "cold" after an edit of one package.
func BenchmarkScaleVet(b *testing.B) {
	scaleSizes(b)
	dir := writeModule(b, 100, 1000)
	b.Setenv("GOFLAGS", "-mod=mod")
	res, err := gen.Generate(context.Background(), gen.Config{Dir: dir, Patterns: []string{"./..."}})
	if err != nil || len(res.Errors) > 0 {
		b.Fatal(err, res.Errors)
	}
	res.Write()
	bin := filepath.Join(b.TempDir(), "cachegen")
	if out, err := exec.Command("go", "build", "-C", "..", "-o", bin, "./cmd/cachegen").CombinedOutput(); err != nil {
		b.Fatalf("build cachegen: %v\n%s", err, out)
	}
	tools := map[string][]string{
		"go-vet":         {"go", "vet", "./..."},
		"go-vet-vettool": {"go", "vet", "-vettool=" + bin, "./..."},
		"cachegen-vet":   {bin, "vet", "./..."},
	}
	run := func(b *testing.B, argv []string) {
		cmd := exec.Command(argv[0], argv[1:]...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("%v: %v\n%s", argv, err, out)
		}
	}
	edit := 0
	for _, temp := range []string{"warm", "cold"} {
		for name, argv := range tools {
			b.Run(temp+"/"+name, func(b *testing.B) {
				run(b, argv) // fill the caches a warm run relies on
				for b.Loop() {
					if temp == "cold" {
						b.StopTimer()
						edit++
						helper := filepath.Join(dir, "p0", "edit.go")
						os.WriteFile(helper, []byte(fmt.Sprintf("package p0\n\nconst edit = %d\n", edit)), 0o644)
						b.StartTimer()
					}
					run(b, argv)
				}
			})
		}
	}
}
