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

var line = regexp.MustCompile(`^Benchmark(\S+?)(?:-\d+)?\s+\d+\s+([\d.]+) ns/op`)

func main() {
	joblib := flag.String("joblib", "", "a JSON file of joblib.Memory's hit and miss times (ns), from joblib.py")
	flag.Parse()
	times := map[string][]float64{}
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		if m := line.FindStringSubmatch(sc.Text()); m != nil {
			v, _ := strconv.ParseFloat(m[2], 64)
			times[m[1]] = append(times[m[1]], v)
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
