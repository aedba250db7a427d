package swarm

import (
	"bytes"
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/busdrill/busdrill/scenarios"
)

// TestWrittenScenarioIsTheSame: every library scenario, written back as
// a file by scenarios.Marshal (the way swarm writes a seed's scenario and
// every shrink step), loads to the same scenario: topology, services,
// traffic, drain, model parameters, faults and expectations — with its
// faults' default names written out, which renames nothing. The shrinker
// and the repro files stand on this.
func TestWrittenScenarioIsTheSame(t *testing.T) {
	for _, name := range scenarios.Names() {
		sc, err := scenarios.Builtin(name)
		if err != nil {
			t.Fatal(err)
		}
		orig, _ := scenarios.Builtin(name)
		nameFaults(sc.Spec)
		src, err := scenarios.Marshal(sc.Spec, "written back")
		if err != nil {
			t.Fatal(err)
		}
		back, err := scenarios.Load(name+"-back.yaml", src, scenarios.LoadOptions{})
		if err != nil {
			t.Fatalf("%s: written back, it does not load: %v\n%s", name, err, src)
		}
		for _, f := range []struct {
			what string
			a, b any
		}{
			{"seed", orig.Seed, back.Seed}, {"topology", orig.Topology, back.Topology}, {"services", orig.Services, back.Services},
			{"traffic", orig.Traffic, back.Traffic}, {"drain", orig.Drain, back.Drain}, {"model", orig.Model, back.Model},
			{"faults", orig.Faults, back.Faults}, {"expectations", orig.Conditions(), back.Conditions()},
		} {
			if !reflect.DeepEqual(f.a, f.b) {
				t.Errorf("%s: written back, its %s differ:\n%+v\n%+v", name, f.what, f.a, f.b)
			}
		}
	}
}

// TestWrittenScenarioRunsTheSame: and a run of the file written back
// gives the same results.json as the original, byte for byte (a scenario
// with faults and windowed expectations, and the reference).
func TestWrittenScenarioRunsTheSame(t *testing.T) {
	for _, name := range []string{"disabled-rule", "duplicates-event-id"} {
		sc, _ := scenarios.Builtin(name)
		src, err := scenarios.Marshal(sc.Spec, "")
		if err != nil {
			t.Fatal(err)
		}
		a := runJSON(t, &subject{sc: sc}, sc.Source)
		b := runJSON(t, &subject{sc: sc}, src)
		if !bytes.Equal(a, b) {
			d, _ := firstDifference(a, b)
			t.Errorf("%s: written back, it runs differently: %s", name, d)
		}
	}
}

