package runtime

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/cachegen/cachegen/backends"
	_ "github.com/cachegen/cachegen/backends/fs"     // registers file://, the default store
	_ "github.com/cachegen/cachegen/backends/memory" // registers mem://
)

// Environment variables read by [New] and [Default].
const (
	EnvStore     = "CACHEGEN_STORE"     // store URL, or "off"
	EnvNamespace = "CACHEGEN_NAMESPACE" // the namespace calls cache under
	EnvParents   = "CACHEGEN_PARENTS"   // namespaces read through, in order, comma-separated
	EnvRefresh   = "CACHEGEN_REFRESH"   // "1": re-run every task once per key; or task names, comma-separated
)

// DefaultNamespace is the namespace used when none is configured.
const DefaultNamespace = "default"

// DefaultMemoryLimit bounds the in-process layer's payload bytes.
const DefaultMemoryLimit = 64 << 20

// A Runtime holds what the cache path needs: a store, a namespace, the
// in-process layer, the singleflight group and the counters. It is safe for
// concurrent use. Most programs use [Default]; tests and programs that talk
// to several stores build their own with [New] and put it in a context with
// [WithRuntime].
//
// The zero Runtime is usable: it has no store, so results are kept in this
// process's memory only (as with mem://), in the default namespace, and it
// logs to slog's default logger. [WithRuntime] readies it.
type Runtime struct {
	// ready fills the defaults of a zero Runtime once (see WithRuntime).
	ready sync.Once

	store     backends.Store // nil: no store (caching off or the store failed to open)
	readAll   readAller      // store's fast whole-object read, if it has one
	storeURL  string
	namespace string
	disabled  bool           // CACHEGEN_STORE=off: wrappers call the function
	readOnly  bool           // CACHEGEN_READONLY: the store is read, never written
	br        *breaker       // the store's circuit breaker, a tiered store's shared level's (nil without a store)
	brs       []*breaker     // every level's breaker, for Stats
	opened    backends.Store // the store as opened or given; store wraps it
	keys      signer         // signs written entries, verifies read ones
	stale     StaleCheck     // what a wrapper whose source changed since go generate does
	log       *slog.Logger
	now       func() time.Time
	parents   []string      // namespaces read through after the own one
	lease     time.Duration // lease period of lock tasks; 0: the lease package's default
	refresh   *refreshState // from CACHEGEN_REFRESH, for the whole process; nil if none
	layer     *layer
	flight    singleflight.Group
	stats     counters

	// procRun is the run of memoised calls under a context without one
	// (CACHEGEN_RUN, CACHEGEN_RUN_PARENT), built on first use by processRun.
	procRun            atomic.Pointer[Run]
	runID, runParentID string // CACHEGEN_RUN, CACHEGEN_RUN_PARENT

	caches namedCaches // named caches' stores (NamedCache)

	rec *activityRecorder // recorded activity; nil when off or without a store
	obs Observer          // WithObserver's, or nil

	explained sync.Map // map[explainedKey]bool: fingerprints whose first miss was explained

	warnOnce  sync.Map // map[string]bool: messages logged once per task
	manifests sync.Map // map[string]bool: manifest keys this runtime wrote or found
}

// readAller is the whole-object read the runtime's hits use.
type readAller = backends.ReadAller

// An Option configures a [Runtime] built by [New].
type Option func(*config)

type config struct {
	signing     *signingConfig
	signingErr  error // an unreadable $CACHEGEN_SIGN_KEY or $CACHEGEN_TRUSTED_KEYS
	budget      Budget
	budgetErr   error // an unknown $CACHEGEN_STORE_TIMEOUT, logged by New
	readOnly    bool
	readOnlyErr error // an unknown $CACHEGEN_READONLY, logged by New
	stale       StaleCheck
	staleErr    error // an unknown $CACHEGEN_STALE, logged by New
	store       backends.Store
	storeURL    string
	namespace   string
	logger      *slog.Logger
	now         func() time.Time
	memoryLimit int64
	parents     []string
	refresh     string
	leasePeriod time.Duration
	runID       string // CACHEGEN_RUN
	runParent   string // CACHEGEN_RUN_PARENT

	caches map[string]cacheSource // named caches configured by WithCache

	activity    time.Duration // activity interval; 0: not recorded
	activitySet bool          // WithActivityInterval was given
	strict      bool          // configuration mistakes are errors (WithStrict, CACHEGEN_STRICT)
	observer    Observer      // told about every computation (WithObserver)
	loggerSet   bool          // WithLogger was given
}

