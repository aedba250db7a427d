package compare

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/busdrill/busdrill/live/provision"
	"github.com/busdrill/busdrill/live/schedule"
	"github.com/busdrill/busdrill/live/session"
	"github.com/busdrill/busdrill/loadgen"
	"github.com/busdrill/busdrill/report"
	"github.com/busdrill/busdrill/rng"
	"github.com/busdrill/busdrill/scenarios"
	"github.com/busdrill/busdrill/scenarios/livespec"
	"github.com/busdrill/busdrill/serve"
	"github.com/busdrill/busdrill/sim/world"
)

const (
	// TrafficWindow is how long the derived scenarios' traffic lasts.
	TrafficWindow = 8 * time.Second
	// Drain is the derived scenarios' drain: the slowest service of the
	// library takes about 6 s, and a busy machine adds its share.
	Drain = 15 * time.Second
	// concurrentRuns is how many scenarios run at once (they wait on the
	// wall clock, but a live run's publisher on a busy 2-core machine
	// must not fall too far behind its schedule).
	concurrentRuns = 3
	// edgeSlack is how far from a fault window's edge an order may be
	// and still fall on the other side of it in one of the two worlds
	// (the live run's API call, the model's latencies).
	edgeSlack = 100 * time.Millisecond
)

// compared are the library scenarios whose faults a live run can inject
// (live/schedule.Supported), with the disagreements known between the two
// worlds' ledgers and why. There are none: one ledger books a refused
// hop, a dead-lettered forward, a disabled rule, a given-up publish, a
// relay's and a pattern service's events the same way in both worlds. A
// disagreement not listed fails the test.
var compared = map[string][]string{
	"reference":                nil,
	"sender-permission-lost":   nil,
	"hop-limit-chain":          nil,
	"launch-day-ramp":          nil,
	"disabled-rule":            nil,
	"local-permission-revoked": nil,
	"autonomous-subsystems":    nil,
}

// The compared list is exactly the library's scenarios whose faults live
// mode can inject.
func TestComparedAreTheLiveInjectable(t *testing.T) {
	var want []string
	for _, n := range scenarios.Names() {
		sc, err := scenarios.Builtin(n)
		if err != nil {
			t.Fatal(err)
		}
		if schedule.Supported(sc.Faults) == nil {
			want = append(want, n)
		}
	}
	var got []string
	for n := range compared {
		got = append(got, n)
	}
	sort.Strings(got)
	if !slices.Equal(got, want) {
		t.Fatalf("compared %v, want the live-injectable %v", got, want)
	}
}

func TestLiveAgainstServe(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the live-against-serve comparisons take about a minute of wall time")
	}
	// The runs are I/O-bound on the wall clock: all of them at once.
	type outcome struct {
		sc        *scenarios.Scenario
		live, sim *report.Results
		edges     []time.Duration
		lag       time.Duration
		err       error
	}
	names := sortedNames()
	outs := make([]outcome, len(names))
	var wg sync.WaitGroup
	slots := make(chan struct{}, concurrentRuns)
	for i, name := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			slots <- struct{}{}
			defer func() { <-slots }()
			o := &outs[i]
			if o.sc, o.err = derive(name); o.err != nil {
				return
			}
			if o.live, o.edges, o.lag, o.err = runLive(o.sc); o.err != nil {
				return
			}
			o.sim, o.err = runSim(o.sc)
		}()
	}
	wg.Wait()
	for i, name := range names {
		t.Run(name, func(t *testing.T) {
			o := outs[i]
			if o.err != nil {
				t.Fatal(o.err)
			}
			got := compare(t, o.sc, o.live, o.sim, o.edges, o.lag)
			known := compared[name]
			for _, d := range got {
				if !slices.Contains(known, d) {
					t.Errorf("a disagreement that is not known: %s", d)
				}
			}
			for _, d := range known {
				if !slices.Contains(got, d) {
					// A wide tolerance (a loaded machine's lag) can hide it.
					t.Logf("known disagreement not seen this time: %s", d)
				}
			}
		})
	}
}

