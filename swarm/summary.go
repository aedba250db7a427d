package swarm

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/busdrill/busdrill/internal/readfile"
)

// SummarySchema identifies swarm.json. It changes only when a key
// changes meaning or disappears.
const SummarySchema = "busdrill.swarm/v1"

// SummaryFile is the name of a swarm's summary in its folder.
const SummaryFile = "swarm.json"

// Summary is swarm.json: one scenario's swarm, everything measured and
// nothing about the machine (no wall-clock time), so that the same
// scenario, seeds, options and version give a byte-identical file
// whatever the number of workers, and the shards of a swarm merge into
// exactly the file the whole swarm writes.
type Summary struct {
	Schema   string `json:"schema"`
	Scenario string `json:"scenario"`
	// File is the scenario as given (a path, or builtin:NAME.yaml);
	// Digest the SHA-256 of its text: shards of one swarm share it.
	File    string `json:"file"`
	Digest  string `json:"scenario_sha256"`
	Version string `json:"version"`
	// Vary is the variation, in its grammar ("" without --vary); Quick
	// marks --quick.
	Vary  string `json:"vary,omitempty"`
	Quick bool   `json:"quick,omitempty"`
	// First and Last bound the seed range; Shard is set in a shard's
	// summary, absent in a whole (or merged) swarm's.
	First uint64     `json:"first_seed"`
	Last  uint64     `json:"last_seed"`
	Shard *ShardInfo `json:"shard,omitempty"`
	// ReplayEvery: every ReplayEvery-th seed from First ran twice.
	ReplayEvery int `json:"replay_every"`
	// InvariantsOnly: the swarm judged the model only (an expectation
	// failing fails nothing and is not shrunk).
	InvariantsOnly bool `json:"invariants_only,omitempty"`
	// Interrupted marks a swarm stopped by a signal: Runs holds the
	// seeds that ran.
	Interrupted bool `json:"interrupted,omitempty"`

	Tally        Tally         `json:"tally"`
	Expectations []ExpectStats `json:"expectations"`
	// Shrinks are the failures shrunk: one per expectation that failed,
	// from the lowest seed it failed for.
	Shrinks []Shrink `json:"shrinks,omitempty"`
	// Reported lists the seeds whose results.json (and scenario, when it
	// was varied) are written under seeds/.
	Reported []uint64 `json:"reported,omitempty"`
	// LateReplays are reported seeds whose run for the outputs gave
	// another results.json than the sweep's: a determinism failure found
	// late.
	LateReplays []string `json:"late_replay_differences,omitempty"`
	Verdict     string   `json:"verdict"`
	// Runs are the seeds, in order.
	Runs []SeedRun `json:"runs"`
}

// ShardInfo says which shard of the seed range a summary covers.
type ShardInfo struct {
	Index uint64 `json:"index"`
	Count uint64 `json:"count"`
}

// Verdicts of a swarm.
const (
	VerdictPass = "pass"
	VerdictFail = "fail"
)

// Tally counts the seeds by outcome.
type Tally struct {
	Seeds       int `json:"seeds"`
	Passed      int `json:"passed"`
	Failed      int `json:"failed"`
	Interrupted int `json:"interrupted,omitempty"`
	// Errors are seeds whose scenario could not run (a variation the
	// loader refused).
	Errors int `json:"errors,omitempty"`
	// Broken counts seeds that broke an invariant; Replayed the seeds run
	// twice, NotReplayable those whose second run differed.
	Broken        int `json:"invariants_broken"`
	Replayed      int `json:"replayed"`
	NotReplayable int `json:"not_replayable"`
}

// Seed statuses.
const (
	StatusPass        = "pass"
	StatusFail        = "fail"
	StatusInterrupted = "interrupted"
	StatusError       = "error"
)

// SeedRun is one seed's run.
type SeedRun struct {
	Seed   uint64 `json:"seed"`
	Status string `json:"status"`
	Error  string `json:"error,omitempty"`
	Sent   int64  `json:"sent"`
	// Expect has one entry per expectation as written, in order.
	Expect []SeedExpect `json:"expect,omitempty"`
	// Varied says what the variation drew for the seed.
	Varied string `json:"varied,omitempty"`
	// Invariants are the invariants the run broke.
	Invariants []string `json:"invariants,omitempty"`
	// Replay is "identical" for a seed run twice with the same
	// results.json, else where the two first differ.
	Replay string `json:"replay,omitempty"`
	// Digest is the first 16 hex digits of results.json's SHA-256: a
	// rerun of the seed anywhere must give the same.
	Digest string `json:"digest,omitempty"`
}

// SeedExpect is one expectation's outcome for one seed.
type SeedExpect struct {
	// Status is pass, fail, or na: left out with a fault the variation
	// switched off.
	Status string `json:"status"`
	// Value is what was observed, in the expectation's unit; absent when
	// the run measured nothing for it.
	Value *float64 `json:"value,omitempty"`
	// Observed is the observed value as results.json prints it, for a
	// failed expectation.
	Observed string `json:"observed,omitempty"`
}

// Expectation outcome statuses besides pass and fail.
const statusNA = "na"

// WriteJSON writes the summary: indented, with one line per seed run.
func (s *Summary) WriteJSON() ([]byte, error) {
	head := *s
	head.Runs = nil
	b, err := json.MarshalIndent(head, "", "  ")
	if err != nil {
		return nil, err
	}
	// Replace the trailing "runs": null with one compact line per run.
	const tail = "\"runs\": null\n}"
	if !bytes.HasSuffix(b, []byte(tail)) {
		return nil, errors.New("swarm.json: unexpected layout")
	}
	var buf bytes.Buffer
	buf.Write(b[:len(b)-len(tail)])
	buf.WriteString("\"runs\": [")
	for i := range s.Runs {
		line, err := json.Marshal(&s.Runs[i])
		if err != nil {
			return nil, err
		}
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.WriteString("\n    ")
		buf.Write(line)
	}
	if len(s.Runs) > 0 {
		buf.WriteString("\n  ")
	}
	buf.WriteString("]\n}\n")
	return buf.Bytes(), nil
}

// maxSummaryBytes bounds a swarm.json read back (swarm merge), and the
// summaries one merge reads together: 100,000 seeds of a scenario with a
// dozen expectations fit well within it.
const maxSummaryBytes = 512 << 20

// ReadSummary reads a swarm.json.
func ReadSummary(path string) (*Summary, error) {
	data, err := readfile.Read(path, maxSummaryBytes)
	if err != nil {
		return nil, err
	}
	var s Summary
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("%s: not a swarm summary: %v", path, err)
	}
	if s.Schema != SummarySchema {
		return nil, fmt.Errorf("%s: schema %q, want %q", path, clip(s.Schema, 60), SummarySchema)
	}
	return &s, nil
}