// WithStore makes the runtime use s.
func WithStore(s backends.Store) Option { return func(c *config) { c.store, c.storeURL = s, "" } }

// WithStoreURL makes the runtime open the store url names (see [Open]);
// "off" disables caching.
func WithStoreURL(url string) Option { return func(c *config) { c.store, c.storeURL = nil, url } }

// WithDefaultNamespace sets the runtime's namespace (a context may still
// override it with [WithNamespace]).
func WithDefaultNamespace(ns string) Option { return func(c *config) { c.namespace = ns } }

// WithLogger sets the logger for store failures and corrupt entries
// (default: slog.Default()).
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.logger, c.loggerSet = l, true } }

// WithParents names namespaces to read through, in order, after the own
// one (Coflux's environments: a dev namespace over prod). Results are only
// ever written to the own namespace.
func WithParents(namespaces ...string) Option {
	return func(c *config) { c.parents = namespaces }
}

// WithRefresh makes every call of the named tasks (all tasks when names is
// empty) run once more per key in this runtime, replacing the stored
// result; later calls hit the new one. Names are as for [Refresh].
func WithRefresh(names ...string) Option {
	return func(c *config) {
		c.refresh = "1"
		if len(names) > 0 {
			c.refresh = strings.Join(names, ",")
		}
	}
}

// WithLeasePeriod sets the lease period of lock tasks (default 10s): a
// holder renews its lease every third of it, and a holder that crashed
// blocks the others for at most one period.
func WithLeasePeriod(d time.Duration) Option { return func(c *config) { c.leasePeriod = d } }

// WithClock replaces time.Now, for tests.
func WithClock(now func() time.Time) Option { return func(c *config) { c.now = now } }

// WithMemoryLimit bounds the in-process layer to n payload bytes; 0 turns
// the layer off, so every hit reads the store.
func WithMemoryLimit(n int64) Option { return func(c *config) { c.memoryLimit = n } }

