package journal_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/busdrill/busdrill/live/journal"
)

// fakeExec records which intents it undid, in order; it fails the seqs in
// fail, and calls after(n) after its n-th success.
type fakeExec struct {
	calls []int64
	fail  map[int64]bool
	after func(n int)
}

func (f *fakeExec) Execute(ctx context.Context, in journal.Record) (journal.Outcome, error) {
	f.calls = append(f.calls, in.Seq)
	if f.fail[in.Seq] {
		return "", fmt.Errorf("injected failure, token=FwoGZXIvYXdzSECRET")
	}
	if f.after != nil {
		f.after(len(f.calls))
	}
	return journal.Changed, nil
}

func statuses(rep journal.Report) string {
	var parts []string
	for _, r := range rep.Results {
		parts = append(parts, fmt.Sprintf("#%d %s", r.Intent.Seq, r.Status))
	}
	return strings.Join(parts, ", ")
}

func appendN(t *testing.T, j *journal.Journal, rules ...string) {
	t.Helper()
	for _, r := range rules {
		if _, err := j.Append(disableIntent(r)); err != nil {
			t.Fatal(err)
		}
	}
}

// Newest first; a second restore does nothing.
func TestRestoreReverseOrderAndIdempotent(t *testing.T) {
	j, path := openTemp(t)
	appendN(t, j, "a", "b", "c")
	x := &fakeExec{}
	rep, err := j.Restore(context.Background(), x, journal.RestoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := statuses(rep), "#3 restored, #2 restored, #1 restored"; got != want {
		t.Errorf("statuses %s, want %s", got, want)
	}
	if !slices.Equal(x.calls, []int64{3, 2, 1}) {
		t.Errorf("executed %v, want [3 2 1]", x.calls)
	}
	rep, err = j.Restore(context.Background(), x, journal.RestoreOptions{})
	if err != nil || !rep.OK() {
		t.Fatal(err)
	}
	if got, want := statuses(rep), "#3 done-earlier, #2 done-earlier, #1 done-earlier"; got != want {
		t.Errorf("second restore: %s, want %s", got, want)
	}
	if len(x.calls) != 3 {
		t.Errorf("second restore executed %v", x.calls[3:])
	}
	j.Close()
	// The markers are on disk: a fresh process sees them too.
	rep, err = journal.Restore(context.Background(), path, x, journal.RestoreOptions{})
	if err != nil || rep.Count(journal.StatusEarlier) != 3 || len(x.calls) != 3 {
		t.Errorf("restore from path: %s, %v, calls %v", statuses(rep), err, x.calls)
	}
}

// A restore interrupted after its first inverse resumes with the second.
func TestRestoreResumesAfterInterruption(t *testing.T) {
	j, _ := openTemp(t)
	appendN(t, j, "a", "b", "c")
	ctx, cancel := context.WithCancel(context.Background())
	x := &fakeExec{after: func(n int) {
		if n == 1 {
			cancel() // the operator pressed ^C
		}
	}}
	rep, err := j.Restore(ctx, x, journal.RestoreOptions{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if got, want := statuses(rep), "#3 restored, #2 not-run, #1 not-run"; got != want {
		t.Errorf("interrupted: %s, want %s", got, want)
	}
	x2 := &fakeExec{}
	rep, err = j.Restore(context.Background(), x2, journal.RestoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := statuses(rep), "#3 done-earlier, #2 restored, #1 restored"; got != want {
		t.Errorf("resumed: %s, want %s", got, want)
	}
	if !slices.Equal(x2.calls, []int64{2, 1}) {
		t.Errorf("resumed run executed %v, want [2 1]", x2.calls)
	}
}

// A failure blocks older intents on the same resource only; fixing it and
// restoring again finishes the job in the right order.
func TestRestoreFailureBlocksSameResource(t *testing.T) {
	j, _ := openTemp(t)
	appendN(t, j, "x", "x", "y") // #1 and #2 on rule x, #3 on rule y
	x := &fakeExec{fail: map[int64]bool{2: true}}
	rep, err := j.Restore(context.Background(), x, journal.RestoreOptions{})
	if err == nil || rep.OK() {
		t.Fatal("restore with a failure succeeded")
	}
	if got, want := statuses(rep), "#3 restored, #2 failed, #1 blocked"; got != want {
		t.Errorf("%s, want %s", got, want)
	}
	if strings.Contains(err.Error(), "FwoGZXIvYXdzSECRET") || strings.Contains(rep.String(), "FwoGZXIvYXdzSECRET") {
		t.Errorf("executor error not redacted: %v", err)
	}
	if !strings.Contains(rep.String(), "#2 ") || !strings.Contains(rep.String(), "1 failed, 1 blocked") {
		t.Errorf("report:\n%s", rep)
	}
	x2 := &fakeExec{}
	rep, err = j.Restore(context.Background(), x2, journal.RestoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := statuses(rep), "#3 done-earlier, #2 restored, #1 restored"; got != want {
		t.Errorf("after fixing: %s, want %s", got, want)
	}
}

func TestRestoreDryRun(t *testing.T) {
	j, _ := openTemp(t)
	appendN(t, j, "a", "b")
	x := &fakeExec{}
	rep, err := j.Restore(context.Background(), x, journal.RestoreOptions{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := statuses(rep), "#2 planned, #1 planned"; got != want {
		t.Errorf("%s, want %s", got, want)
	}
	if len(x.calls) != 0 || len(j.Records()) != 2 {
		t.Errorf("dry run executed %v / wrote %d records", x.calls, len(j.Records())-2)
	}
	if s := rep.String(); !strings.Contains(s, "restore plan (dry run)") ||
		!strings.Contains(s, "undo events:DisableRule by events:EnableRule Name=b EventBusName=local") {
		t.Errorf("report:\n%s", s)
	}
}
