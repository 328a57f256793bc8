package ui

import (
	"cmp"
	"crypto/rand"
	"crypto/subtle"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cachegen/cachegen/backends"
	"github.com/cachegen/cachegen/runtime"
	"github.com/cachegen/cachegen/runtime/catalog"
)

//go:embed templates/*.html templates/style.css
var files embed.FS

// pageSize is how many rows a listing page shows.
const pageSize = 50

// Server serves the pages of one namespace of a store. Make one with
// [New]; it is an http.Handler.
type Server struct {
	cat *catalog.Catalog
	// storeName is the store's URL, redacted, for the page header.
	storeName string
	// tasks are the packages' tasks as the source is now, by identity, for
	// what changed since a stored fingerprint; nil without packages.
	tasks map[string]*runtime.Task
	// allowPurge lets purge forms delete entries.
	allowPurge bool
	// token, when not "", must come with every request.
	token string
	// csrf is the token every purge form carries.
	csrf string
	tmpl *template.Template
	mux  *http.ServeMux
	log  *slog.Logger
}

// Config says what a Server shows and allows.
type Config struct {
	Store     backends.Store
	StoreURL  string // shown redacted
	Namespace string
	// Tasks are the packages' tasks as the source is now (their
	// descriptors), to say what changed since each stored fingerprint.
	Tasks []runtime.Task
	// AllowPurge lets the pages delete entries, each after a confirmation.
	AllowPurge bool
	// Token, when not "", must come with every request (?token= once, then
	// a cookie): for a server that listens beyond loopback.
	Token  string
	Logger *slog.Logger
}

// New returns a server for cfg.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil {
		return nil, errors.New("ui: no store")
	}
	csrf := make([]byte, 16)
	rand.Read(csrf)
	s := &Server{
		cat:        &catalog.Catalog{Store: cfg.Store, Namespace: cfg.Namespace},
		storeName:  backends.Redact(cmp.Or(cfg.StoreURL, "the default store")),
		allowPurge: cfg.AllowPurge,
		token:      cfg.Token,
		csrf:       hex.EncodeToString(csrf),
		mux:        http.NewServeMux(),
		log:        cmp.Or(cfg.Logger, slog.Default()),
	}
	if len(cfg.Tasks) > 0 {
		s.tasks = make(map[string]*runtime.Task, len(cfg.Tasks))
		for i := range cfg.Tasks {
			s.tasks[cfg.Tasks[i].ID] = &cfg.Tasks[i]
		}
	}
	funcs := template.FuncMap{
		"bytes": humanBytes, "ago": func(t time.Time) string { return ago(time.Since(t)) },
		"dur": func(d time.Duration) string { return d.Round(time.Millisecond).String() },
	}
	var err error
	if s.tmpl, err = template.New("").Funcs(funcs).ParseFS(files, "templates/*.html"); err != nil {
		return nil, err
	}
	s.mux.HandleFunc("GET /{$}", s.handleTasks)
	s.mux.HandleFunc("GET /task", s.handleTask)
	s.mux.HandleFunc("GET /entry", s.handleEntry)
	s.mux.HandleFunc("GET /objects", s.handleObjects)
	s.mux.HandleFunc("GET /chart.svg", s.handleChart)
	s.mux.HandleFunc("GET /purge", s.handlePurgeForm)
	s.mux.HandleFunc("POST /purge", s.handlePurge)
	s.mux.HandleFunc("GET /style.css", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/css")
		b, _ := files.ReadFile("templates/style.css")
		w.Write(b)
	})
	return s, nil
}

// ServeHTTP checks the token, sets headers that keep the pages to
// themselves, and serves.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.token != "" {
		got := r.URL.Query().Get("token")
		if c, err := r.Cookie("cachegen_token"); got == "" && err == nil {
			got = c.Value
		}
		if subtle.ConstantTimeCompare([]byte(got), []byte(s.token)) != 1 {
			http.Error(w, "a token is needed: open the URL cachegen ui printed", http.StatusUnauthorized)
			return
		}
		http.SetCookie(w, &http.Cookie{Name: "cachegen_token", Value: s.token, HttpOnly: true, SameSite: http.SameSiteStrictMode, Path: "/"})
	}
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	s.mux.ServeHTTP(w, r)
}

// page is what every template gets.
type page struct {
	Title      string
	Store      string
	Namespace  string
	AllowPurge bool
	CSRF       string
	Data       any
}

func (s *Server) render(w http.ResponseWriter, name, title string, data any) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	p := page{Title: title, Store: s.storeName, Namespace: cmp.Or(s.cat.Namespace, runtime.DefaultNamespace), AllowPurge: s.allowPurge, CSRF: s.csrf, Data: data}
	if err := s.tmpl.ExecuteTemplate(w, name, p); err != nil {
		s.log.Error("cachegen ui: render", "page", name, "err", err)
	}
}

