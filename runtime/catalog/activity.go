package catalog

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/cachegen/cachegen/backends"
	"github.com/cachegen/cachegen/runtime"
)

// Activity is the merged activity records of a namespace: what every
// process counted, per task and per interval.
type Activity struct {
	// Tasks are the totals by task identity.
	Tasks map[string]*runtime.TaskActivity
	// Points are the hits and misses of each interval, oldest first.
	Points []ActivityPoint
	// Records counts the records merged; Unreadable those that could not
	// be read or decoded (they are left out).
	Records, Unreadable int
}

// ActivityPoint is one interval's totals over every task and process.
type ActivityPoint struct {
	Start  time.Time `json:"start"`
	Hits   int64     `json:"hits"`
	Misses int64     `json:"misses"`
}

// Activity reads and merges the activity records of intervals that start
// at or after since (the zero time: all), for task when it is not ""
// ([runtime.TaskMatches]). It reads each record, a small object.
func (c *Catalog) Activity(ctx context.Context, since time.Time, task string) (*Activity, error) {
	store, err := c.store()
	if err != nil {
		return nil, err
	}
	prefix := backends.ActivityPrefix(c.ns())
	out := &Activity{Tasks: make(map[string]*runtime.TaskActivity)}
	points := make(map[time.Time]*ActivityPoint)
	for info, err := range store.List(ctx, prefix) {
		if err != nil {
			return nil, fmt.Errorf("list %s: %w", prefix, err)
		}
		interval, _, ok := strings.Cut(info.Key[len(prefix):], "/")
		start, perr := runtime.ParseIntervalName(interval)
		if !ok || perr != nil || start.Before(since.Truncate(time.Minute)) {
			continue
		}
		data, _, err := c.read(ctx, info.Key)
		var rec runtime.ActivityRecord
		if err == nil {
			err = json.Unmarshal(data, &rec)
		}
		if err != nil {
			out.Unreadable++
			continue
		}
		out.Records++
		p := points[start]
		if p == nil {
			p = &ActivityPoint{Start: start}
			points[start] = p
		}
		for id, a := range rec.Tasks {
			if task != "" && !runtime.TaskMatches(id, task) {
				continue
			}
			t := out.Tasks[id]
			if t == nil {
				t = &runtime.TaskActivity{}
				out.Tasks[id] = t
			}
			t.Add(a)
			p.Hits += a.Hits()
			p.Misses += a.Misses
		}
	}
	for _, p := range points {
		out.Points = append(out.Points, *p)
	}
	slices.SortFunc(out.Points, func(a, b ActivityPoint) int { return a.Start.Compare(b.Start) })
	return out, nil
}

// Total sums the tasks' activity.
func (a *Activity) Total() runtime.TaskActivity {
	var t runtime.TaskActivity
	for _, ta := range a.Tasks {
		t.Add(*ta)
	}
	t.Reasons, t.LastMiss = nil, ""
	return t
}

// TopReasons returns a task's miss reasons, most frequent first.
func TopReasons(a *runtime.TaskActivity) []string {
	rs := make([]string, 0, len(a.Reasons))
	for r := range a.Reasons {
		rs = append(rs, r)
	}
	slices.SortFunc(rs, func(x, y string) int { return cmp.Or(cmp.Compare(a.Reasons[y], a.Reasons[x]), strings.Compare(x, y)) })
	return rs
}