func sortedNames() []string {
	var out []string
	for n := range compared {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// derive loads a library scenario and scales its traffic and faults to
// TrafficWindow (see the package doc).
func derive(name string) (*scenarios.Scenario, error) {
	sc, err := scenarios.Builtin(name)
	if err != nil {
		return nil, err
	}
	prof, err := loadgen.Compile(sc.Traffic.Arrivals.Shape)
	if err != nil {
		return nil, err
	}
	k := float64(TrafficWindow) / float64(prof.Duration())
	scale := func(d time.Duration) time.Duration { return time.Duration(math.Round(float64(d) * k)) }
	switch s := sc.Traffic.Arrivals.Shape.(type) {
	case loadgen.Constant:
		s.Duration = TrafficWindow
		sc.Traffic.Arrivals.Shape = s
	case loadgen.Ramp:
		s.Duration = TrafficWindow
		sc.Traffic.Arrivals.Shape = s
	default:
		return nil, fmt.Errorf("%s: no scaling for %T traffic", name, s)
	}
	if sc.Faults != nil {
		for i := range sc.Faults.Faults {
			f := &sc.Faults.Faults[i]
			f.Start, f.End, f.From, f.To = scale(f.Start), scale(f.End), scale(f.From), scale(f.To)
		}
	}
	sc.Drain = Drain
	noLag := time.Duration(0)
	sc.Model.ControlPlaneLag = &noLag
	sc.Expect = nil
	return sc, nil
}

func runID(sc *scenarios.Scenario) string { return fmt.Sprintf("%s-%d", sc.Name, sc.Seed) }

// liveConfig maps each scenario account to its own id, reached by
// assuming a role in it, as against AWS.
func liveConfig(sc *scenarios.Scenario) (*livespec.Config, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "region: %s\nallowed_accounts: [", sc.Topology.RegionOrDefault())
	for i, a := range sc.Topology.Accounts {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%q", a.ID)
	}
	b.WriteString("]\naccounts:\n")
	for _, a := range sc.Topology.Accounts {
		fmt.Fprintf(&b, "  %s: {id: %q, role_arn: \"arn:aws:iam::%s:role/busdrill\"}\n", a.Name, a.ID, a.ID)
	}
	b.WriteString("publisher: {concurrency: 4}\nprobes: {pollers: 1}\n")
	return livespec.Parse("live.yaml", []byte(b.String()))
}

// runLive runs the scenario against a fresh serve preloaded with it, as
// `busdrill run --target aws` does (the chaos schedule included). It also
// returns when the run's control-plane changes reached serve (from serve's
// access log), since the run's start: the fault windows' real edges.
func runLive(sc *scenarios.Scenario) (*report.Results, []time.Duration, time.Duration, error) {
	cfg, err := liveConfig(sc)
	if err != nil {
		return nil, nil, 0, err
	}
	var access syncBuffer
	srv, err := serve.New(serve.Options{Listen: "127.0.0.1:0", Scenario: sc, AccessLog: &access})
	if err != nil {
		return nil, nil, 0, err
	}
	if err := srv.Start(context.Background()); err != nil {
		return nil, nil, 0, err
	}
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	dir, err := os.MkdirTemp("", "busdrill-compare-")
	if err != nil {
		return nil, nil, 0, err
	}
	defer os.RemoveAll(dir)
	out, err := session.Run(ctx, session.Options{
		Scenario: sc, Config: cfg, EndpointURL: srv.URL(), RunID: runID(sc),
		JournalPath: filepath.Join(dir, "journal.jsonl"), Version: "test", SettleEarly: true,
		Credentials: credentials.NewStaticCredentialsProvider("AKIABUSDRILLCOMPARE", "secret", ""),
	})
	if err != nil {
		return nil, nil, 0, err
	}
	if out.Start.IsZero() {
		return nil, nil, 0, fmt.Errorf("the live run never started")
	}
	if out.ChaosErr != nil {
		return nil, nil, 0, fmt.Errorf("chaos: %w", out.ChaosErr)
	}
	edges, err := controlEdges(access.String(), out.Start)
	return out.Results, edges, out.Stats.LagMax, err
}

// controlEdges are the times (since start) of the control-plane changes
// a live run's faults made, read from serve's access log.
func controlEdges(log string, start time.Time) ([]time.Duration, error) {
	var out []time.Duration
	for _, line := range strings.Split(log, "\n") {
		f := strings.Fields(line)
		if len(f) != 5 || f[1] != "events" {
			continue
		}
		switch f[2] {
		case "DisableRule", "EnableRule", "RemovePermission", "PutPermission":
		default:
			continue
		}
		at, err := time.Parse(time.RFC3339Nano, f[0])
		if err != nil {
			return nil, err
		}
		out = append(out, at.Sub(start))
	}
	return out, nil
}

// syncBuffer is a bytes.Buffer safe for concurrent writers.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
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

// runSim runs the scenario in the simulator with the live run's probes in
// its topology.
func runSim(sc *scenarios.Scenario) (*report.Results, error) {
	cfg, err := liveConfig(sc)
	if err != nil {
		return nil, err
	}
	layout, err := provision.NewLayout(sc, cfg, runID(sc), loadgen.Shard{})
	if err != nil {
		return nil, err
	}
	simSc := *sc
	simSc.Topology = layout.Topology
	res, _, err := world.Run(world.Options{Scenario: &simSc, Version: "test"})
	return res, err
}

const probeSuffix = "/" + provision.ProbeRule + "/" + provision.ProbeTarget

// compare returns the disagreements between the two results on what a
// live run observes — its probe routes, their every count and cause, and
// the orders — as stable descriptions (the counts are logged).
func compare(t *testing.T, sc *scenarios.Scenario, live, sim *report.Results, edges []time.Duration, lag time.Duration) []string {
	tol := tolerance(t, sc, edges, lag)
	var diffs []string
	differ := func(what string, l, s int64) {
		if abs(l-s) > tol {
			diffs = append(diffs, what)
			t.Logf("%s: live %d, sim %d (tolerance %d)", what, l, s, tol)
		}
	}
	routes := func(r *report.Results) map[[2]string]report.Route {
		m := map[[2]string]report.Route{}
		for _, rt := range r.Ledger.Routes {
			if strings.HasSuffix(rt.To, probeSuffix) {
				m[[2]string{rt.From, rt.To}] = rt
			}
		}
		return m
	}
	lr, sr := routes(live), routes(sim)
	var keys [][2]string
	for k := range lr {
		keys = append(keys, k)
	}
	for k := range sr {
		if _, ok := lr[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i][0]+keys[i][1] < keys[j][0]+keys[j][1] })
	for _, k := range keys {
		name := "route " + k[0] + " → " + k[1]
		l, inL := lr[k]
		s, inS := sr[k]
		switch {
		case inL && !inS:
			diffs = append(diffs, name+": only in live")
			continue
		case inS && !inL:
			diffs = append(diffs, name+": only in sim")
			continue
		}
		differ(name+": expected", l.Expected, s.Expected)
		differ(name+": delivered", l.Delivered, s.Delivered)
		differ(name+": in flight", l.InFlight, s.InFlight)
		for _, c := range union(l.DLQCauses, s.DLQCauses) {
			differ(name+": dead-lettered ("+c+")", l.DLQCauses[c], s.DLQCauses[c])
		}
		for _, c := range union(l.Dropped, s.Dropped) {
			differ(name+": dropped ("+c+")", l.Dropped[c], s.Dropped[c])
		}
	}
	differ("orders sent", live.Orders.Sent, sim.Orders.Sent)
	for _, c := range union(live.Orders.NotSentCauses, sim.Orders.NotSentCauses) {
		differ("orders not sent ("+c+")", live.Orders.NotSentCauses[c], sim.Orders.NotSentCauses[c])
	}
	differ("orders completed", live.Orders.Completed, sim.Orders.Completed)
	return diffs
}

