package journal

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/busdrill/busdrill/live/redact"
)

// Outcome is what an executor did.
type Outcome string

const (
	// Changed: the inverse call changed the resource back.
	Changed Outcome = "changed"
	// Unchanged: the resource was already as the inverse would leave it
	// (rule already enabled, policy already equal, resource already gone).
	Unchanged Outcome = "unchanged"
)

// Executor performs the inverse of one intent. Implementations must be
// idempotent: running the same inverse twice, or on a resource already in
// the target state, succeeds with [Unchanged]. See [AWSExecutor].
type Executor interface {
	Execute(ctx context.Context, intent Record) (Outcome, error)
}

// ExecutorFunc adapts a function to [Executor].
type ExecutorFunc func(ctx context.Context, intent Record) (Outcome, error)

// Execute calls f.
func (f ExecutorFunc) Execute(ctx context.Context, intent Record) (Outcome, error) {
	return f(ctx, intent)
}

// Status is what happened to one intent during a restore.
type Status string

const (
	StatusChanged   Status = "restored"     // inverse applied, resource changed back
	StatusUnchanged Status = "unchanged"    // resource already in its prior state
	StatusEarlier   Status = "done-earlier" // a Restored marker from an earlier restore exists
	StatusFailed    Status = "failed"       // the inverse failed; Err says why
	StatusBlocked   Status = "blocked"      // a later intent on the same resource failed, so this one was not tried
	StatusPlanned   Status = "planned"      // dry run: would be executed
	StatusNotRun    Status = "not-run"      // the restore stopped (context cancelled, journal write failed) first
)

// Result is the restore report line for one intent.
type Result struct {
	Intent   Record
	Status   Status
	Err      error // redacted; for StatusFailed and StatusBlocked
	Duration time.Duration
}

// Report lists one [Result] per intent, in the order restore visits them:
// newest intent first.
type Report struct {
	Path    string
	DryRun  bool
	Results []Result
}

// Count returns how many results have status s.
func (r Report) Count(s Status) int {
	n := 0
	for _, res := range r.Results {
		if res.Status == s {
			n++
		}
	}
	return n
}

// OK reports whether every intent is restored (now or earlier) or was
// already in its prior state.
func (r Report) OK() bool {
	for _, res := range r.Results {
		switch res.Status {
		case StatusChanged, StatusUnchanged, StatusEarlier:
		default:
			return false
		}
	}
	return true
}

// String renders the report as a plain-text table, one intent per line.
func (r Report) String() string {
	var b strings.Builder
	mode := "restore"
	if r.DryRun {
		mode = "restore plan (dry run)"
	}
	fmt.Fprintf(&b, "%s of %s: %d intents, %d restored, %d unchanged, %d done earlier, %d failed, %d blocked",
		mode, r.Path, len(r.Results), r.Count(StatusChanged), r.Count(StatusUnchanged), r.Count(StatusEarlier),
		r.Count(StatusFailed), r.Count(StatusBlocked))
	if n := r.Count(StatusNotRun); n > 0 {
		fmt.Fprintf(&b, ", %d not run", n)
	}
	b.WriteByte('\n')
	for _, res := range r.Results {
		in := res.Intent
		fmt.Fprintf(&b, "  #%-4d %-12s %s %s %s: undo %s by %s", in.Seq, res.Status, in.Account, in.Region,
			in.Resource, in.Action, in.Inverse)
		if res.Err != nil {
			fmt.Fprintf(&b, ": %v", res.Err)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// RestoreOptions configure a restore.
type RestoreOptions struct {
	// DryRun lists what would be executed without calling the executor or
	// writing to the journal.
	DryRun bool
}

// Restore opens the journal at path and restores it; see [Journal.Restore].
func Restore(ctx context.Context, path string, x Executor, opts RestoreOptions) (Report, error) {
	j, err := Open(path, Options{})
	if err != nil {
		return Report{Path: path}, err
	}
	rep, err := j.Restore(ctx, x, opts)
	if cerr := j.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("journal %s: %w", path, cerr)
	}
	return rep, err
}

// Restore undoes every intent in the journal that has not been restored
// yet, newest first, and reports on every intent.
//
//   - Intents with a Restored marker (from an earlier, perhaps interrupted,
//     restore) are skipped: [StatusEarlier].
//   - After each successful inverse, a Restored marker is appended and
//     fsynced before the next one starts, so a restore that is interrupted
//     resumes where it stopped. If it stops between an inverse and its
//     marker, the inverse runs again next time, which idempotence makes
//     harmless.
//   - Order matters only per resource (two policy changes on one bus must
//     be undone newest first). When an inverse fails, older intents on the
//     same Resource are not tried ([StatusBlocked]): running them now and the
//     failed one later would leave the newer state. Other resources go on.
//   - A cancelled context stops the restore; the remaining intents are
//     [StatusNotRun].
//
// The error is nil only when every intent ended restored, unchanged or
// done earlier (a dry run returns nil unless the journal is unreadable);
// otherwise it joins the failures. Errors are redacted.
func (j *Journal) Restore(ctx context.Context, x Executor, opts RestoreOptions) (Report, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	rep := Report{Path: j.path, DryRun: opts.DryRun}
	restored := map[int64]bool{}
	var intents []Record
	for _, r := range j.records {
		switch r.Kind {
		case Restored:
			restored[r.Ref] = true
		case Intent:
			intents = append(intents, r)
		}
	}
	blocked := map[string]int64{} // resource → seq of the failed intent
	var errs []error
	stopped := false
	for i := len(intents) - 1; i >= 0; i-- {
		in := intents[i]
		res := Result{Intent: in}
		switch {
		case restored[in.Seq]:
			res.Status = StatusEarlier
		case stopped:
			res.Status = StatusNotRun
		case blocked[in.Resource] != 0:
			res.Status = StatusBlocked
			res.Err = fmt.Errorf("not tried: the undo of later intent #%d on %s failed", blocked[in.Resource], in.Resource)
		case opts.DryRun:
			res.Status = StatusPlanned
		case ctx.Err() != nil:
			stopped = true
			res.Status = StatusNotRun
			errs = append(errs, fmt.Errorf("restore stopped before #%d: %w", in.Seq, ctx.Err()))
		default:
			start := time.Now()
			out, err := x.Execute(ctx, in)
			res.Duration = time.Since(start)
			if err != nil {
				res.Status = StatusFailed
				res.Err = redact.Error(fmt.Errorf("#%d %s on %s: %w", in.Seq, in.Inverse.Action, in.Resource, err))
				blocked[in.Resource] = in.Seq
				errs = append(errs, res.Err)
				break
			}
			if out != Changed && out != Unchanged {
				out = Changed
			}
			res.Status = StatusChanged
			if out == Unchanged {
				res.Status = StatusUnchanged
			}
			if _, werr := j.appendLocked(Record{Kind: Restored, Ref: in.Seq, Outcome: out, RunID: in.RunID}); werr != nil {
				stopped = true
				errs = append(errs, fmt.Errorf("restore stopped: recording progress: %w", werr))
			}
		}
		rep.Results = append(rep.Results, res)
	}
	return rep, errors.Join(errs...)
}
