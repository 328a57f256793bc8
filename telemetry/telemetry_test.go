package telemetry_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/cachegen/cachegen/backends/memory"
	"github.com/cachegen/cachegen/runtime"
	"github.com/cachegen/cachegen/telemetry"
)

var task = runtime.Task{ID: "example.com/m/pkg.Price", Fingerprint: "0123456789abcdef"}

func setup(tb testing.TB) (context.Context, *runtime.Runtime, *sdkmetric.ManualReader, *tracetest.SpanRecorder) {
	reader := sdkmetric.NewManualReader()
	meter := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader)).Meter(telemetry.Scope)
	spans := tracetest.NewSpanRecorder()
	tracer := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans)).Tracer(telemetry.Scope)
	obs, err := telemetry.Tracer(tracer, meter)
	if err != nil {
		tb.Fatal(err)
	}
	rt, err := runtime.New(context.Background(), runtime.WithStore(memory.New()), runtime.WithObserver(obs),
		runtime.WithActivityInterval(time.Hour), runtime.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := telemetry.RegisterMetrics(rt, meter); err != nil {
		tb.Fatal(err)
	}
	return runtime.WithRuntime(context.Background(), rt), rt, reader, spans
}

func call(ctx context.Context, item string) (int, error) {
	return runtime.Cached(ctx, &task, runtime.AppendString(nil, item), nil, func(context.Context) (int, error) {
		if item == "broken" {
			return 0, errors.New("no price")
		}
		return len(item), nil
	})
}

// TestExport makes a miss, two hits and a failure, and reads what the SDK's
// in-memory exporters got: a span per computation with its reason and
// status, and the counters.
func TestExport(t *testing.T) {
	ctx, _, reader, spans := setup(t)
	call(ctx, "tea")
	call(ctx, "tea")
	call(ctx, "tea")
	call(ctx, "broken")
	ended := spans.Ended()
	if len(ended) != 2 {
		t.Fatalf("%d spans, want one per computation (2)", len(ended))
	}
	attrs := map[string]string{}
	for _, kv := range ended[0].Attributes() {
		attrs[string(kv.Key)] = kv.Value.Emit()
	}
	if ended[0].Name() != "cachegen.compute "+task.ID || attrs["cachegen.miss_reason"] != "first call" || attrs["cachegen.task"] != task.ID {
		t.Errorf("first span %q %v", ended[0].Name(), attrs)
	}
	if ended[1].Status().Description != "no price" {
		t.Errorf("failed computation's span status %+v", ended[1].Status())
	}
	got := collect(t, reader)
	want := map[string]int64{
		"cachegen.hits/memory": 2, "cachegen.hits/store": 0, "cachegen.misses": 2,
		"cachegen.task.miss_reasons/first call": 1, "cachegen.task.compute": 2,
		"cachegen.task.hits/" + task.ID + "/memory": 2, "cachegen.task.hits/" + task.ID + "/store": 0,
		"cachegen.task.misses/" + task.ID: 2, "cachegen.task.errors/" + task.ID: 1,
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %d, want %d (all: %v)", k, got[k], v, got)
		}
	}
}

// collect reads the metrics as name[/attribute values] → value (sums) or
// count (histograms).
func collect(t *testing.T, reader *sdkmetric.ManualReader) map[string]int64 {
	t.Helper()
	var rm metricdata.ResourceMetrics
	if err := reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	got := map[string]int64{}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			switch d := m.Data.(type) {
			case metricdata.Sum[int64]:
				for _, p := range d.DataPoints {
					name := m.Name
					if task, ok := p.Attributes.Value("cachegen.task"); ok && m.Name != "cachegen.task.miss_reasons" {
						name += "/" + task.AsString()
					}
					if src, ok := p.Attributes.Value("cachegen.source"); ok {
						name += "/" + src.AsString()
					}
					if r, ok := p.Attributes.Value("cachegen.miss_reason"); ok {
						name += "/" + r.AsString()
					}
					got[name] += p.Value
				}
			case metricdata.Histogram[float64]:
				for _, p := range d.DataPoints {
					got[m.Name] += int64(p.Count)
				}
			}
		}
	}
	return got
}

// BenchmarkHit measures a warm hit with the exporter installed and
// without: the hit path is the same.
func BenchmarkHit(b *testing.B) {
	b.Run("exported", func(b *testing.B) {
		ctx, _, _, _ := setup(b)
		call(ctx, "tea")
		b.ReportAllocs()
		for b.Loop() {
			call(ctx, "tea")
		}
	})
	b.Run("plain", func(b *testing.B) {
		rt, _ := runtime.New(context.Background(), runtime.WithStore(memory.New()), runtime.WithActivityInterval(time.Hour),
			runtime.WithLogger(slog.New(slog.DiscardHandler)))
		ctx := runtime.WithRuntime(context.Background(), rt)
		call(ctx, "tea")
		b.ReportAllocs()
		for b.Loop() {
			call(ctx, "tea")
		}
	})
}
