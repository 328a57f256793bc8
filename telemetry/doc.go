// Package telemetry exports a cachegen runtime to OpenTelemetry, through
// the official OpenTelemetry Go API: its counters as metrics
// ([RegisterMetrics]) and a span per computation of a cached task, with
// the miss's reason ([Tracer], an observer for runtime.WithObserver).
//
// It is optional: a program that does not import it pays nothing, and
// with it the hit path is unchanged (the metrics read the runtime's
// counters when the SDK collects; only misses start spans). Per-task hits
// are in the runtime's recorded activity (cachegen stats, cachegen ui);
// per-task misses, their reasons and the time computations take are
// metrics here, recorded by the tracer's observer.
package telemetry
