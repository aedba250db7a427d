package drill

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/busdrill/busdrill/actors"
	"github.com/busdrill/busdrill/event"
	"github.com/busdrill/busdrill/internal/clock"
	"github.com/busdrill/busdrill/live/provision"
	"github.com/busdrill/busdrill/loadgen"
	"github.com/busdrill/busdrill/report"
	"github.com/busdrill/busdrill/rng"
	"github.com/busdrill/busdrill/scenarios"
	"github.com/busdrill/busdrill/scenarios/livespec"
	"github.com/busdrill/busdrill/topology"
)

// StreamHandlers is the rng stream the stand-ins draw processing times from.
const StreamHandlers = "live-handlers"

// Options configure a live run.
type Options struct {
	Scenario *scenarios.Scenario
	Layout   *provision.Layout
	// Clients by scenario account name: every sender needs EventBridge,
	// every probe's and DLQ's account SQS.
	Clients map[string]AccountClients
	// ProbeURLs are the probe queue URLs, in Layout.Probes order (from
	// provision.Provision). Empty entries are looked up with GetQueueUrl.
	ProbeURLs []string
	Version   string
	// ObserveOnly: the real services consume and publish; busdrill
	// publishes the orders and watches.
	ObserveOnly bool

	Publisher livespec.Publisher
	Probes    livespec.Probes
	Stop      livespec.Stop
	// MaxDuration bounds the run (0: traffic + drain + 5 minutes).
	MaxDuration time.Duration
	// SettleEarly ends the drain as soon as every sent journey completed
	// and no expected delivery is in flight (tests; a game day waits).
	SettleEarly bool

	Clock clock.Clock // nil: clock.Wall
	// Log receives one line per notable event (stop condition, errors).
	Log io.Writer
	// Progress is called about once a second from the event loop.
	Progress func(Progress)
	// OnStart is called with the run's start time once the observers and
	// workers are running, before the first order (the chaos schedule
	// starts from it).
	OnStart func(start time.Time)
}

// Progress is a once-a-second snapshot.
type Progress struct {
	Elapsed, Cutoff        time.Duration
	Sent, Completed, Late  int64
	InFlightDeliveries     int64
	NotSent, FailedEntries int64
}

// Stats are facts about the run's machinery, for meta.json and the
// benchmark, never for results.json.
type Stats struct {
	Calls, Entries, Resent, Failed int64
	Throttled                      int64
	// Lag of every order (actual − intended send time).
	LagP50, LagP99, LagP999, LagMax time.Duration
	Late                            loadgen.Lateness
	ProbeMessages, Foreign          int64
	PollErrors, DLQMessages         int64
	// StopReason says why the run stopped early ("" when it ran its course).
	StopReason string
	Wall       time.Duration
}

// Drill is one live run.
type Drill struct {
	opts  Options
	clock clock.Clock
	inbox chan msg
	emits emitQueue

	mu      sync.Mutex
	started time.Time
	// start is set before any goroutine of the run starts.
	start time.Time
	// stats updated by workers and pollers
	counters      counters
	inFlightCalls atomic.Int64 // batches started and not done (loop only)
}

// emitsEmpty reports whether no stand-in entry waits for the pacer.
func (d *Drill) emitsEmpty() bool {
	d.emits.mu.Lock()
	defer d.emits.mu.Unlock()
	return len(d.emits.items) == 0
}

// New checks the options and returns the run.
func New(opts Options) (*Drill, error) {
	if opts.Scenario == nil || opts.Layout == nil {
		return nil, errors.New("drill: scenario and layout are required")
	}
	if opts.Clock == nil {
		opts.Clock = clock.Wall
	}
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	if len(opts.ProbeURLs) != 0 && len(opts.ProbeURLs) != len(opts.Layout.Probes) {
		return nil, fmt.Errorf("drill: %d probe URLs for %d probes", len(opts.ProbeURLs), len(opts.Layout.Probes))
	}
	for _, s := range opts.Layout.Senders {
		if c, ok := opts.Clients[s]; !ok || c.EventBridge == nil {
			return nil, fmt.Errorf("drill: no EventBridge client for sender %s", s)
		}
	}
	for _, p := range opts.Layout.Probes {
		if c, ok := opts.Clients[p.Bus.Account]; !ok || c.SQS == nil {
			return nil, fmt.Errorf("drill: no SQS client for probe account %s", p.Bus.Account)
		}
	}
	d := &Drill{opts: opts, clock: opts.Clock, inbox: make(chan msg, 8192)}
	d.emits.notify = make(chan struct{}, 1)
	return d, nil
}

// Clock is the run's clock (Options.Clock, or the wall clock).
func (d *Drill) Clock() clock.Clock { return d.clock }

// RecordFault adds an entry to the results' fault timeline. It is safe to
// call from any goroutine while Run runs (the chaos schedule does).
func (d *Drill) RecordFault(f report.Fault) {
	d.inbox <- msg{kind: msgFault, fault: f}
}

// Elapsed is the time since the run started (0 before).
func (d *Drill) Elapsed() time.Duration {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.started.IsZero() {
		return 0
	}
	return d.clock.Now().Sub(d.started)
}

