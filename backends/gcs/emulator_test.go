package gcs_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"cloud.google.com/go/storage"
	"google.golang.org/api/option"

	"github.com/cachegen/cachegen/backends/gcs"
	"github.com/cachegen/cachegen/internal/testserver"
)

// emulatorName is the GCS emulator scripts/test installs (fake-gcs-server,
// pinned there) into .tools/bin.
const emulatorName = "fake-gcs-server"

// emulator is one running fake-gcs-server on a loopback port.
type emulator struct {
	cmd      *exec.Cmd
	endpoint string          // http://127.0.0.1:PORT
	client   *storage.Client // for creating buckets and for the raw benchmarks
	buckets  atomic.Int64    // buckets made so far, for fresh names
	exited   chan struct{}   // closed when the process has ended
}

// shared is the emulator of the package's tests, started by TestMain;
// sharedErr says why there is none.
var (
	shared    *emulator
	sharedErr error
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "gcs-emulator-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	shared, sharedErr = startEmulator(dir)
	code := m.Run()
	if shared != nil {
		shared.stop()
	}
	os.RemoveAll(dir)
	os.Exit(code)
}

// needEmulator returns the shared emulator, or skips the test when the
// binary is not installed (fails under CI=true).
func needEmulator(t testing.TB) *emulator {
	t.Helper()
	if shared == nil {
		noEmulator(t, sharedErr)
	}
	return shared
}

// noEmulator skips or, under CI, fails because there is no emulator.
func noEmulator(t testing.TB, err error) {
	t.Helper()
	if errors.Is(err, errNoBinary) && os.Getenv("CI") != "true" {
		t.Skipf("%v (run scripts/test to install it)", err)
	}
	t.Fatalf("GCS emulator: %v", err)
}

var errNoBinary = errors.New(emulatorName + " is not installed")

// findEmulator returns the emulator binary (see testserver.Find).
func findEmulator() (string, error) {
	p, err := testserver.Find(emulatorName)
	if err != nil {
		return "", fmt.Errorf("%w: %v", errNoBinary, err)
	}
	return p, nil
}

// startEmulator starts fake-gcs-server, its log in dir, and waits until it
// answers.
func startEmulator(dir string) (*emulator, error) {
	bin, err := findEmulator()
	if err != nil {
		return nil, err
	}
	port, err := testserver.FreePort()
	if err != nil {
		return nil, err
	}
	// The memory backend: the filesystem one maps object names to paths,
	// so it cannot hold "a/b" and "a/b/c" at once, as GCS can.
	cmd := exec.Command(bin, "-scheme", "http", "-host", "127.0.0.1", "-port", strconv.Itoa(port),
		"-public-host", "127.0.0.1", "-backend", "memory", "-log-level", "error")
	logFile, err := os.Create(filepath.Join(dir, "emulator.log"))
	if err != nil {
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	e := &emulator{cmd: cmd, endpoint: "http://127.0.0.1:" + strconv.Itoa(port), exited: make(chan struct{})}
	go func() {
		cmd.Wait()
		logFile.Close()
		close(e.exited)
	}()
	if err := e.waitReady(10 * time.Second); err != nil {
		e.stop()
		log, _ := os.ReadFile(logFile.Name())
		return nil, fmt.Errorf("%w; its output: %s", err, log)
	}
	e.client, err = storage.NewClient(context.Background(),
		option.WithEndpoint(e.endpoint+"/storage/v1/"), option.WithoutAuthentication())
	if err != nil {
		e.stop()
		return nil, err
	}
	return e, nil
}

// waitReady polls the bucket listing until the emulator answers.
func (e *emulator) waitReady(d time.Duration) error {
	deadline := time.Now().Add(d)
	for {
		resp, err := http.Get(e.endpoint + "/storage/v1/b")
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("status %s", resp.Status)
		}
		select {
		case <-e.exited:
			return errors.New("emulator exited before answering")
		default:
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("emulator not answering after %v: %w", d, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// stop kills the emulator and waits for it to end.
func (e *emulator) stop() {
	if e.client != nil {
		e.client.Close()
	}
	e.cmd.Process.Kill()
	<-e.exited
}

// newBucket creates a bucket with a fresh name.
func (e *emulator) newBucket(t testing.TB) string {
	t.Helper()
	name := fmt.Sprintf("cachegen-test-%d", e.buckets.Add(1))
	if err := e.client.Bucket(name).Create(t.Context(), "test-project", nil); err != nil {
		t.Fatalf("create bucket %s: %v", name, err)
	}
	return name
}

// newStore opens a store on the emulator, closed at the end of the test.
func (e *emulator) newStore(t testing.TB, cfg gcs.Config) *gcs.Store {
	t.Helper()
	if cfg.Endpoint == "" {
		cfg.Endpoint = e.endpoint
	}
	s, err := gcs.New(t.Context(), cfg)
	if err != nil {
		t.Fatalf("gcs.New(%+v): %v", cfg, err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}
