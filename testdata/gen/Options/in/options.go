// Package options covers the key-shaping and run-time options.
package options

import (
	"context"
	"log"
	"strings"
)

// User is an argument only part of which matters.
type User struct {
	Email string
	Seen  int
}

// Card is a result.
type Card struct{ Title string }

// Profile keys on the normalised e-mail address alone, expires after 90
// minutes, and runs once across processes.
//
//cache:task key=strings.ToLower(user.Email) ttl=90m lock=2m allow=env
func Profile(ctx context.Context, user User, verbose bool) (Card, error) {
	return Card{Title: strings.ToUpper(user.Email)}, nil
}

// Summarise leaves its logger and verbosity out of the key.
//
//cache:task ignore=logger,verbose ttl=1h30m lock
func Summarise(ctx context.Context, text string, logger *log.Logger, verbose bool) (string, error) {
	if verbose {
		logger.Print(text)
	}
	return text[:min(10, len(text))], nil
}
