package runner

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/busdrill/busdrill/report"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestInterrupts: the first SIGINT cancels the context; the second quits
// at once, exit 3, saying what was not written. (Signals are sent to this
// test process, which Watch keeps alive.)
func TestInterrupts(t *testing.T) {
	var out lockedBuffer
	exited := make(chan int, 1)
	i := Watch(&out, func(code int) { exited <- code })
	defer i.Stop()
	i.Pending("results/x/1 (results.json)")
	if i.Interrupted() {
		t.Fatal("interrupted before any signal")
	}
	syscall.Kill(os.Getpid(), syscall.SIGINT)
	select {
	case <-i.Context().Done():
	case <-time.After(time.Minute):
		t.Fatal("the first SIGINT did not cancel the context")
	}
	if !i.Interrupted() || !strings.Contains(out.String(), "interrupt again to quit at once") {
		t.Errorf("after one SIGINT: interrupted %v, printed %q", i.Interrupted(), out.String())
	}
	syscall.Kill(os.Getpid(), syscall.SIGINT)
	select {
	case code := <-exited:
		if code != 3 {
			t.Errorf("quit with %d, want 3", code)
		}
	case <-time.After(time.Minute):
		t.Fatal("the second SIGINT did not quit")
	}
	if !strings.Contains(out.String(), "quit at once; not written: results/x/1 (results.json)") {
		t.Errorf("printed %q", out.String())
	}
}

// TestNilInterrupts: commands run in-process by tests pass none.
func TestNilInterrupts(t *testing.T) {
	var i *Interrupts
	i.Pending("x")
	if i.Interrupted() || i.Context().Err() != nil {
		t.Error("a nil Interrupts is interrupted")
	}
}

// TestPrepareAndWrite: a folder that cannot be made is refused before a
// run; a failure to write afterwards is a *WriteError, and nothing is left
// half written.
func TestPrepareAndWrite(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "a-file")
	os.WriteFile(file, []byte("x"), 0o644)
	if err := Prepare(filepath.Join(file, "results")); err == nil || !strings.Contains(err.Error(), "cannot write results to") {
		t.Errorf("Prepare under a file: %v", err)
	}
	good := filepath.Join(dir, "run")
	if err := Prepare(good); err != nil {
		t.Fatal(err)
	}
	if left, _ := filepath.Glob(filepath.Join(good, ".*")); len(left) > 0 {
		t.Errorf("Prepare left %v", left)
	}
	r := &report.Results{Schema: report.Schema, Scenario: "x", Verdict: report.VerdictPass}
	js, err := EncodeResults(r)
	if err != nil {
		t.Fatal(err)
	}
	o := Outputs{Results: r, JSON: js, Meta: Meta{Command: "busdrill run x"}}
	if err := Write(good, o); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{ResultsFile, MetaFile, "report.html", "junit.xml", "summary.md"} {
		if _, err := os.Stat(filepath.Join(good, f)); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	var werr *WriteError
	if err := Write(filepath.Join(file, "run"), o); !errors.As(err, &werr) {
		t.Errorf("writing under a file: %v, want a *WriteError", err)
	}
}
