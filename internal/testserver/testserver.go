package testserver

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Find returns the path of a pinned test binary: in $CACHEGEN_TOOLS, else
// in the nearest .tools/bin above the working directory.
func Find(name string) (string, error) {
	var dirs []string
	if d := os.Getenv("CACHEGEN_TOOLS"); d != "" {
		dirs = append(dirs, d)
	}
	if wd, err := os.Getwd(); err == nil {
		for d := wd; ; d = filepath.Dir(d) {
			dirs = append(dirs, filepath.Join(d, ".tools", "bin"))
			if filepath.Dir(d) == d {
				break
			}
		}
	}
	for _, d := range dirs {
		if p := filepath.Join(d, name); isExec(p) {
			return p, nil
		}
	}
	return "", fmt.Errorf("%s is not installed in $CACHEGEN_TOOLS or .tools/bin (bash scripts/test installs it)", name)
}

// Tool is Find for a test: a missing binary skips the test, or fails it
// under CI=true.
func Tool(t testing.TB, name string) string {
	t.Helper()
	p, err := Find(name)
	if err == nil {
		return p
	}
	if os.Getenv("CI") == "true" {
		t.Fatal(err)
	}
	t.Skip(err)
	return ""
}

func isExec(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0
}

// FreeAddr returns a 127.0.0.1 address that was free a moment ago.
func FreeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// FreePort returns a 127.0.0.1 port that was free a moment ago.
func FreePort() (int, error) {
	addr, err := FreeAddr()
	if err != nil {
		return 0, err
	}
	_, port, _ := net.SplitHostPort(addr)
	return strconv.Atoi(port)
}

func freeAddr(t testing.TB) string {
	t.Helper()
	addr, err := FreeAddr()
	if err != nil {
		t.Fatal(err)
	}
	return addr
}