// New builds a runtime: the environment (CACHEGEN_STORE, CACHEGEN_NAMESPACE)
// first, then opts, which win. It opens the store; an error opening it is
// returned (unlike [Default], which degrades to no store).
func New(ctx context.Context, opts ...Option) (*Runtime, error) {
	c := config{
		storeURL:    os.Getenv(EnvStore),
		namespace:   os.Getenv(EnvNamespace),
		parents:     splitList(os.Getenv(EnvParents)),
		refresh:     os.Getenv(EnvRefresh),
		runID:       os.Getenv(EnvRun),
		runParent:   os.Getenv(EnvRunParent),
		memoryLimit: DefaultMemoryLimit,
		logger:      slog.Default(),
		now:         time.Now,
	}
	c.stale, c.staleErr = parseStale(os.Getenv(EnvStale))
	c.budget, c.budgetErr = budgetFromEnv()
	c.signing, c.signingErr = signingFromEnv()
	c.readOnly, c.readOnlyErr = parseBool(EnvReadOnly, os.Getenv(EnvReadOnly))
	var strictErr error
	c.strict, strictErr = parseBool(EnvStrict, os.Getenv(EnvStrict))
	envLogger, logErr := loggerFromEnv()
	for _, o := range opts {
		o(&c)
	}
	if envLogger != nil && !c.loggerSet {
		c.logger = envLogger
	}
	var activityErr error
	if !c.activitySet {
		c.activity, activityErr = activityFromEnv()
		c.activitySet = true
	}
	if c.strict {
		if err := errors.Join(c.staleErr, c.budgetErr, c.readOnlyErr, strictErr, logErr, activityErr); err != nil {
			return &Runtime{log: c.logger, now: c.now, layer: newLayer(0), disabled: true}, fmt.Errorf("runtime: %w", err)
		}
	} else if err := errors.Join(strictErr, logErr, activityErr); err != nil {
		c.logger.WarnContext(ctx, "cachegen: ignoring an unknown value", "err", err)
	}
	if c.namespace == "" {
		c.namespace = DefaultNamespace
	}
	rt := &Runtime{
		store:     c.store,
		storeURL:  c.storeURL,
		namespace: c.namespace,
		log:       c.logger,
		now:       c.now,
		layer:     newLayer(c.memoryLimit),
		parents:   c.parents,
		lease:     c.leasePeriod,
		refresh:   parseRefresh(c.refresh),
		caches:    namedCaches{sources: c.caches},
		stale:     c.stale,
		obs:       c.observer,
	}
	if c.staleErr != nil {
		rt.log.WarnContext(ctx, "cachegen: ignoring an unknown value; stale wrappers run uncached with a warning", "err", c.staleErr)
	}
	if c.signingErr == nil {
		rt.keys, c.signingErr = newSigner(c.signing)
	}
	if c.signingErr != nil {
		// Entries could not be verified as asked: use no store rather than
		// serve what might be planted.
		rt.disabled, rt.store = true, nil
		return rt, fmt.Errorf("runtime: signing keys: %w", c.signingErr)
	}
	if c.budgetErr != nil {
		rt.log.WarnContext(ctx, "cachegen: ignoring an unknown value; the store gets the default deadlines", "err", c.budgetErr)
	}
	if c.readOnlyErr != nil {
		// Unsure whether writes are allowed: do not write.
		rt.log.WarnContext(ctx, "cachegen: unknown value; the store is read-only", "err", c.readOnlyErr)
		c.readOnly = true
	}
	rt.readOnly = c.readOnly
	rt.caches.readOnly = c.readOnly
	rt.runID, rt.runParentID = c.runID, c.runParent
	if rt.store == nil {
		if c.storeURL == "off" {
			rt.disabled = true
			return rt, nil
		}
		s, err := Open(ctx, c.storeURL)
		if err != nil {
			return rt, err
		}
		rt.store = s
	}
	rt.opened = rt.store
	rt.store, rt.readAll, rt.brs = withBudget(rt.store, c.budget, rt.now, rt.log)
	rt.br = rt.brs[len(rt.brs)-1]
	if c.activity > 0 {
		rt.rec = newActivityRecorder(rt, c.activity)
	}
	if rt.readOnly {
		rt.store = readOnlyStore{rt.store}
	}
	return rt, nil
}

// Open opens the store a URL names: mem://, file:///abs/dir, s3://…, gs://…,
// or a scheme a user's store registered with [backends.Register]. The empty
// URL opens the default store, a cachegen folder under os.UserCacheDir().
func Open(ctx context.Context, url string) (backends.Store, error) {
	if url == "" {
		dir, err := DefaultDir()
		if err != nil {
			return nil, err
		}
		url = "file://" + filepath.ToSlash(dir)
	}
	return backends.Open(ctx, url)
}

// DefaultDir is the default store's directory: "cachegen" under
// os.UserCacheDir().
func DefaultDir() (string, error) {
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("runtime: default store: %w", err)
	}
	return filepath.Join(d, "cachegen"), nil
}

// defaultRuntime is the documented process default, built once.
var defaultRuntime = sync.OnceValue(func() *Runtime {
	rt, err := New(context.Background())
	if err != nil && strictEnv() {
		panic(fmt.Errorf("cachegen: %s=1: %w", EnvStrict, err))
	}
	if err != nil {
		rt.log.Error("cachegen: store unavailable; results are cached in this process only",
			"store", backends.Redact(rt.storeURL), "err", err)
	}
	return rt
})

// Default returns the process's default runtime, configured from the
// environment when first used. If its store cannot be opened, the error is
// logged once and results are kept in the in-process layer only; under
// CACHEGEN_STRICT=1 it panics with the error instead.
func Default() *Runtime { return defaultRuntime() }