// Run runs the scenario against the deployed backbone: orders on the
// wall clock, observers on every probe, stand-ins (unless ObserveOnly),
// until the cut-off (traffic + drain), a stop condition, MaxDuration or
// the cancellation of ctx (an interrupt: traffic stops at once and the
// partial results are marked interrupted). It then reads the DLQs and
// returns the results, expectations evaluated. Rollback is the caller's
// (it owns the journal).
func (d *Drill) Run(ctx context.Context) (*report.Results, *Stats, error) {
	o := d.opts
	sc := o.Scenario
	streams := rng.NewStreams(sc.Seed)
	profile, err := loadgen.Compile(sc.Traffic.Arrivals.Shape)
	if err != nil {
		return nil, nil, err
	}
	traffic := profile.Duration()
	cutoff := traffic + sc.Drain
	maxDur := o.MaxDuration
	if maxDur <= 0 {
		maxDur = cutoff + 5*time.Minute
	}
	pacer, err := sc.Traffic.Arrivals.Pacer(streams.Get(loadgen.StreamArrivals), o.Layout.Shard)
	if err != nil {
		return nil, nil, err
	}
	planned, err := countArrivals(sc, o.Layout.Shard)
	if err != nil {
		return nil, nil, err
	}
	fcfg := loadgen.FactoryConfig{RunID: o.Layout.RunID, Payload: sc.Traffic.Payload, Origins: sc.Traffic.Origins,
		MaterialiseLimit: event.DefaultMaxRequestBytes}
	pubFactory, err := loadgen.NewFactory(fcfg, rng.NewStreams(sc.Seed))
	if err != nil {
		return nil, nil, err
	}
	loopFactory, _ := loadgen.NewFactory(fcfg, rng.NewStreams(sc.Seed))
	router, err := topology.NewRouter(o.Layout.Topology)
	if err != nil {
		return nil, nil, fmt.Errorf("drill: live topology: %w", err)
	}
	urls, err := d.queueURLs(ctx)
	if err != nil {
		return nil, nil, err
	}

	lateTol := orDur(o.Publisher.LateTolerance.D(), livespec.DefaultLateTolerance)
	rec := actors.Plan{
		Scenario: sc, Target: "aws", Version: o.Version, Shard: o.Layout.Shard,
		Traffic: traffic, Cutoff: cutoff, LateTolerance: lateTol,
		// A real account's propagation lag is unknown: fault windows are
		// the times the changes were made.
		ControlPlaneLag: 0,
		Quotas:          actors.QuotasFor(sc, o.Layout.Region),
	}.Recorder()
	rec.Planned(planned)

	l, err := newLoop(d, rec, router, loopFactory, rand.New(streams.Get(StreamHandlers)), lateTol)
	if err != nil {
		return nil, nil, err
	}
	l.traffic, l.cutoff, l.maxDur = traffic, cutoff, maxDur

	// Contexts: pacing stops first; polling and calls at the end.
	runCtx, cancelRun := context.WithCancel(context.Background())
	defer cancelRun()
	paceCtx, stopPacing := context.WithCancel(runCtx)
	defer stopPacing()

	start := d.clock.Now()
	d.mu.Lock()
	d.started = start
	d.start = start
	d.mu.Unlock()
	l.start = start
	batches := make(chan *batch, 2*d.concurrency())
	var io errgroup.Group
	var pubGroup errgroup.Group
	for i := 0; i < d.concurrency(); i++ {
		pubGroup.Go(func() error { d.worker(runCtx, batches); return nil })
	}
	for i, p := range o.Layout.Probes {
		for w := 0; w < o.Probes.PollersOrDefault(); w++ {
			io.Go(func() error { d.poll(runCtx, i, urls[i], o.Clients[p.Bus.Account].SQS); return nil })
		}
	}
	if o.OnStart != nil {
		o.OnStart(start)
	}
	pacerDone := make(chan struct{})
	go func() {
		defer close(pacerDone)
		d.pace(paceCtx, start, pacer, pubFactory, batches)
		close(batches)
	}()
	pubDone, ioDone := make(chan struct{}), make(chan struct{})
	go func() {
		<-pacerDone
		pubGroup.Wait()
		close(pubDone)
	}()
	go func() {
		io.Wait()
		close(ioDone)
	}()

	l.run(ctx)
	// Shutdown: stop pacing; let the calls in flight finish (their
	// outcomes are still recorded), then stop the pollers.
	stopPacing()
	<-pacerDone
	l.drainUntil(pubDone)
	cancelRun()
	l.drainUntil(ioDone)
	l.drainInbox()
	if !l.interrupted {
		dctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		d.readDLQs(dctx, l)
		cancel()
	}
	res, stats := l.finish()
	return res, stats, nil
}

func (d *Drill) concurrency() int {
	if c := d.opts.Publisher.Concurrency; c > 0 {
		return c
	}
	return livespec.DefaultConcurrency
}

func (d *Drill) queueURLs(ctx context.Context) ([]string, error) {
	o := d.opts
	urls := make([]string, len(o.Layout.Probes))
	copy(urls, o.ProbeURLs)
	for i, p := range o.Layout.Probes {
		if urls[i] != "" {
			continue
		}
		u, err := getQueueURL(ctx, o.Clients[p.Bus.Account].SQS, p.Queue, p.Bus.ID)
		if err != nil {
			return nil, fmt.Errorf("drill: probe queue %s in %s: %w", p.Queue, p.Bus.Account, err)
		}
		urls[i] = u
	}
	return urls, nil
}

// countArrivals counts the shard's orders in the traffic window, walking
// a second copy of the schedule.
func countArrivals(sc *scenarios.Scenario, shard loadgen.Shard) (int64, error) {
	s, err := sc.Traffic.Arrivals.Schedule(rng.NewStreams(sc.Seed).Get(loadgen.StreamArrivals), shard)
	if err != nil {
		return 0, err
	}
	traffic := s.Profile().Duration()
	var n int64
	for a, ok := s.Next(); ok && a.At < traffic; a, ok = s.Next() {
		n++
	}
	return n, nil
}

func orDur(v, d time.Duration) time.Duration {
	if v > 0 {
		return v
	}
	return d
}
