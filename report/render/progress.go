package render

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// Progress is the live progress line of a long run on a terminal:
// virtual time done out of the cut-off as a bar, the orders sent and
// completed, the rate (orders per wall-clock second, after the first second) and the time left
// (from progressbar's estimate). It is drawn by
// github.com/schollz/progressbar on one line of the writer (standard
// error), redrawn at most ten times a second, and cleared by Done so that
// the summary prints on a clean screen.
//
// A disabled Progress (not a terminal, --quiet, --json) does nothing, and
// so does a nil one: callers need no conditions. Progress reads the wall
// clock — it describes the run to a person; nothing of it reaches the
// results. It is not safe for concurrent use; the runner calls it from
// its loop.
type Progress struct {
	bar     *progressbar.ProgressBar
	started time.Time
	last    time.Time
	max     int64
	done    bool
}

// redraw is the least time between two redraws (Progress throttles
// itself, before formatting anything, rather than leave it to the bar).
const redraw = 100 * time.Millisecond

// NewProgress returns a progress line on w, or a disabled one unless
// enabled. Pass enabled = IsTerminal(w) && !quiet.
func NewProgress(w io.Writer, enabled bool) *Progress {
	if !enabled {
		return nil
	}
	return &Progress{
		started: time.Now(),
		bar: progressbar.NewOptions64(1,
			progressbar.OptionSetWriter(w),
			progressbar.OptionSetWidth(24),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionSetElapsedTime(true),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionUseANSICodes(true),
			progressbar.OptionSetTheme(progressbar.Theme{Saucer: "█", SaucerPadding: "░", BarStart: "▕", BarEnd: "▏"}),
		),
	}
}

// IsTerminal reports whether w is a terminal (and not a dumb one), where
// a progress line can redraw itself.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd())) && os.Getenv("TERM") != "dumb"
}

// Update reports a simulated run's progress: now of cutoff virtual time
// done, sent orders published and completed journeys. It has the
// signature of world.Options.Progress.
func (p *Progress) Update(now, cutoff time.Duration, sent, completed int64) {
	if !p.due() {
		return
	}
	desc := fmt.Sprintf("%s of %s virtual · %s orders sent, %s completed",
		fmtSeconds(now.Truncate(time.Second).Seconds()), fmtSeconds(cutoff.Truncate(time.Second).Seconds()),
		fmtCount(sent), fmtCount(completed))
	if wall := time.Since(p.started); wall >= time.Second {
		desc += " · " + fmtRate(float64(sent)/wall.Seconds())
	}
	p.set(now, cutoff, desc)
}

// Live reports a live run's progress: elapsed of duration wall time, the
// current send rate, the current p99 end-to-end latency and the errors so
// far.
func (p *Progress) Live(elapsed, duration time.Duration, rate float64, p99 time.Duration, errors int64) {
	if !p.due() {
		return
	}
	p.set(elapsed, duration, fmt.Sprintf("%s of %s · %s · p99 %s · %s errors",
		fmtSeconds(elapsed.Truncate(time.Second).Seconds()), fmtSeconds(duration.Truncate(time.Second).Seconds()),
		fmtRate(rate), fmtMs(float64(p99)/float64(time.Millisecond)), fmtCount(errors)))
}

// Count reports progress through a number of steps (busdrill swarm: the
// runs done of the runs planned), described by desc.
func (p *Progress) Count(done, total int64, desc string) {
	if !p.due() {
		return
	}
	p.set(time.Duration(done)*time.Millisecond, time.Duration(max(total, 1))*time.Millisecond, desc)
}

// due reports whether a redraw is due (and the line not done).
func (p *Progress) due() bool {
	if p == nil || p.done {
		return false
	}
	now := time.Now()
	if now.Sub(p.last) < redraw {
		return false
	}
	p.last = now
	return true
}

func (p *Progress) set(now, total time.Duration, desc string) {
	m := max(int64(total/time.Millisecond), 1)
	if m != p.max {
		p.bar.ChangeMax64(m)
		p.max = m
	}
	p.bar.Describe(desc)
	_ = p.bar.Set64(min(int64(now/time.Millisecond), m))
}

// Done clears the progress line. Further calls do nothing.
func (p *Progress) Done() {
	if p == nil || p.done {
		return
	}
	p.done = true
	_ = p.bar.Finish()
	_ = p.bar.Clear()
}
