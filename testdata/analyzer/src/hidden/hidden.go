// Package hidden holds tasks that read inputs their cache key cannot see.
package hidden

import (
	crand "crypto/rand"
	"fmt"
	"log"
	"math/rand"
	"net"
	"net/http"
	"os"
	"time"
)

// Env reads an environment variable.
//
// want +2 `^Env reads the environment \(os.Getenv\) which the cache key cannot see; add it to the key or allow=env$`
//
//cache:task
func Env(x int) string { return os.Getenv("HOME") }

// EnvAllowed reads one on purpose: silent.
//
//cache:task allow=env
func EnvAllowed(x int) string { return os.Getenv("HOME") }

// Clock reads the clock through a helper.
//
// want +2 `^Clock reads the clock \(time.Now\) which the cache key cannot see; add it to the key or allow=clock$`
//
//cache:task
func Clock(x int) int { return x + stamp() }

func stamp() int { return deeper() }

func deeper() int { return time.Now().Second() }

// Cycle calls helpers that call each other and end in the environment.
//
// want +2 `^Cycle reads the environment \(os.LookupEnv\)`
//
//cache:task
func Cycle(n int) int { return ping(n) }

func ping(n int) int {
	if n == 0 {
		return 0
	}
	return pong(n - 1)
}

func pong(n int) int {
	if _, ok := os.LookupEnv("X"); ok {
		return 1
	}
	return ping(n)
}

// Many reads several kinds at once; allow= silences some of them.
//
// want +2 `^Many reads files \(os.ReadFile\)` `^Many reads the network \(net.Dial\)` `^Many reads randomness \(math/rand.Intn\)`
//
//cache:task allow=clock
func Many(c *http.Client, req *http.Request) int {
	_ = time.Since(time.Time{})
	_, _ = os.ReadFile("f")
	_, _ = net.Dial("tcp", "x")
	_, _ = c.Do(req)
	return rand.Intn(3)
}

// ClientDo sends a request.
//
// want +2 `^ClientDo reads the network \(\(\*net/http.Client\).Do\)`
//
//cache:task
func ClientDo(c *http.Client, req *http.Request) error { _, err := c.Do(req); return err }

// Crypto reads crypto/rand.Reader.
//
// want +2 `^Crypto reads randomness \(crypto/rand.Read\) which`
//
//cache:task
func Crypto(b []byte) { _, _ = crand.Read(b) }

// HTTP calls http.Get.
//
// want +2 `^HTTP reads the network \(net/http.Get\)`
//
//memo:task
func HTTP(url string) error { _, err := http.Get(url); return err }

// Seeded builds a generator from a fixed seed: silent.
//
//cache:task
func Seeded(seed int64) int { return rand.New(rand.NewSource(seed)).Intn(10) }

var (
	counter int                // assigned in Bump: mutable
	limit   = 10               // never assigned again: a constant in all but name
	table   = map[string]int{} // written through an index in init
	conf    struct{ n int }    // written through a field
	ptr     int                // its address escapes
)

func init() { table["a"] = 1 }

// Bump writes counter.
func Bump() { counter++; conf.n = 2; p := &ptr; *p = 1 }

// Global reads a mutable package-level variable.
//
// want +2 `^Global reads the mutable package-level variable counter which the cache key cannot see; add it to the key or allow=globals$`
//
//cache:task
func Global(x int) int { return x + counter }

// Globals reads others through a helper.
//
// want +2 `variable table`
//
//cache:task
func Globals(x int) int { return x + lookup() + limit }

func lookup() int { return table["a"] }

// Field reads a field of a mutable struct.
//
// want +2 `variable conf`
//
//cache:task
func Field() int { return conf.n }

// Pointer reads a variable whose address was taken.
//
// want +2 `variable ptr`
//
//cache:task
func Pointer() int { return ptr }

// GlobalAllowed reads counter on purpose: silent.
//
//cache:task allow=globals
func GlobalAllowed(x int) int { return x + counter }

// Pure reads only its parameters and an immutable variable: silent.
//
//cache:task
func Pure(x int, s string) int { return x + len(s) + limit }

// Printer writes output, which is not an input: silent.
//
//cache:task
func Printer(x int) int {
	fmt.Println(x)
	fmt.Fprintln(os.Stdout, x)
	log.Printf("x=%d", x)
	return x
}

// Calls calls another task's wrapper, which is not followed: silent.
//
//cache:task
func Calls(x int) string { return EnvAllowedCached(x) }

// S has a method task.
type S struct{ dir string }

// Load reads a file through a method of S.
//
// want +2 `^S.Load reads files \(os.Open\)`
//
//cache:task
func (s *S) Load(name string) error { return s.open(name) }

func (s *S) open(name string) error {
	f, err := os.Open(s.dir + name)
	if err == nil {
		f.Close()
	}
	return err
}
