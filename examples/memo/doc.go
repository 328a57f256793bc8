// Command memo shows //memo:task in a durable run: a slow step and a
// "send notification" step are memoised, so running the program again with
// the same run ID repeats neither — the notification goes out once.
//
//	go run ./examples/memo -run demo   # computes, sends
//	go run ./examples/memo -run demo   # reuses both: nothing is sent
//	go run ./examples/memo -run other  # a new run: computes and sends again
//
// Without -run (or CACHEGEN_RUN) the process is the run, and memo entries
// live only as long as it does.
package main
