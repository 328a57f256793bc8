// Package progress draws a one-line status of a long command on a
// terminal: redrawn in place at most once per interval, erased before
// anything else is printed, and never drawn into a pipe or a file.
//
// cachegen's store commands use it for their "scanned N entries" line
// while they walk a large store.
package progress
