// Command quickstart shows cachegen's cache path: a slow function marked
// //cache:task, called twice through its generated wrapper. The first call
// of the first run computes (a miss); the second is served from memory (a
// hit). Run the program again and the first call is served from the store.
//
// Regenerate the wrapper with:
//
//	go generate ./examples/quickstart
package main
