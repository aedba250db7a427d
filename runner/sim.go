package runner

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"strconv"
	"time"

	"github.com/busdrill/busdrill/internal/version"
	"github.com/busdrill/busdrill/loadgen"
	"github.com/busdrill/busdrill/report"
	"github.com/busdrill/busdrill/report/render"
	"github.com/busdrill/busdrill/scenarios"
	"github.com/busdrill/busdrill/sim/world"
)

// SimOptions configure a run in the simulator.
type SimOptions struct {
	Scenario *scenarios.Scenario
	Shard    loadgen.Shard
	// Out is the results root: the run writes Out/<scenario>/<seed>[/shard-i-of-n].
	// Empty: nothing is written (busdrill check without --out).
	Out string
	// Trace receives every model observation as a JSON line.
	Trace io.Writer
	// Progress, when set, is called about once per virtual second.
	Progress func(now, cutoff time.Duration, sent, completed int64)
	// Command is the command line that reproduces the run.
	Command string
	// Interrupts, when set, learns what is still to be written.
	Interrupts *Interrupts
}

// Outcome is what a run produced.
type Outcome struct {
	Results *report.Results
	// JSON is results.json's content.
	JSON []byte
	// Dir is the run's folder ("" when nothing was written).
	Dir     string
	Meta    Meta
	Elapsed time.Duration
}

// SimDir is the folder of a simulator run under out.
func SimDir(out string, sc *scenarios.Scenario, shard loadgen.Shard) string {
	dir := filepath.Join(out, sc.Name, strconv.FormatUint(sc.Seed, 10))
	if shard.Count > 1 {
		dir = filepath.Join(dir, fmt.Sprintf("shard-%d-of-%d", shard.Index, shard.Count))
	}
	return dir
}

// RunSim runs a scenario in the simulator until its cut-off or until ctx
// is cancelled (the results are then marked interrupted), and writes its
// outputs. The folder is checked writable before the run starts. A
// failure to write afterwards is a *WriteError, with the outcome.
func RunSim(ctx context.Context, opts SimOptions) (*Outcome, error) {
	sc := opts.Scenario
	out := &Outcome{}
	if opts.Out != "" {
		out.Dir = SimDir(opts.Out, sc, opts.Shard)
		if err := Prepare(out.Dir); err != nil {
			return nil, err
		}
		opts.Interrupts.pend(out.Dir)
	}
	started := time.Now()
	res, events, err := world.Run(world.Options{
		Scenario: sc, Shard: opts.Shard, Version: version.String(), Trace: opts.Trace,
		Progress: opts.Progress, Stop: func() bool { return ctx.Err() != nil },
		// With a second core the measurement overlaps the model; the
		// results are the same either way.
		Concurrent: runtime.GOMAXPROCS(0) > 1,
	})
	if err != nil {
		return nil, err
	}
	out.Results, out.Elapsed = res, time.Since(started)
	out.Meta = newMeta(started, out.Elapsed, opts.Command, sc.File)
	out.Meta.EngineEvents = events
	out.Meta.EngineEventsPerSecond = float64(events) / out.Elapsed.Seconds()
	if out.JSON, err = EncodeResults(res); err != nil {
		return out, &WriteError{Dir: out.Dir, Err: err}
	}
	if out.Dir == "" {
		return out, nil
	}
	err = Write(out.Dir, Outputs{Results: res, JSON: out.JSON, Meta: out.Meta,
		Render: render.Meta{Command: opts.Command, Version: version.String(), ScenarioFile: sc.File}})
	if err == nil {
		opts.Interrupts.pend("")
	}
	return out, err
}

// pend records the outputs of dir as pending.
func (i *Interrupts) pend(dir string) {
	if dir == "" {
		i.Pending("")
		return
	}
	i.Pending(dir + " (results.json, meta.json, report.html, junit.xml, summary.md)")
}
