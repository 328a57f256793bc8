package telemetry

import (
	"context"
	"errors"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"

	"github.com/cachegen/cachegen/runtime"
)

// Scope is the instrumentation scope name of cachegen's meters and
// tracers.
const Scope = "github.com/cachegen/cachegen"

// RegisterMetrics registers observable counters of rt with meter, read
// from rt.Stats when the SDK collects:
//
//	cachegen.hits            {cachegen.source=memory|store}
//	cachegen.misses          computations of cached tasks
//	cachegen.memo.hits, cachegen.memo.misses
//	cachegen.store.errors    store operations that failed and were survived
//	cachegen.store.skipped   operations the circuit breaker did not send
//	cachegen.corrupt         entries that failed a check
//	cachegen.uncached        calls that bypassed the cache
//	cachegen.time_saved      seconds of computation hits saved
//
// and, per task, from the counts recorded activity keeps (rt.TaskCounts;
// nothing when activity is off), with the attributes cachegen.namespace and
// cachegen.task:
//
//	cachegen.task.hits       {cachegen.source=memory|store}
//	cachegen.task.misses     computations
//	cachegen.task.errors     calls whose function failed or panicked
//	cachegen.task.time_saved seconds
//
// The hit path is unchanged: every value is read when the SDK collects.
// Unregister the returned registration to stop.
func RegisterMetrics(rt *runtime.Runtime, meter metric.Meter) (metric.Registration, error) {
	counter := func(name, desc, unit string) (metric.Int64ObservableCounter, error) {
		return meter.Int64ObservableCounter(name, metric.WithDescription(desc), metric.WithUnit(unit))
	}
	hits, err1 := counter("cachegen.hits", "Cached calls served without running the function.", "{call}")
	misses, err2 := counter("cachegen.misses", "Computations of cached tasks.", "{call}")
	memoHits, err3 := counter("cachegen.memo.hits", "Memoised calls served from the run.", "{call}")
	memoMisses, err4 := counter("cachegen.memo.misses", "Executions of memoised tasks.", "{call}")
	storeErrors, err5 := counter("cachegen.store.errors", "Store operations that failed and were survived.", "{operation}")
	skipped, err6 := counter("cachegen.store.skipped", "Store operations the circuit breaker skipped.", "{operation}")
	corrupt, err7 := counter("cachegen.corrupt", "Entries that failed a check and were treated as misses.", "{entry}")
	uncached, err8 := counter("cachegen.uncached", "Calls that bypassed the cache.", "{call}")
	saved, err9 := meter.Float64ObservableCounter("cachegen.time_saved", metric.WithDescription("Computation time the hits saved."), metric.WithUnit("s"))
	taskHits, err10 := counter("cachegen.task.hits", "Calls of a cached task served without running it.", "{call}")
	taskMisses, err11 := counter("cachegen.task.misses", "Computations of a cached task.", "{call}")
	taskErrors, err12 := counter("cachegen.task.errors", "Calls of a cached task whose function failed or panicked.", "{call}")
	taskSaved, err13 := meter.Float64ObservableCounter("cachegen.task.time_saved", metric.WithDescription("Computation time a task's hits saved."), metric.WithUnit("s"))
	if err := errors.Join(err1, err2, err3, err4, err5, err6, err7, err8, err9, err10, err11, err12, err13); err != nil {
		return nil, err
	}
	memory := metric.WithAttributes(attribute.String("cachegen.source", "memory"))
	store := metric.WithAttributes(attribute.String("cachegen.source", "store"))
	return meter.RegisterCallback(func(_ context.Context, o metric.Observer) error {
		s := rt.Stats()
		o.ObserveInt64(hits, s.MemoryHits, memory)
		o.ObserveInt64(hits, s.StoreHits, store)
		o.ObserveInt64(misses, s.Misses)
		o.ObserveInt64(memoHits, s.MemoHits)
		o.ObserveInt64(memoMisses, s.MemoMisses)
		o.ObserveInt64(storeErrors, s.StoreErrors)
		o.ObserveInt64(skipped, s.StoreSkipped)
		o.ObserveInt64(corrupt, s.Corrupt)
		o.ObserveInt64(uncached, s.Uncached)
		o.ObserveFloat64(saved, s.TimeSaved.Seconds())
		for c := range rt.TaskCounts() {
			ns, task := attribute.String("cachegen.namespace", c.Namespace), attribute.String("cachegen.task", c.Task)
			o.ObserveInt64(taskHits, c.MemoryHits, metric.WithAttributes(ns, task, attribute.String("cachegen.source", "memory")))
			o.ObserveInt64(taskHits, c.StoreHits, metric.WithAttributes(ns, task, attribute.String("cachegen.source", "store")))
			both := metric.WithAttributes(ns, task)
			o.ObserveInt64(taskMisses, c.Misses, both)
			o.ObserveInt64(taskErrors, c.Errors, both)
			o.ObserveFloat64(taskSaved, c.Saved.Seconds(), both)
		}
		return nil
	}, hits, misses, memoHits, memoMisses, storeErrors, skipped, corrupt, uncached, saved, taskHits, taskMisses, taskErrors, taskSaved)
}

// observer is the runtime.Observer of Tracer.
type observer struct {
	tracer   trace.Tracer
	misses   metric.Int64Counter
	duration metric.Float64Histogram
}

// Tracer returns an observer (for runtime.WithObserver) that starts a span
// "cachegen.compute <task>" per computation, with the task, its
// fingerprint and the miss's reason as attributes, and an error status when
// the function fails; and, when meter is not nil, counts misses per task
// and reason (cachegen.task.miss_reasons) and records computation times
// (cachegen.task.compute, seconds).
func Tracer(tracer trace.Tracer, meter metric.Meter) (runtime.Observer, error) {
	o := &observer{tracer: tracer}
	if meter != nil {
		var err1, err2 error
		o.misses, err1 = meter.Int64Counter("cachegen.task.miss_reasons", metric.WithDescription("Computations of a cached task, by task and miss reason."), metric.WithUnit("{call}"))
		o.duration, err2 = meter.Float64Histogram("cachegen.task.compute", metric.WithDescription("How long a cached task's computation took."), metric.WithUnit("s"))
		if err := errors.Join(err1, err2); err != nil {
			return nil, err
		}
	}
	return o, nil
}

func (o *observer) Miss(ctx context.Context, t *runtime.Task, reason string) (context.Context, func(error)) {
	attrs := []attribute.KeyValue{
		attribute.String("cachegen.task", t.ID),
		attribute.String("cachegen.fingerprint", t.Fingerprint),
		attribute.String("cachegen.miss_reason", reason),
	}
	ctx, span := o.tracer.Start(ctx, "cachegen.compute "+t.ID, trace.WithAttributes(attrs...))
	if o.misses != nil {
		o.misses.Add(ctx, 1, metric.WithAttributes(attrs[0], attrs[2]))
	}
	start := time.Now()
	return ctx, func(err error) {
		if o.duration != nil {
			o.duration.Record(ctx, time.Now().Sub(start).Seconds(), metric.WithAttributes(attrs[0]))
		}
		if err != nil {
			span.RecordError(err)
			span.SetStatus(codes.Error, err.Error())
		}
		span.End()
	}
}
