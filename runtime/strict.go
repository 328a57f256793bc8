package runtime

import (
	"fmt"
	"log/slog"
	"os"
	"strings"
)

// EnvLog sets the level of the logger the runtime makes when no logger is
// given (WithLogger): debug (which logs every miss with its reason), info,
// warn or error, to standard error. Unset, the runtime logs to
// slog.Default().
const EnvLog = "CACHEGEN_LOG"

// EnvStrict, set to 1, makes a runtime's configuration mistakes errors:
// a store that cannot be opened, and an unknown value of any CACHEGEN_
// variable. New returns them; Default panics with them at the first call,
// so a program started with a wrong configuration stops at once rather
// than running uncached.
const EnvStrict = "CACHEGEN_STRICT"

// WithStrict makes configuration mistakes errors (see EnvStrict).
func WithStrict() Option { return func(c *config) { c.strict = true } }

// loggerFromEnv returns the logger CACHEGEN_LOG asks for, or nil.
func loggerFromEnv() (*slog.Logger, error) {
	v := strings.ToLower(strings.TrimSpace(os.Getenv(EnvLog)))
	if v == "" {
		return nil, nil
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(v)); err != nil {
		return nil, fmt.Errorf("%s=%q: want debug, info, warn or error", EnvLog, v)
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level})), nil
}
