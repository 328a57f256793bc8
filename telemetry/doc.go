// Package telemetry exports a cachegen runtime to OpenTelemetry, through
// the official OpenTelemetry Go API: its counters as metrics
// ([RegisterMetrics]) and a span per computation of a cached task, with
// the miss's reason ([Tracer], an observer for runtime.WithObserver).
//
// It is optional: a program that does not import it pays nothing, and
// with it the hit path is unchanged (the metrics read the runtime's
// counters when the SDK collects; only misses start spans). Per-task hits,
// misses, errors and time saved are read from the counts the runtime keeps
// for recorded activity (runtime.Runtime.TaskCounts); per-task miss reasons
// and the time computations take are recorded by the tracer's observer.
package telemetry
