package cli

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/cachegen/cachegen/backends"
	"github.com/cachegen/cachegen/internal/ui"
	"github.com/cachegen/cachegen/runtime"
)

// runUI is cachegen ui.
func runUI(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("cachegen ui", help("ui"), stdout, stderr)
	storeURL := fs.String("store", "", "the store URL (default $CACHEGEN_STORE, else the default file store)")
	namespace := fs.String("namespace", "", "the namespace (default $CACHEGEN_NAMESPACE, else \"default\")")
	addr := fs.String("addr", "127.0.0.1:0", "the address to listen on")
	allowPurge := fs.Bool("allow-purge", false, "let the pages delete entries, each after a confirmation")
	tags := fs.String("tags", "", "comma-separated build tags to load packages with")
	pos, code, ok := parseInterleaved(fs, args)
	if !ok {
		return code
	}
	var tasks []runtime.Task
	if len(pos) > 0 {
		found, err := inspectTasks(ctx, pos, *tags)
		if err != nil {
			return failed(stderr, "cachegen ui", err)
		}
		for _, t := range found {
			tasks = append(tasks, t.Descriptor())
		}
	}
	url := cmp.Or(*storeURL, os.Getenv(runtime.EnvStore))
	store, err := openStore(ctx, url)
	if err != nil {
		return failed(stderr, "cachegen ui", err)
	}
	if c, ok := store.(backends.Closer); ok {
		defer c.Close()
	}
	l, err := net.Listen("tcp", *addr)
	if err != nil {
		return failed(stderr, "cachegen ui", err)
	}
	token := ""
	if host, _, _ := net.SplitHostPort(l.Addr().String()); !net.ParseIP(host).IsLoopback() {
		b := make([]byte, 16)
		rand.Read(b)
		token = hex.EncodeToString(b)
	}
	srv, err := ui.New(ui.Config{Store: store, StoreURL: url, Namespace: namespaceOf(*namespace), Tasks: tasks, AllowPurge: *allowPurge, Token: token})
	if err != nil {
		return failed(stderr, "cachegen ui", err)
	}
	link := "http://" + l.Addr().String() + "/"
	if token != "" {
		link += "?token=" + token
	}
	fmt.Fprintf(stdout, "cachegen ui: serving %s on %s\n", backends.Redact(cmp.Or(url, "the default store")), link)
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		hs.Shutdown(sctx)
	}()
	if err := hs.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return failed(stderr, "cachegen ui", err)
	}
	return exitOK
}