func (s *Server) fail(w http.ResponseWriter, err error) {
	s.log.Warn("cachegen ui", "err", err)
	http.Error(w, err.Error(), http.StatusInternalServerError)
}

// taskRow is one row of the tasks page.
type taskRow struct {
	Task     string
	Entries  int
	Bytes    int64
	Activity runtime.TaskActivity
	Rate     string
	Reasons  []string
}

func (s *Server) handleTasks(w http.ResponseWriter, r *http.Request) {
	stats, total, err := s.cat.Stats(r.Context(), false, nil)
	if err != nil {
		s.fail(w, err)
		return
	}
	act, err := s.cat.Activity(r.Context(), time.Time{}, "")
	if err != nil {
		s.fail(w, err)
		return
	}
	rows := make(map[string]*taskRow)
	for _, st := range stats {
		rows[st.Task] = &taskRow{Task: st.Task, Entries: st.Entries, Bytes: st.Bytes}
	}
	for id, a := range act.Tasks {
		row := rows[id]
		if row == nil {
			row = &taskRow{Task: id}
			rows[id] = row
		}
		row.Activity, row.Reasons = *a, catalog.TopReasons(a)
		row.Rate = rate(a)
	}
	var list []taskRow
	for _, id := range slices.Sorted(maps.Keys(rows)) {
		list = append(list, *rows[id])
	}
	kinds, err := s.cat.KindTotals(r.Context(), nil)
	if err != nil {
		s.fail(w, err)
		return
	}
	s.render(w, "tasks.html", "Tasks", struct {
		Tasks []taskRow
		Total catalog.TaskStats
		Kinds []catalog.KindTotals
		Chart template.HTML
	}{list, total, kinds, chartSVG(act.Points)})
}

func rate(a *runtime.TaskActivity) string {
	if n := a.Hits() + a.Misses; n > 0 {
		return strconv.FormatFloat(100*float64(a.Hits())/float64(n), 'f', 0, 64) + "%"
	}
	return "-"
}

// entryRow is one entry of a task page.
type entryRow struct {
	catalog.Entry
	Compute time.Duration
	Current bool // under the fingerprint of the source as it is now
}

// fingerprintGroup is a stored fingerprint of a task and, given the
// packages, what changed in the source since.
type fingerprintGroup struct {
	Fingerprint string
	Manifest    *runtime.Manifest
	Current     bool
	Since       string
	Changes     []runtime.PartChange
}

func (s *Server) handleTask(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id := r.URL.Query().Get("id")
	after := r.URL.Query().Get("after")
	var entries []entryRow
	fps := map[string]bool{}
	count, more := 0, false
	current := s.tasks[id]
	for e, err := range s.cat.Entries(ctx, id) {
		if err != nil {
			s.fail(w, err)
			return
		}
		if e.Task != id {
			continue
		}
		count++
		fps[e.Fingerprint] = true
		if e.Key <= after || len(entries) == pageSize {
			more = more || len(entries) == pageSize
			continue
		}
		row := entryRow{Entry: e, Current: current != nil && current.Fingerprint == e.Fingerprint}
		if h, err := s.cat.Header(ctx, e.Key); err == nil {
			row.Compute = h.Compute
		}
		entries = append(entries, row)
	}
	var groups []fingerprintGroup
	for _, fp := range slices.Sorted(maps.Keys(fps)) {
		g := fingerprintGroup{Fingerprint: fp, Current: current != nil && current.Fingerprint == fp}
		g.Manifest, _ = s.cat.Manifest(ctx, id, fp)
		if current != nil && !g.Current && g.Manifest != nil {
			g.Changes = runtime.DiffParts(g.Manifest.Parts, current.Parts)
			g.Since = describeChanges(g.Changes)
		}
		groups = append(groups, g)
	}
	act, err := s.cat.Activity(ctx, time.Time{}, id)
	if err != nil {
		s.fail(w, err)
		return
	}
	var a runtime.TaskActivity
	if t := act.Tasks[id]; t != nil {
		a = *t
	}
	next := ""
	if more && len(entries) > 0 {
		next = entries[len(entries)-1].Key
	}
	s.render(w, "task.html", id, struct {
		ID           string
		Count        int
		Entries      []entryRow
		Next         string
		Fingerprints []fingerprintGroup
		Activity     runtime.TaskActivity
		Rate         string
		Reasons      []string
		HaveSource   bool
		CurrentFP    string
		Chart        template.HTML
	}{id, count, entries, next, groups, a, rate(&a), catalog.TopReasons(&a), current != nil, currentFP(current), chartSVG(act.Points)})
}

func currentFP(t *runtime.Task) string {
	if t == nil {
		return ""
	}
	return t.Fingerprint
}

// describeChanges words fingerprint changes as explain does.
func describeChanges(changes []runtime.PartChange) string {
	var words []string
	for _, c := range changes {
		p := c.Part()
		words = append(words, fmt.Sprintf("%s %s %s", c.Change, p.Kind, p.Name))
	}
	if len(words) == 0 {
		return "no part changed (the fingerprint's options or version differ)"
	}
	return strings.Join(words, "; ")
}

