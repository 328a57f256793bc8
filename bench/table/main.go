// Command table reads `go test -bench` output of the bench module (and
// joblib's figures, when given) and prints the README's table: each path's
// median time for cachegen, its floor and the peers, with ratios to the
// floor and the target.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// row is one path of the table: its benchmarks' names (without the
// Benchmark prefix and the -N suffix) and its target.
type row struct {
	path, cachegen, floor string
	peers                 []string
	target                string
	limit                 float64 // the ratio cachegen/floor must not pass; 0: none
}

var rows = []row{
	{"memo hit, f(ctx, string, int)", "MemoHit/cachegen", "MemoHit/floor",
		[]string{"MemoHit/otter", "MemoHit/go-cache+singleflight", "MemoHit/golang-lru", "MemoHit/ristretto"}, "≤ 1.3× and ≤ the fastest peer", 1.3},
	{"memo hit, 2 goroutines", "MemoHitParallel/cachegen", "MemoHitParallel/floor", nil, "scales with cores", 1.0},
	{"warm hit (in-process layer)", "WarmHit/cachegen", "WarmHit/map+cbor", []string{"WarmHit/map+json"}, "≤ 1.0× map + CBOR decode", 1.0},
	{"cold hit, file store, new process", "ColdHit/cachegen", "ColdHit/file+cbor", nil, "≤ 1.0× file read + CBOR decode", 1.0},
	{"miss + store, file store", "Miss/cachegen", "Miss/temp+rename", nil, "≤ 1.2× temp file + rename", 1.2},
}

var (
	line   = regexp.MustCompile(`^Benchmark(\S+?)(?:-\d+)?\s+\d+\s+([\d.]+) ns/op`)
	metric = regexp.MustCompile(`([\d.]+) (peak-heap-MB|ns/hit)`)
)

func main() {
	joblib := flag.String("joblib", "", "a JSON file of joblib.Memory's hit and miss times (ns), from joblib_bench.py")
	flag.Parse()
	times := map[string][]float64{}
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		if m := line.FindStringSubmatch(sc.Text()); m != nil {
			v, _ := strconv.ParseFloat(m[2], 64)
			times[m[1]] = append(times[m[1]], v)
			for _, mm := range metric.FindAllStringSubmatch(sc.Text(), -1) {
				v, _ := strconv.ParseFloat(mm[1], 64)
				times[m[1]+" "+mm[2]] = append(times[m[1]+" "+mm[2]], v)
			}
		}
	}
	median := func(name string) (float64, bool) {
		v := slices.Clone(times[name])
		if len(v) == 0 {
			return 0, false
		}
		slices.Sort(v)
		return v[len(v)/2], true
	}
	fmt.Println("| path | cachegen | floor | ratio | target | peers (ratio to the floor) |")
	fmt.Println("| --- | --- | --- | --- | --- | --- |")
	missed := 0
	for _, r := range rows {
		c, ok1 := median(r.cachegen)
		f, ok2 := median(r.floor)
		if !ok1 || !ok2 {
			fmt.Printf("| %s | – | – | – | %s | not measured |\n", r.path, r.target)
			continue
		}
		ratio := c / f
		verdict := "holds"
		if r.limit > 0 && ratio > r.limit {
			verdict = "**missed**"
			missed++
		}
		var peers []string
		for _, p := range r.peers {
			if v, ok := median(p); ok {
				peers = append(peers, fmt.Sprintf("%s %s (%.2f×)", p[strings.IndexByte(p, '/')+1:], dur(v), v/f))
				if strings.Contains(r.target, "fastest peer") && v < c {
					verdict = "**slower than " + p[strings.IndexByte(p, '/')+1:] + "**"
				}
			}
		}
		fmt.Printf("| %s | %s | %s | %.2f× | %s: %s | %s |\n", r.path, dur(c), dur(f), ratio, r.target, verdict, strings.Join(peers, ", "))
	}
	scale(median)
	if *joblib != "" {
		data, err := os.ReadFile(*joblib)
		var j struct{ Hit, Miss float64 }
		if err == nil {
			err = json.Unmarshal(data, &j)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "table: joblib:", err)
			os.Exit(1)
		}
		if c, ok := median("ColdHit/cachegen"); ok {
			fmt.Printf("| joblib.Memory hit (Python, same machine) | %s | | %.2f× cachegen | | |\n", dur(j.Hit), j.Hit/c)
		}
		if c, ok := median("Miss/cachegen"); ok {
			fmt.Printf("| joblib.Memory miss (Python, same machine) | %s | | %.2f× cachegen | | |\n", dur(j.Miss), j.Miss/c)
		}
	}
	if missed > 0 {
		fmt.Printf("\n%d target(s) missed.\n", missed)
	}
}

