// Command peer is the benchmark's Go peer: what the errgroup original does,
// for any number of listeners. One http.Server per address given on the
// command line, all in one errgroup: the first to fail, or SIGINT/SIGTERM,
// cancels the group's context, and every server then Shutdowns with a
// 3 s bound, as the original does.
//
// Usage: peer 127.0.0.1:PORT [127.0.0.1:PORT ...]
package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"golang.org/x/sync/errgroup"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: peer ADDR [ADDR ...]")
		os.Exit(64)
	}
	g, ctx := errgroup.WithContext(context.Background())

	mux := http.NewServeMux()
	mux.HandleFunc("/ping", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("pong"))
	})

	for _, addr := range os.Args[1:] {
		server := &http.Server{Addr: addr, Handler: mux}

		// Serve until Shutdown; ErrServerClosed is an error here as
		// in the original, so one server's end ends the group.
		g.Go(func() error {
			return server.ListenAndServe()
		})
		// Shutdown once the group's context is done: stop accepting,
		// close idle connections, wait up to 3 s for active ones.
		g.Go(func() error {
			<-ctx.Done()
			timeout, cancel := context.WithTimeout(context.Background(), 3*time.Second)
			defer cancel()
			return server.Shutdown(timeout)
		})
	}

	g.Go(func() error {
		quit := make(chan os.Signal, 1)
		signal.Notify(quit, syscall.SIGINT, syscall.SIGTERM)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case sig := <-quit:
			return signalled{sig}
		}
	})

	// The first error is the cause: a signal is a requested stop.
	err := g.Wait()
	fmt.Fprintf(os.Stderr, "errgroup exiting: %v\n", err)
	var s signalled
	if !errors.As(err, &s) {
		os.Exit(1)
	}
}

// signalled is the group's error when a signal stopped it.
type signalled struct{ sig os.Signal }

func (s signalled) Error() string { return "got signal " + s.sig.String() }
