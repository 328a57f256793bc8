// Command jobcache is Tilebox Workflows' job cache group demo in Go:
// producers of one job each store a random number in the group "numbers"
// of the job's cache, and a consumer lists the group and sums the numbers.
//
//	go run ./examples/jobcache                 # a fresh random job ID
//	go run ./examples/jobcache -job demo -n 8  # a chosen job, 8 producers
//
// The cache is in the default store (CACHEGEN_STORE, else a cachegen folder
// under the user's cache directory), under job/<namespace>/<job-id>/numbers/.
// Another job ID never sees these numbers.
package main
