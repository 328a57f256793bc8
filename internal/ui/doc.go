// Package ui is the web view behind "cachegen ui": a local server that
// shows a store's tasks, entries, job caches, shared caches and runs, with
// the hits and misses programs recorded (runtime/catalog), as pages built
// on the server with html/template, and a chart drawn as SVG. It needs no
// JavaScript and fetches nothing from the internet.
//
// It is safe by default: [Server] is read-only unless AllowPurge is set,
// and then every purge is a form that asks for confirmation and carries a
// CSRF token; a Token, when set (the command sets one when the server
// listens beyond loopback), must come with every request, in the URL of
// the first page and then in a cookie. Store URLs are shown redacted.
package ui