// start runs a server process until the test ends, and waits for addr to
// accept connections.
func start(t testing.TB, addr string, name string, args ...string) *exec.Cmd {
	t.Helper()
	cmd, err := launch(addr, name, args...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	return cmd
}

// launch starts a server process and waits up to 30 s for addr to accept
// connections; the caller stops the process.
func launch(addr string, name string, args ...string) (*exec.Cmd, error) {
	cmd := exec.Command(name, args...)
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
			return cmd, nil
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			cmd.Wait()
			return nil, fmt.Errorf("%s did not start on %s: %v\n%s", filepath.Base(name), addr, err, logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// S3 is a running S3-compatible server.
type S3 struct {
	Endpoint  string // http://127.0.0.1:PORT
	AccessKey string
	SecretKey string
	Region    string
	root      string // the posix backend's directory: one folder per bucket
	cmd       *exec.Cmd
}

// StartS3 starts versitygw with a posix backend in a temporary directory.
func StartS3(t testing.TB) *S3 {
	t.Helper()
	bin := Tool(t, "versitygw")
	addr := freeAddr(t)
	s := &S3{Endpoint: "http://" + addr, AccessKey: "cachegen-test", SecretKey: "cachegen-test-secret", Region: "us-east-1", root: t.TempDir()}
	s.cmd = start(t, addr, bin, "--port", addr, "--access", s.AccessKey, "--secret", s.SecretKey, "--region", s.Region, "posix", s.root)
	return s
}

// CreateBucket creates a bucket. The posix backend serves each folder of
// its directory as a bucket, so this needs no S3 client: the packages that
// start servers stay free of the cloud SDKs, which live in the store
// modules of their own.
func (s *S3) CreateBucket(t testing.TB, name string) {
	t.Helper()
	if err := os.Mkdir(filepath.Join(s.root, name), 0o755); err != nil {
		t.Fatalf("create bucket %s: %v", name, err)
	}
}

// StoreURL creates a bucket, puts the server's credentials into the test's
// environment (t.Setenv, where the S3 store's SDK reads them) and returns
// the s3:// URL of prefix p in that bucket on this server.
func (s *S3) StoreURL(t testing.TB, bucket string) string {
	t.Helper()
	s.CreateBucket(t, bucket)
	for _, kv := range s.Env() {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	return "s3://" + bucket + "/p?path_style=true&endpoint=" + s.Endpoint
}

// Env is the environment a program needs to reach the server with the
// SDK's default credential chain.
func (s *S3) Env() []string {
	return []string{"AWS_ACCESS_KEY_ID=" + s.AccessKey, "AWS_SECRET_ACCESS_KEY=" + s.SecretKey, "AWS_REGION=" + s.Region}
}

// Stop kills the server, to test a store that goes away.
func (s *S3) Stop() { s.cmd.Process.Kill(); s.cmd.Wait() }

// Freeze stops the server's process (SIGSTOP) without closing its socket:
// connections are accepted by the kernel and never answered, as with a
// hung server. Thaw resumes it.
func (s *S3) Freeze() error { return s.cmd.Process.Signal(syscall.SIGSTOP) }

// Thaw resumes a frozen server (SIGCONT).
func (s *S3) Thaw() error { return s.cmd.Process.Signal(syscall.SIGCONT) }

// GCS is a running GCS emulator.
type GCS struct {
	Endpoint string // http://127.0.0.1:PORT/storage/v1/
	Host     string // 127.0.0.1:PORT, for STORAGE_EMULATOR_HOST
	cmd      *exec.Cmd
}

// StartGCS starts fake-gcs-server with a file-system backend in a
// temporary directory.
func StartGCS(t testing.TB) *GCS {
	t.Helper()
	bin := Tool(t, "fake-gcs-server")
	addr := freeAddr(t)
	_, port, _ := net.SplitHostPort(addr)
	g := &GCS{Endpoint: "http://" + addr + "/storage/v1/", Host: addr}
	g.cmd = start(t, addr, bin, "-scheme", "http", "-host", "127.0.0.1", "-port", port, "-public-host", addr,
		"-backend", "filesystem", "-filesystem-root", t.TempDir(), "-log-level", "error")
	return g
}

// CreateBucket creates a bucket through the emulator's JSON API.
func (g *GCS) CreateBucket(t testing.TB, name string) {
	t.Helper()
	resp, err := http.Post(g.Endpoint+"b?project=test", "application/json", bytes.NewReader([]byte(`{"name":"`+name+`"}`)))
	if err != nil {
		t.Fatalf("create bucket %s: %v", name, err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("create bucket %s: %s", name, resp.Status)
	}
}

// Stop kills the emulator, to test a store that goes away.
func (g *GCS) Stop() { g.cmd.Process.Kill(); g.cmd.Wait() }

// Redis is a running redis-server.
type Redis struct {
	Addr string // 127.0.0.1:PORT
	Dir  string // its working directory
	cmd  *exec.Cmd
}

// StartRedis starts redis-server on a free port, without persistence, in a
// temporary directory, stopped when the test ends. extra are more
// command-line options ("--requirepass", "secret").
func StartRedis(t testing.TB, extra ...string) *Redis {
	t.Helper()
	bin := Tool(t, "redis-server")
	r, err := LaunchRedis(bin, t.TempDir(), extra...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Stop)
	return r
}

// LaunchRedis is StartRedis for a server that outlives one test (a
// package's shared server): bin is the binary (see Find), dir its working
// directory; the caller calls Stop.
func LaunchRedis(bin, dir string, extra ...string) (*Redis, error) {
	return launchRedis(bin, dir, "--port", extra)
}

// StartRedisTLS starts redis-server serving TLS only, with the PEM
// certificate and key files given, stopped when the test ends.
func StartRedisTLS(t testing.TB, certFile, keyFile string) *Redis {
	t.Helper()
	bin := Tool(t, "redis-server")
	r, err := launchRedis(bin, t.TempDir(), "--tls-port", []string{"--port", "0",
		"--tls-cert-file", certFile, "--tls-key-file", keyFile, "--tls-ca-cert-file", certFile, "--tls-auth-clients", "no"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Stop)
	return r
}

// launchRedis starts redis-server with portFlag (--port or --tls-port) on
// a free port.
func launchRedis(bin, dir, portFlag string, extra []string) (*Redis, error) {
	addr, err := FreeAddr()
	if err != nil {
		return nil, err
	}
	_, port, _ := net.SplitHostPort(addr)
	args := append([]string{portFlag, port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir}, extra...)
	cmd, err := launch(addr, bin, args...)
	if err != nil {
		return nil, err
	}
	return &Redis{Addr: addr, Dir: dir, cmd: cmd}, nil
}

// Stop kills the server, to test a store that goes away.
func (r *Redis) Stop() { r.cmd.Process.Kill(); r.cmd.Wait() }

// Freeze stops the server's process without closing its connections (a
// hung server); Thaw resumes it.
func (r *Redis) Freeze() error { return r.cmd.Process.Signal(syscall.SIGSTOP) }

// Thaw resumes a frozen server.
func (r *Redis) Thaw() error { return r.cmd.Process.Signal(syscall.SIGCONT) }
