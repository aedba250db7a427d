package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/busdrill/busdrill/report"
)

// These tests send real signals to a real busdrill process. They assert
// what an interrupt leaves (exit code, results marked interrupted, the
// lines printed), never how fast: the time from signal to exit is logged,
// and only a deadline far beyond it catches a run that ignores signals.
const interruptDeadline = 60 * time.Second

// syncBuffer is a bytes.Buffer safe to read while a child writes it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// waitFor polls until cond holds, failing the test after the deadline.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(interruptDeadline)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestInterruptAbsurdRate: SIGINT stops 'busdrill run --rate 1e7/s' (six
// billion orders planned) in the middle of its simulation: exit 3, its
// partial results written and marked interrupted.
func TestInterruptAbsurdRate(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: runs busdrill in a process and signals it")
	}
	dir := t.TempDir()
	cmd := cliCommand(t, dir, "run", "--rate", "1e7/s", "--out", "out")
	var stdout, stderr syncBuffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	// The run's folder exists once it is loaded, planned and checked
	// writable: from then on it is simulating.
	runDir := filepath.Join(dir, "out", "reference", "1")
	waitFor(t, "the run to start", func() bool { _, err := os.Stat(runDir); return err == nil })
	time.Sleep(500 * time.Millisecond) // well into the simulation; any phase must stop alike
	signalled := time.Now()
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	code := waitExit(t, cmd)
	t.Logf("exited %v after SIGINT", time.Since(signalled).Round(time.Millisecond))
	if code != exitAborted {
		t.Fatalf("exit %d, want %d\n%s\n%s", code, exitAborted, stdout.String(), stderr.String())
	}
	r, err := report.ReadResults(filepath.Join(runDir, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !r.Interrupted || r.Orders.Sent == 0 || r.Orders.Planned < 1e9 {
		t.Errorf("results: interrupted %v, orders %+v: want partial results of the six-billion-order plan", r.Interrupted, r.Orders)
	}
	for _, f := range []string{"meta.json", "report.html", "junit.xml", "summary.md"} {
		if _, err := os.Stat(filepath.Join(runDir, f)); err != nil {
			t.Errorf("%s not written: %v", f, err)
		}
	}
	if !strings.Contains(stderr.String(), "interrupted") {
		t.Errorf("stderr does not say it was interrupted:\n%s", stderr.String())
	}
}

// TestInterruptCheck: check prints each scenario's line as soon as it is
// done; SIGINT stops the one running (INTR), the rest are not run (SKIP),
// and the summary says so, exit 3.
func TestInterruptCheck(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: runs busdrill in a process and signals it")
	}
	dir := t.TempDir()
	lib := filepath.Join(dir, "lib")
	os.Mkdir(lib, 0o755)
	scenario := func(name, traffic string) string {
		return "name: " + name + "\ntopology: {reference: {services: [{name: orders}, {name: delivery}]}}\n" +
			"services:\n  - {name: delivery, account: delivery, on: Order.Created, emit: Delivery.Updated}\n" +
			"  - {name: orders, account: orders, on: Delivery.Updated, emit: Order.Updated}\n" +
			"traffic: " + traffic + "\nexpect: [ledger.balanced]\n"
	}
	os.WriteFile(filepath.Join(lib, "a-quick.yaml"), []byte(scenario("a-quick", "{rate: 5/s, duration: 1m}")), 0o644)
	os.WriteFile(filepath.Join(lib, "b-slow.yaml"), []byte(scenario("b-slow", "{rate: 1e6/s, duration: 10m}")), 0o644)
	os.WriteFile(filepath.Join(lib, "c-quick.yaml"), []byte(scenario("c-quick", "{rate: 5/s, duration: 1m}")), 0o644)
	cmd := cliCommand(t, dir, "check", "lib", "--jobs", "1", "--out", "out", "--junit", "junit.xml")
	var stdout, stderr syncBuffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	// a-quick's line comes while b-slow still runs: lines are not held.
	waitFor(t, "a-quick's line", func() bool { return strings.Contains(stdout.String(), "PASS  a-quick") })
	waitFor(t, "b-slow to start", func() bool {
		_, err := os.Stat(filepath.Join(dir, "out", "b-slow", "1"))
		return err == nil
	})
	time.Sleep(300 * time.Millisecond)
	signalled := time.Now()
	cmd.Process.Signal(syscall.SIGINT)
	code := waitExit(t, cmd)
	t.Logf("exited %v after SIGINT", time.Since(signalled).Round(time.Millisecond))
	out := stdout.String()
	if code != exitAborted {
		t.Fatalf("exit %d, want %d\n%s\n%s", code, exitAborted, out, stderr.String())
	}
	for _, want := range []string{"PASS  a-quick", "INTR  b-slow", "SKIP  c-quick", "interrupted: 1 passed, 0 failed, 1 stopped, 1 not run"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	r, err := report.ReadResults(filepath.Join(dir, "out", "b-slow", "1", "results.json"))
	if err != nil || !r.Interrupted {
		t.Errorf("b-slow's partial results: %v, interrupted %v", err, r != nil && r.Interrupted)
	}
	junit, err := os.ReadFile(filepath.Join(dir, "junit.xml"))
	if err != nil || !strings.Contains(string(junit), `name="lib/b-slow.yaml"`) || !strings.Contains(string(junit), "interrupted") {
		t.Errorf("combined junit.xml: %v\n%s", err, junit)
	}
}

// waitExit waits for cmd to exit and returns its exit code.
func waitExit(t *testing.T, cmd *exec.Cmd) int {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(interruptDeadline):
		t.Fatalf("still running %v after SIGINT: the interrupt was ignored", interruptDeadline)
	}
	return cmd.ProcessState.ExitCode()
}