func runJSON(t *testing.T, s *subject, src []byte) []byte {
	t.Helper()
	sc, err := scenarios.Load("x.yaml", src, scenarios.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	_, js, err := runInstance(context.Background(), &instance{sc: sc, source: src})
	if err != nil {
		t.Fatal(err)
	}
	return js
}

const varyBase = `name: v
topology:
  reference:
    services: [{name: orders}, {name: delivery}]
services:
  - {name: delivery, account: delivery, on: Order.Created, emit: Delivery.Updated}
  - {name: orders, account: orders, on: Delivery.Updated, emit: Order.Updated}
traffic: {rate: 4/s, duration: 5m}
drain: 1m
faults:
  - {kind: disable-rule, bus: bus/global, rule: to-delivery, at: 1m, for: 1m}
  - {name: dup, kind: duplicate, mode: redelivery, probability: 1%}
  - {kind: disable-rule, bus: bus/global, rule: to-orders, at: 3m, for: 20s}
expect:
  - {that: loss == 0, window: steady}
  - {that: loss.rule-disabled > 0, window: "during:disable-rule-1"}
  - {that: recovery.disable-rule-2 < 1m}
  - ledger.balanced
`

// TestVary: each seed's variation is drawn from the seed alone (the same
// seed gives the same file; other seeds other files); switched-off faults
// take their expectations with them; starts and lengths stay within
// their bounds and the traffic; the rate factor within its range; the
// faults keep their names.
func TestVary(t *testing.T) {
	sc, err := scenarios.Load("v.yaml", []byte(varyBase), scenarios.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	v := scenarios.DefaultVariation()
	s := newSubject(sc, &v, v.String(), false, false)
	offSeen, onSeen := map[string]bool{}, map[string]bool{}
	sources := map[string]bool{}
	for seed := uint64(1); seed <= 200; seed++ {
		in, err := s.instance(seed)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		again, _ := s.instance(seed)
		if !bytes.Equal(in.source, again.source) {
			t.Fatalf("seed %d: two different scenarios", seed)
		}
		sources[string(in.source)] = true
		if in.sc.Seed != seed || !in.changed {
			t.Fatalf("seed %d: the instance runs seed %d (changed %v)", seed, in.sc.Seed, in.changed)
		}
		off := in.varied.Off
		for _, name := range []string{"disable-rule-1", "dup", "disable-rule-2"} {
			if strings.Contains(strings.Join(off, ","), name) {
				offSeen[name] = true
			} else {
				onSeen[name] = true
			}
		}
		// The expectations about a fault switched off are gone, and only
		// those.
		wantKept := []int{0, 3}
		if !containsString(off, "disable-rule-1") {
			wantKept = []int{0, 1, 3}
		}
		if !containsString(off, "disable-rule-2") {
			wantKept = append(wantKept[:len(wantKept)-1], 2, 3)
		}
		if !reflect.DeepEqual(in.kept, wantKept) {
			t.Errorf("seed %d: off %v, expectations kept %v, want %v", seed, off, in.kept, wantKept)
		}
		for i := range in.sc.Faults.Faults {
			f := &in.sc.Faults.Faults[i]
			if f.WholeRun {
				continue
			}
			if f.Start < time.Second || f.End > 5*time.Minute || f.End <= f.Start {
				t.Errorf("seed %d: %s from %v to %v, outside the traffic", seed, f.Name, f.Start, f.End)
			}
		}
		if r := in.varied.Rate; r < 0.5 || r > 1.5 {
			t.Errorf("seed %d: rate factor %v outside 0.5..1.5", seed, r)
		}
	}
	for _, name := range []string{"disable-rule-1", "dup", "disable-rule-2"} {
		if !offSeen[name] || !onSeen[name] {
			t.Errorf("fault %s: off in some seeds %v, on in some %v", name, offSeen[name], onSeen[name])
		}
	}
	if len(sources) < 190 {
		t.Errorf("200 seeds gave only %d different scenarios", len(sources))
	}
}

// TestVaryRanges: explicit ranges are kept; a fault not named by
// faults=... is never switched off.
func TestVaryRanges(t *testing.T) {
	sc, err := scenarios.Load("v.yaml", []byte(varyBase), scenarios.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	v, err := scenarios.ParseVariation("faults=dup,at=30s..40s,for=5s..6s,rate=2..2", sc.Faults.Names())
	if err != nil {
		t.Fatal(err)
	}
	s := newSubject(sc, &v, v.String(), false, false)
	for seed := uint64(1); seed <= 50; seed++ {
		in, err := s.instance(seed)
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range in.varied.Off {
			if name != "dup" {
				t.Errorf("seed %d: %s switched off", seed, name)
			}
		}
		for i := range in.sc.Faults.Faults {
			f := &in.sc.Faults.Faults[i]
			if f.WholeRun {
				continue
			}
			if f.Start < 30*time.Second || f.Start > 40*time.Second || f.End-f.Start < 5*time.Second || f.End-f.Start > 6*time.Second {
				t.Errorf("seed %d: %s at %v for %v", seed, f.Name, f.Start, f.End-f.Start)
			}
		}
		if !strings.Contains(string(in.source), "rate: 8/s") {
			t.Errorf("seed %d: the rate is not doubled:\n%s", seed, in.source)
		}
	}
}

// TestQuick: --quick runs every seed at a quarter of the rate, on the
// same timeline.
func TestQuick(t *testing.T) {
	sc, _ := scenarios.Builtin("throttle-storm")
	s := newSubject(sc, nil, "", true, false)
	in, err := s.instance(3)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := in.sc.PlannedOrders(1), sc.PlannedOrders(1)/4; got != want {
		t.Errorf("quick plans %v orders, want %v", got, want)
	}
	if !reflect.DeepEqual(in.sc.Faults, sc.Faults) || in.sc.Drain != sc.Drain {
		t.Error("quick changed the timeline")
	}
}

func containsString(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
