package motoserver

import (
	"context"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Start answers, Reset works, and Close leaves nothing behind: the moto
// process is reaped, its process group is empty, and the port is closed.
func TestStartCloseLeavesNothing(t *testing.T) {
	Require(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	start := time.Now()
	s, err := Launch(ctx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("moto answered on %s after %s (pid %d)", s.URL(), time.Since(start).Round(time.Millisecond), s.PID())
	if !strings.HasPrefix(s.URL(), "http://127.0.0.1:") {
		t.Errorf("URL %s is not loopback", s.URL())
	}
	if err := s.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	pid := s.PID()
	if !groupAlive(pid) {
		t.Fatal("process group not alive while running")
	}
	if tail := s.StderrTail(4096); !strings.Contains(tail, "jsonpath_ng.ext.parse cached") {
		t.Errorf("bootstrap did not report the jsonpath patch; stderr:\n%s", tail)
	}

	start = time.Now()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	t.Logf("Close took %s", time.Since(start).Round(time.Millisecond))
	if err := syscall.Kill(pid, 0); err != syscall.ESRCH {
		t.Errorf("kill(%d, 0) = %v after Close, want ESRCH", pid, err)
	}
	if groupAlive(pid) {
		t.Errorf("process group %d still has members after Close", pid)
	}
	if c, err := net.DialTimeout("tcp", s.URL()[len("http://"):], time.Second); err == nil {
		c.Close()
		t.Errorf("port %d still accepts connections after Close", s.Port())
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

// A moto that cannot start fails fast with its stderr in the error.
func TestLaunchFailureShowsStderr(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := Launch(ctx, Options{Python: "sh", StartTimeout: 5 * time.Second})
	// sh -c <python code> fails with a syntax error on stderr and exits.
	if err == nil {
		t.Fatal("Launch with sh succeeded")
	}
	if !strings.Contains(err.Error(), "exited before answering") || !strings.Contains(err.Error(), "moto stderr (tail)") {
		t.Errorf("error lacks the exit and the stderr tail: %v", err)
	}
}

// Start registers cleanup with the test; a subtest's server is gone when
// the subtest returns.
func TestStartCleanup(t *testing.T) {
	Require(t)
	var pid int
	var url string
	t.Run("inner", func(t *testing.T) {
		s := Start(t)
		pid, url = s.PID(), s.URL()
		resp, err := http.Post(url+"/moto-api/reset", "", nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	})
	if pid == 0 {
		t.Fatal("the inner test did not start moto (it has failed above)")
	}
	if groupAlive(pid) {
		t.Errorf("moto (pid %d) survived its test", pid)
	}
}

// When the parent goes away without Close (simulated by closing the stdin
// pipe only), moto exits by itself.
func TestStdinWatchEndsOrphans(t *testing.T) {
	Require(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := Launch(ctx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.stdin.Close()
	select {
	case <-s.exited:
	case <-time.After(10 * time.Second):
		t.Fatal("moto did not exit when its stdin closed")
	}
}

func TestAvailableIsCached(t *testing.T) {
	ok1, r1 := Available()
	ok2, r2 := Available()
	if ok1 != ok2 || r1 != r2 || r1 == "" {
		t.Errorf("Available() = (%v, %q) then (%v, %q)", ok1, r1, ok2, r2)
	}
}

func TestInCI(t *testing.T) {
	for _, tt := range []struct {
		v    string
		want bool
	}{{"true", true}, {"TRUE", true}, {"1", true}, {"", false}, {"false", false}} {
		t.Setenv("CI", tt.v)
		if got := inCI(); got != tt.want {
			t.Errorf("CI=%q: inCI() = %v", tt.v, got)
		}
	}
}
