package main

import (
	"context"
	"crypto/rand"
	"flag"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"os"
	"strconv"

	"golang.org/x/sync/errgroup"

	cgrt "github.com/cachegen/cachegen/runtime"
)

func main() { os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr)) }

// run parses args, runs the job and returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("jobcache", flag.ContinueOnError)
	fl.SetOutput(stderr)
	job := fl.String("job", "", "job ID (default: a random one)")
	n := fl.Int("n", 5, "number of producers")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if *job == "" {
		*job = "job-" + rand.Text()[:12]
	}
	ctx = cgrt.WithJob(ctx, *job)
	fmt.Fprintf(stdout, "job %s\n", *job)
	if err := produce(ctx, *n); err != nil {
		fmt.Fprintln(stderr, "jobcache:", err)
		return 1
	}
	if err := consume(ctx, stdout); err != nil {
		fmt.Fprintln(stderr, "jobcache:", err)
		return 1
	}
	return 0
}

// produce runs n producers at once; producer i stores a random number under
// key i of the group "numbers".
func produce(ctx context.Context, n int) error {
	cache, err := cgrt.JobCache(ctx)
	if err != nil {
		return err
	}
	numbers := cache.Group("numbers")
	var g errgroup.Group
	for i := range n {
		g.Go(func() error {
			v := mrand.IntN(1000)
			return numbers.Save(ctx, strconv.Itoa(i), []byte(strconv.Itoa(v)))
		})
	}
	return g.Wait()
}

// consume lists the group, prints each number and their sum.
func consume(ctx context.Context, stdout io.Writer) error {
	cache, err := cgrt.JobCache(ctx)
	if err != nil {
		return err
	}
	numbers := cache.Group("numbers")
	sum := 0
	for key, err := range numbers.Keys(ctx) {
		if err != nil {
			return err
		}
		data, err := numbers.Load(ctx, key)
		if err != nil {
			return err
		}
		v, err := strconv.Atoi(string(data))
		if err != nil {
			return fmt.Errorf("number %s: %w", key, err)
		}
		fmt.Fprintf(stdout, "numbers/%s = %d\n", key, v)
		sum += v
	}
	fmt.Fprintf(stdout, "sum = %d\n", sum)
	return nil
}
