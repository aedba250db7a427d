package scenarios

import (
	"bytes"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/busdrill/busdrill/internal/yamlstrict"
	"github.com/busdrill/busdrill/topology"
)

// Expanded returns the scenario file with its topology written out in
// full: the reference shorthand expanded into accounts, buses, policies,
// rules and targets. Services stay as they are (they add their own rules
// when loaded), so the result is a scenario file equivalent to the
// original, and loading it gives the same topology.
func (s *Scenario) Expanded() ([]byte, error) {
	var errs yamlstrict.Errors
	t := expandTopology(s.Spec, newLocator(), &errs)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	f := *s.Spec
	f.Topology = fullSpec(t)
	return Marshal(&f, fmt.Sprintf("%s, with its topology expanded by busdrill scenarios show.", s.File))
}

// Marshal writes a scenario file: header as comment lines (none when it
// is empty), then f as
// YAML, which loads back to the same scenario. (A key whose value is the
// zero value is left out and takes its default when loaded: the file
// cannot say seed: 0, drain: 0s or at: 0s.)
func Marshal(f *File, header string) ([]byte, error) {
	var buf bytes.Buffer
	for _, line := range strings.Split(header, "\n") {
		if header == "" {
			break
		}
		if line == "" {
			buf.WriteString("#\n")
			continue
		}
		buf.WriteString("# " + line + "\n")
	}
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(f); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// fullSpec writes a topology in the file format's full form.
func fullSpec(t *topology.Topology) TopologySpec {
	ts := TopologySpec{Region: t.Region}
	for _, a := range t.Accounts {
		ts.Accounts = append(ts.Accounts, AccountSpec{Name: a.Name, ID: a.ID, OrgID: a.OrgID})
	}
	for _, b := range t.Buses {
		bs := BusSpec{Account: b.Account, Name: b.Name}
		for _, st := range b.Policy {
			bs.Policy = append(bs.Policy, StatementSpec{Sid: st.Sid, Principal: st.Principal, OrgID: st.OrgID, Action: st.Action})
		}
		for _, r := range b.Rules {
			rs := RuleSpec{Name: r.Name, Pattern: PatternText{JSON: r.Pattern}, State: string(r.State), Description: r.Description}
			for _, tg := range r.Targets {
				ts := TargetSpec{ID: tg.ID, Bus: tg.Bus, Role: tg.Role, Queue: tg.Queue, Log: tg.Log, Handler: tg.Handler, DLQ: tg.DLQ}
				if tg.Retry.MaximumRetryAttempts != nil || tg.Retry.MaximumEventAgeInSeconds != nil {
					ts.Retry = &RetrySpec{MaximumRetryAttempts: tg.Retry.MaximumRetryAttempts, MaximumEventAgeInSeconds: tg.Retry.MaximumEventAgeInSeconds}
				}
				rs.Targets = append(rs.Targets, ts)
			}
			bs.Rules = append(bs.Rules, rs)
		}
		ts.Buses = append(ts.Buses, bs)
	}
	for _, q := range t.Queues {
		ts.Queues = append(ts.Queues, RefSpec{Account: q.Account, Name: q.Name})
	}
	for _, h := range t.Handlers {
		ts.Handlers = append(ts.Handlers, RefSpec{Account: h.Account, Name: h.Name})
	}
	for _, a := range t.Archives {
		ts.Archives = append(ts.Archives, ArchiveSpec{Name: a.Name, Bus: a.Bus, Pattern: PatternText{JSON: a.Pattern}, RetentionDays: a.RetentionDays})
	}
	return ts
}

// MarshalYAML writes a pattern as its JSON text.
func (p PatternText) MarshalYAML() (any, error) {
	if p.JSON == "" {
		return nil, nil
	}
	return p.JSON, nil
}

// MarshalYAML writes the short form (the condition alone) when the
// expectation has nothing else: no name, no window, no no_data.
func (e ExpectSpec) MarshalYAML() (any, error) {
	if e.Name == "" && e.Window == "" && e.NoData == "" {
		return e.That, nil
	}
	type long struct {
		Name   string `yaml:"name,omitempty"`
		That   string `yaml:"that"`
		Window string `yaml:"window,omitempty"`
		NoData string `yaml:"no_data,omitempty"`
	}
	return long{Name: e.Name, That: e.That, Window: e.Window, NoData: e.NoData}, nil
}
