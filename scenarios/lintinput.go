package scenarios

import (
	"strings"
	"time"

	"github.com/busdrill/busdrill/chaos"
	"github.com/busdrill/busdrill/topology/assemble"
	"github.com/busdrill/busdrill/topology/lint"
)

// sloStats are the end-to-end latency statistics an expectation can make
// an objective of.
var sloStats = map[string]bool{"e2e.p50": true, "e2e.p90": true, "e2e.p99": true, "e2e.p999": true, "e2e.max": true, "e2e.mean": true}

// LintInput is what busdrill topology lint checks of a scenario: its
// expanded topology, each element located at the line that wrote it (or
// the service that generated it); as objective, the tightest end-to-end
// latency expectation over the whole run (e2e.p99 < 8s; windowed
// expectations during faults do not count); and as redrive plans, the
// scenario's redrive faults.
func (s *Scenario) LintInput() lint.Input {
	in := lint.Input{
		Topology: s.Topology, Source: "scenario " + s.File,
		RedriveKnown: true, Redrive: map[string]string{},
		RedriveFix: "rehearse its redrive: add a fault {kind: redrive, queue: QUEUE, at: ...} after the fault that fills it",
		Locate: func(path string) assemble.Where {
			pos, fp := s.Locate(path)
			return assemble.Where{File: pos.File, Line: pos.Line, Col: pos.Column, Path: fp}
		},
	}
	for _, e := range s.Expect {
		c := e.Cond
		if !sloStats[c.Metric] || c.Ref != "" || (c.Op != "<" && c.Op != "<=") || (e.Window != "" && e.Window != "all" && e.Window != "steady") {
			continue
		}
		if d := time.Duration(c.Value); d > 0 && (in.SLO == 0 || d < in.SLO) {
			in.SLO, in.SLOSource = d, strings.TrimSpace(c.String())
		}
	}
	if s.Faults != nil {
		for _, f := range s.Faults.Faults {
			if f.Kind == chaos.KindRedrive && f.Queue != "" {
				in.Redrive[f.Queue] = "redrive fault " + f.Name
			}
		}
	}
	return in
}