// strictEnv reports whether CACHEGEN_STRICT asks for strictness.
func strictEnv() bool { strict, _ := parseBool(EnvStrict, os.Getenv(EnvStrict)); return strict }

// scope is what a context says about caching: one value, so a call looks
// the context up once. Each With… function copies its parent's scope.
type scope struct {
	rt      *Runtime
	ns      string
	refresh *refreshState
	run     *Run // memo run set by NewRun or ChildRun; nil: the runtime's process run

	job string // job ID set by WithJob; "" outside a job
}

type scopeKey struct{}

func scopeOf(ctx context.Context) scope {
	s, _ := ctx.Value(scopeKey{}).(*scope)
	if s == nil {
		return scope{}
	}
	return *s
}

func withScope(ctx context.Context, change func(*scope)) context.Context {
	s := scopeOf(ctx)
	change(&s)
	return context.WithValue(ctx, scopeKey{}, &s)
}

// WithRuntime returns a context whose wrappers use rt instead of [Default].
func WithRuntime(ctx context.Context, rt *Runtime) context.Context {
	rt.ready.Do(rt.zeroDefaults)
	return withScope(ctx, func(s *scope) { s.rt = rt })
}

// zeroDefaults gives a zero Runtime what New gives every runtime it builds:
// a logger, a clock, the in-process layer and the default namespace.
func (rt *Runtime) zeroDefaults() {
	if rt.log == nil {
		rt.log = slog.Default()
	}
	if rt.now == nil {
		rt.now = time.Now
	}
	if rt.layer == nil {
		rt.layer = newLayer(DefaultMemoryLimit)
	}
	if rt.namespace == "" {
		rt.namespace = DefaultNamespace
	}
}

// WithNamespace returns a context whose calls cache under namespace ns
// (Latch's account or workspace), overriding the runtime's.
func WithNamespace(ctx context.Context, ns string) context.Context {
	return withScope(ctx, func(s *scope) { s.ns = ns })
}

// FromContext returns the runtime in ctx, or [Default].
func FromContext(ctx context.Context) *Runtime {
	if rt := scopeOf(ctx).rt; rt != nil {
		return rt
	}
	return Default()
}

// Namespace returns the namespace calls under ctx use with this runtime.
func (rt *Runtime) Namespace(ctx context.Context) string {
	return rt.namespaceIn(scopeOf(ctx))
}

func (rt *Runtime) namespaceIn(s scope) string {
	if s.ns != "" {
		return s.ns
	}
	return rt.namespace
}

// Store returns the runtime's store as it was opened or given (without
// the runtime's deadlines, breaker or read-only guard), or nil when caching
// is off or the store could not be opened.
func (rt *Runtime) Store() backends.Store { return rt.opened }

// Close releases the store, if it holds resources, and the stores the
// runtime opened for named caches.
func (rt *Runtime) Close() error {
	if rt.rec != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		rt.rec.close(ctx)
		cancel()
	}
	var err error
	if c, ok := rt.store.(backends.Closer); ok {
		err = c.Close()
	}
	return errors.Join(err, rt.caches.close())
}

// logOnce logs msg at warning level the first time it is seen for key.
func (rt *Runtime) logOnce(ctx context.Context, key, msg string, args ...any) {
	if _, seen := rt.warnOnce.LoadOrStore(key+"\x00"+msg, true); !seen {
		rt.log.WarnContext(ctx, msg, args...)
	}
}

// storeFailed logs and counts a store failure that the cache path survived.
func (rt *Runtime) storeFailed(ctx context.Context, op, key string, err error) {
	if errors.Is(err, errSkipped) {
		return // the open breaker said so once, and counts what it skips
	}
	rt.stats.storeErrors.Add(1)
	if errors.Is(err, context.Canceled) && ctx.Err() != nil {
		return // the caller gave up; not the store's fault
	}
	rt.log.WarnContext(ctx, "cachegen: store failed; computing instead", "op", op, "key", key, "err", err)
}

var _ io.Closer = (*Runtime)(nil)

// splitList splits a comma-separated list, dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, item := range strings.Split(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}
