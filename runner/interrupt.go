package runner

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"syscall"
)

// Interrupts turns SIGINT and SIGTERM into a cancelled context, the way
// people expect of a command-line tool:
//
//   - the first signal cancels Context: the running phase (loading,
//     simulating, a live run's traffic, rendering) stops within a second
//     and the command writes what it has, marked interrupted, and exits 3;
//   - a second signal quits at once, exit 3, after one line saying what
//     was not written (see Pending).
//
// Stop releases the signals; a command defers it.
type Interrupts struct {
	ctx    context.Context
	cancel context.CancelFunc
	sigs   chan os.Signal
	stderr io.Writer
	exit   func(int)

	mu      sync.Mutex
	pending string
	stopped bool
}

// Watch starts watching for SIGINT and SIGTERM. Messages go to stderr;
// exit is how the second signal quits (os.Exit; tests pass their own).
func Watch(stderr io.Writer, exit func(int)) *Interrupts {
	ctx, cancel := context.WithCancel(context.Background())
	i := &Interrupts{ctx: ctx, cancel: cancel, sigs: make(chan os.Signal, 2), stderr: stderr, exit: exit}
	signal.Notify(i.sigs, os.Interrupt, syscall.SIGTERM)
	go i.loop()
	return i
}

func (i *Interrupts) loop() {
	n := 0
	for range i.sigs {
		n++
		i.mu.Lock()
		if i.stopped {
			i.mu.Unlock()
			return
		}
		pending := i.pending
		i.mu.Unlock()
		if n == 1 {
			fmt.Fprintln(i.stderr, "\nbusdrill: interrupted: stopping and writing what there is (interrupt again to quit at once)")
			i.cancel()
			continue
		}
		if pending == "" {
			pending = "nothing was left to write"
		} else {
			pending = "not written: " + pending
		}
		fmt.Fprintf(i.stderr, "busdrill: quit at once; %s\n", pending)
		i.exit(exitInterrupted)
		return
	}
}

// UntilSignal is the context of a command that has nothing to write when
// it stops (busdrill serve; a read-only import): SIGINT or SIGTERM cancels
// it, and the command ends as it would have. stop releases the signals.
// Commands that write results use [Watch].
func UntilSignal() (ctx context.Context, stop context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

// exitInterrupted is the exit code of an interrupted command (cmd/busdrill
// documents it).
const exitInterrupted = 3

// Context is cancelled by the first signal. A nil Interrupts (a command
// run in-process by a test) has a context that is never cancelled.
func (i *Interrupts) Context() context.Context {
	if i == nil {
		return context.Background()
	}
	return i.ctx
}

// Interrupted reports whether a signal arrived.
func (i *Interrupts) Interrupted() bool { return i != nil && i.ctx.Err() != nil }

// Pending records what a second signal would leave unwritten, in a few
// words ("results/reference/1: results.json, report.html, ..."); "" once
// everything is written.
func (i *Interrupts) Pending(what string) {
	if i == nil {
		return
	}
	i.mu.Lock()
	i.pending = what
	i.mu.Unlock()
}

// Stop stops watching: signals regain their default behaviour.
func (i *Interrupts) Stop() {
	signal.Stop(i.sigs)
	i.mu.Lock()
	i.stopped = true
	i.mu.Unlock()
	close(i.sigs)
}
