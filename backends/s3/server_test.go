package s3_test

import (
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	s3store "github.com/cachegen/cachegen/backends/s3"
	"github.com/cachegen/cachegen/internal/testserver"
)

// Root credentials of the test servers; they exist only on loopback.
const (
	testAccess = "cachegen-test"
	testSecret = "cachegen-test-secret"
)

// server is a versitygw process serving a temporary directory on loopback.
type server struct {
	endpoint string
	cmd      *exec.Cmd
	dir      string
	waited   chan struct{}
}

// shared is the package's server, started by the first test that needs
// one and stopped by TestMain; sharedErr says why there is none.
var (
	sharedOnce sync.Once
	shared     *server
	sharedErr  error
)

func TestMain(m *testing.M) {
	flag.Parse()
	isolateAWSEnv()
	code := m.Run()
	if shared != nil {
		shared.stop()
	}
	os.Exit(code)
}

// isolateAWSEnv keeps the developer's AWS configuration out of the tests:
// the stores get static credentials and an explicit region.
func isolateAWSEnv() {
	for _, v := range []string{"AWS_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ACCESS_KEY_ID",
		"AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3"} {
		os.Unsetenv(v)
	}
	os.Setenv("AWS_CONFIG_FILE", os.DevNull)
	os.Setenv("AWS_SHARED_CREDENTIALS_FILE", os.DevNull)
	os.Setenv("AWS_EC2_METADATA_DISABLED", "true")
}

// findBinary looks for versitygw (see testserver.Find).
func findBinary() (string, error) { return testserver.Find("versitygw") }

// startServer starts versitygw on a free port over a fresh directory and
// waits until it accepts connections.
func startServer() (*server, error) {
	bin, err := findBinary()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "cachegen-s3-")
	if err != nil {
		return nil, err
	}
	port, err := testserver.FreePort()
	if err != nil {
		return nil, err
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	cmd := exec.Command(bin, "--access", testAccess, "--secret", testSecret, "--port", addr, "--quiet", "posix", dir)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir}
	if testing.Verbose() {
		cmd.Stderr = os.Stderr
	}
	if err := cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("start versitygw: %w", err)
	}
	s := &server{endpoint: "http://" + addr, cmd: cmd, dir: dir, waited: make(chan struct{})}
	go func() { cmd.Wait(); close(s.waited) }()
	for deadline := time.Now().Add(15 * time.Second); ; {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			return s, nil
		}
		select {
		case <-s.waited:
			os.RemoveAll(dir)
			return nil, fmt.Errorf("versitygw exited before serving: %v", cmd.ProcessState)
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			s.stop()
			return nil, fmt.Errorf("versitygw did not listen on %s within 15s", addr)
		}
	}
}

// stop kills the server and removes its directory.
func (s *server) stop() {
	s.cmd.Process.Kill()
	<-s.waited
	os.RemoveAll(s.dir)
}

// needServer returns the shared server, skipping the test when versitygw
// is not installed, unless CI=true, where that is a failure.
func needServer(t testing.TB) *server {
	t.Helper()
	sharedOnce.Do(func() { shared, sharedErr = startServer() })
	if shared == nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("no S3 test server: %v", sharedErr)
		}
		t.Skipf("no S3 test server: %v", sharedErr)
	}
	return shared
}

// config returns a store configuration for the server with static test
// credentials.
func (s *server) config(bucket, prefix string) s3store.Config {
	return s3store.Config{
		Bucket:      bucket,
		Prefix:      prefix,
		Region:      "us-east-1",
		Endpoint:    s.endpoint,
		PathStyle:   true,
		Credentials: credentials.NewStaticCredentialsProvider(testAccess, testSecret, ""),
	}
}

var bucketSeq atomic.Int64

// newBucket creates a bucket with a fresh name on the server.
func (s *server) newBucket(t testing.TB) string {
	t.Helper()
	name := fmt.Sprintf("cachegen-%d-%d", os.Getpid()%100000, bucketSeq.Add(1))
	st := s.open(t, name, "")
	if _, err := st.Client().CreateBucket(t.Context(), &s3.CreateBucketInput{Bucket: aws.String(name)}); err != nil {
		t.Fatalf("CreateBucket(%s): %v", name, err)
	}
	return name
}

// open returns a store on bucket and prefix of the server.
func (s *server) open(t testing.TB, bucket, prefix string) *s3store.Store {
	t.Helper()
	st, err := s3store.New(context.Background(), s.config(bucket, prefix))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return st
}

// bucketsByTest hands the same bucket to every call of one test, for the
// prefix isolation harness.
type bucketsByTest struct {
	srv *server
	mu  sync.Mutex // guards m
	m   map[string]string
}

func (b *bucketsByTest) get(t *testing.T) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	if name, ok := b.m[t.Name()]; ok {
		return name
	}
	if b.m == nil {
		b.m = make(map[string]string)
	}
	name := b.srv.newBucket(t)
	b.m[t.Name()] = name
	return name
}
