package runtime

import "context"

// An Observer is told about each computation of a cached task: a call that
// missed and runs the function (once per key, for the caller that leads
// concurrent identical calls). It is how a program traces misses
// (OpenTelemetry: see package github.com/cachegen/cachegen/telemetry).
// Hits never reach it.
type Observer interface {
	// Miss is called before the function of t runs, with the miss's
	// reason ("first call", "code changed: …", "expired: …"). The function
	// runs with the returned context; end is called with its error when it
	// returns (a panic ends it with ErrPanicked).
	Miss(ctx context.Context, t *Task, reason string) (context.Context, func(err error))
}

// WithObserver makes the runtime tell o about every computation.
func WithObserver(o Observer) Option { return func(c *config) { c.observer = o } }

// ErrPanicked is the error an Observer's end gets when the function
// panicked (the panic itself goes on to the caller).
var ErrPanicked = errorString("cachegen: the function panicked")

type errorString string

func (e errorString) Error() string { return string(e) }

// observed wraps fn in the observer's Miss and end.
func observed[R any](o Observer, t *Task, reason string, fn func(context.Context) (R, error)) func(context.Context) (R, error) {
	return func(ctx context.Context) (r R, err error) {
		ctx, end := o.Miss(ctx, t, reason)
		panicked := true
		defer func() {
			if panicked {
				end(ErrPanicked)
			}
		}()
		r, err = fn(ctx)
		panicked = false
		end(err)
		return r, err
	}
}