// tolerance is how many counts may differ: the orders whose intended
// time lies between a fault window's edge in the simulator (exact) and
// the same edge in the live run (when serve received the call), widened
// by edgeSlack for the model's latencies and, after it, by the live
// publisher's largest lag (an order sent late crosses the edge late),
// twice (a route can carry two of an order's events).
func tolerance(t *testing.T, sc *scenarios.Scenario, live []time.Duration, lag time.Duration) int64 {
	var sim []time.Duration
	if sc.Faults != nil {
		for _, f := range sc.Faults.Faults {
			if !f.WholeRun && !f.Instant() {
				sim = append(sim, f.Start, f.End)
			}
		}
	}
	if len(sim) == 0 {
		return 0
	}
	if len(live) != len(sim) {
		t.Errorf("the live run made %d control-plane changes, want %d (the faults' edges)", len(live), len(sim))
		return 0
	}
	sched, err := sc.Traffic.Arrivals.Schedule(rng.NewStreams(sc.Seed).Get(loadgen.StreamArrivals), loadgen.Shard{})
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	for a, ok := sched.Next(); ok; a, ok = sched.Next() {
		for i := range sim {
			lo, hi := min(sim[i], live[i])-edgeSlack-lag, max(sim[i], live[i])+edgeSlack
			if a.At >= lo && a.At < hi {
				n++
				break
			}
		}
	}
	t.Logf("fault edges: sim %v, live %v; live lag up to %v: %d orders near them", sim, live, lag, n)
	return 2 * n
}

func union(a, b map[string]int64) []string {
	var out []string
	for k := range a {
		out = append(out, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

func abs(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}