func (s *Server) handleEntry(w http.ResponseWriter, r *http.Request) {
	in, err := s.cat.Inspect(r.Context(), r.URL.Query().Get("key"))
	if err != nil {
		if errors.Is(err, backends.ErrNotFound) {
			http.Error(w, "no such entry", http.StatusNotFound)
			return
		}
		s.fail(w, err)
		return
	}
	s.render(w, "entry.html", "Entry", in)
}

// objectsPage is the objects page: the IDs of a kind, or the objects of
// one ID.
type objectsPage struct {
	Kind    string
	ID      string
	IDs     []catalog.IDTotals
	Objects []catalog.Object
	Next    string
}

func (s *Server) handleObjects(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var kind catalog.Kind
	found := false
	for _, k := range catalog.Kinds() {
		if k.String() == q.Get("kind") {
			kind, found = k, true
		}
	}
	if !found {
		http.Error(w, "kind must be job, shared or run", http.StatusBadRequest)
		return
	}
	p := objectsPage{Kind: kind.String(), ID: q.Get("id")}
	if p.ID == "" {
		ids, err := s.cat.IDs(r.Context(), kind, nil)
		if err != nil {
			s.fail(w, err)
			return
		}
		p.IDs = ids
		s.render(w, "objects.html", kind.String(), p)
		return
	}
	if err := kind.Validate(p.ID); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	after := q.Get("after")
	for o, err := range s.cat.Objects(r.Context(), kind, p.ID, "") {
		if err != nil {
			s.fail(w, err)
			return
		}
		if o.Key <= after {
			continue
		}
		if len(p.Objects) == pageSize {
			p.Next = p.Objects[pageSize-1].Key
			break
		}
		p.Objects = append(p.Objects, o)
	}
	s.render(w, "objects.html", kind.String()+" "+p.ID, p)
}

func (s *Server) handleChart(w http.ResponseWriter, r *http.Request) {
	act, err := s.cat.Activity(r.Context(), time.Time{}, r.URL.Query().Get("task"))
	if err != nil {
		s.fail(w, err)
		return
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	fmt.Fprint(w, chartSVG(act.Points))
}

// purgeKey checks that key names a cached result of this namespace.
func (s *Server) purgeKey(key string) error {
	name, ok := backends.ParseCacheKey(key)
	if !ok || name.Namespace != cmp.Or(s.cat.Namespace, runtime.DefaultNamespace) {
		return fmt.Errorf("%q is not a cached result of this namespace", key)
	}
	return nil
}

func (s *Server) handlePurgeForm(w http.ResponseWriter, r *http.Request) {
	if !s.allowPurge {
		http.Error(w, "purging is off: start cachegen ui with -allow-purge", http.StatusForbidden)
		return
	}
	key := r.URL.Query().Get("key")
	if err := s.purgeKey(key); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	s.render(w, "purge.html", "Delete an entry", key)
}

func (s *Server) handlePurge(w http.ResponseWriter, r *http.Request) {
	if !s.allowPurge {
		http.Error(w, "purging is off: start cachegen ui with -allow-purge", http.StatusForbidden)
		return
	}
	if subtle.ConstantTimeCompare([]byte(r.PostFormValue("csrf")), []byte(s.csrf)) != 1 {
		http.Error(w, "the form's token is missing or wrong: reload the page", http.StatusForbidden)
		return
	}
	key := r.PostFormValue("key")
	if err := s.purgeKey(key); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if err := s.cat.Store.Delete(r.Context(), key); err != nil && !errors.Is(err, backends.ErrNotFound) {
		s.fail(w, err)
		return
	}
	s.log.Info("cachegen ui: deleted", "key", key)
	name, _ := backends.ParseCacheKey(key)
	http.Redirect(w, r, "/task?id="+url.QueryEscape(name.Task)+"&deleted=1", http.StatusSeeOther)
}

// humanBytes formats n in decimal units.
func humanBytes(n int64) string {
	switch {
	case n < 1000:
		return strconv.FormatInt(n, 10) + " B"
	case n < 1e6:
		return strconv.FormatFloat(float64(n)/1e3, 'f', 1, 64) + " kB"
	case n < 1e9:
		return strconv.FormatFloat(float64(n)/1e6, 'f', 1, 64) + " MB"
	}
	return strconv.FormatFloat(float64(n)/1e9, 'f', 1, 64) + " GB"
}

// ago formats an age in its largest unit.
func ago(d time.Duration) string {
	switch {
	case d < time.Minute:
		return strconv.Itoa(int(d.Seconds())) + "s"
	case d < time.Hour:
		return strconv.Itoa(int(d.Minutes())) + "m"
	case d < 48*time.Hour:
		return strconv.Itoa(int(d.Hours())) + "h"
	}
	return strconv.Itoa(int(d.Hours()/24)) + "d"
}
