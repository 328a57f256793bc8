package redis_test

import (
	"os"
	"sync"
	"testing"

	"github.com/cachegen/cachegen/internal/testserver"
)

// shared is the package's redis-server, started by the first test that
// needs one and stopped by TestMain; sharedErr says why there is none.
var (
	sharedOnce sync.Once
	shared     *testserver.Redis
	sharedErr  error
)

// TestMain runs the tests, or with CACHEGEN_REDIS_HELPER set, one helper
// process of the multi-process tests (runtime_test.go).
func TestMain(m *testing.M) {
	if mode := os.Getenv(envHelper); mode != "" {
		os.Exit(helper(mode))
	}
	code := m.Run()
	if shared != nil {
		shared.Stop()
		os.RemoveAll(shared.Dir)
	}
	os.Exit(code)
}

// needServer returns the shared server, skipping the test when
// redis-server is not installed, unless CI=true, where that is a failure.
func needServer(t testing.TB) *testserver.Redis {
	t.Helper()
	sharedOnce.Do(func() {
		bin, err := testserver.Find("redis-server")
		if err != nil {
			sharedErr = err
			return
		}
		dir, err := os.MkdirTemp("", "cachegen-redis-")
		if err != nil {
			sharedErr = err
			return
		}
		shared, sharedErr = testserver.LaunchRedis(bin, dir)
	})
	if shared == nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("no redis-server: %v", sharedErr)
		}
		t.Skipf("no redis-server: %v", sharedErr)
	}
	return shared
}
