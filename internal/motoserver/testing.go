package motoserver

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"
)

// Require skips the test when moto is not installed, or fails it when the
// environment variable CI is "true" (or "1"): CI must never pass by skipping.
func Require(t testing.TB) {
	t.Helper()
	ok, reason := Available()
	if ok {
		return
	}
	if inCI() {
		t.Fatalf("moto is required when CI=true but is not usable: %s\n"+
			"install it (pip install 'moto[server]') or point BUSDRILL_PYTHON at an interpreter that has it", reason)
	}
	t.Skipf("moto is not usable, skipping (%s); install it with pip install 'moto[server]' "+
		"or set BUSDRILL_PYTHON; with CI=true this is a failure", reason)
}

// Start launches a moto server for this test (see [Launch]) and stops it in
// t.Cleanup. It calls [Require] first. If the test fails, the tail of moto's
// stderr is logged.
func Start(t testing.TB) *Server {
	t.Helper()
	return StartWithOptions(t, Options{})
}

// StartWithOptions is [Start] with options.
func StartWithOptions(t testing.TB, opts Options) *Server {
	t.Helper()
	Require(t)
	ctx, cancel := context.WithTimeout(context.Background(), opts.startTimeout()+5*time.Second)
	defer cancel()
	s, err := Launch(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("moto stderr (tail, %s):\n%s", s.url, s.StderrTail(4096))
		}
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	})
	return s
}

var shared struct {
	mu  sync.Mutex
	srv *Server
	err error
}

// Shared returns one moto server for the whole test binary, started on
// first use, and resets its state so each test begins empty. Tests that use
// it must not run in parallel with each other. The package's TestMain
// should be
//
//	func TestMain(m *testing.M) { os.Exit(motoserver.RunTests(m)) }
//
// so the server is stopped after the tests; without it, moto still exits
// when the test binary does (it watches its stdin pipe), just less tidily.
func Shared(t testing.TB) *Server {
	t.Helper()
	Require(t)
	shared.mu.Lock()
	if shared.srv == nil && shared.err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		shared.srv, shared.err = Launch(ctx, Options{})
		cancel()
	}
	s, err := shared.srv, shared.err
	shared.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("moto stderr (tail, %s):\n%s", s.url, s.StderrTail(4096))
		}
	})
	return s
}

// RunTests runs the tests and then stops the [Shared] server, if any. Use it
// from TestMain.
func RunTests(m *testing.M) int {
	code := m.Run()
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.srv != nil {
		if err := shared.srv.Close(); err != nil {
			os.Stderr.WriteString(err.Error() + "\n")
			if code == 0 {
				code = 1
			}
		}
		shared.srv = nil
	}
	return code
}