// dur formats nanoseconds with a unit.
func dur(ns float64) string {
	switch {
	case ns < 1e3:
		return fmt.Sprintf("%.1f ns", ns)
	case ns < 1e6:
		return fmt.Sprintf("%.2f µs", ns/1e3)
	}
	return fmt.Sprintf("%.2f ms", ns/1e6)
}

// scale prints the scale table when the scale benchmarks ran.
func scale(median func(string) (float64, bool)) {
	var sizes []string
	for _, n := range []string{"1000", "100000", "1000000"} {
		if _, ok := median("ScaleStore/hit/" + n + " ns/hit"); ok {
			sizes = append(sizes, n)
		}
	}
	gen, okg := median("ScaleGenerate/cachegen")
	if len(sizes) == 0 && !okg {
		return
	}
	fmt.Println()
	fmt.Println("| at scale | figure | target |")
	fmt.Println("| --- | --- | --- |")
	if len(sizes) > 0 {
		first, _ := median("ScaleStore/hit/" + sizes[0] + " ns/hit")
		var hits []string
		worst := 1.0
		for _, n := range sizes {
			v, _ := median("ScaleStore/hit/" + n + " ns/hit")
			hits = append(hits, fmt.Sprintf("%s entries: %s", n, dur(v)))
			worst = max(worst, v/first)
		}
		fmt.Printf("| file store cold hit | %s (%.2f× the smallest) | flat within 1.2×: %s |\n", strings.Join(hits, ", "), worst, verdict(worst <= 1.2))
		n := sizes[len(sizes)-1]
		for _, pass := range []string{"ls", "stats", "gc"} {
			t, _ := median("ScaleStore/" + pass + "/" + n)
			h, _ := median("ScaleStore/" + pass + "/" + n + " peak-heap-MB")
			fmt.Printf("| %s over %s entries | %s, heap +%.1f MB | heap growth under 64 MB: %s |\n", pass, n, dur(t), h, verdict(h < 64))
		}
	}
	if okg {
		load, _ := median("ScaleGenerate/packages.Load")
		fmt.Printf("| go generate, 1,000 tasks in 100 packages | %s vs go/packages load %s: %.2f× | ≤ 1.5×: %s |\n", dur(gen), dur(load), gen/load, verdict(gen/load <= 1.5))
	}
	for _, temp := range []string{"cold", "warm"} {
		vet, ok := median("ScaleVet/" + temp + "/go-vet")
		if !ok {
			continue
		}
		limit := 1.2
		if temp == "cold" {
			limit = 1.5
		}
		for _, tool := range []string{"go-vet-vettool", "cachegen-vet"} {
			v, _ := median("ScaleVet/" + temp + "/" + tool)
			fmt.Printf("| %s, %s | %s vs go vet %s: %.2f× | ≤ %.1f×: %s |\n", strings.ReplaceAll(tool, "-", " "), temp, dur(v), dur(vet), v/vet, limit, verdict(v/vet <= limit))
		}
	}
}

func verdict(ok bool) string {
	if ok {
		return "holds"
	}
	return "**missed**"
}
