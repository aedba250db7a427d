package scenarios

import (
	"gopkg.in/yaml.v3"

	"github.com/busdrill/busdrill/internal/yamlstrict"
)

// ExpectSpec is one expectation. The short form is the condition alone:
//
//	expect:
//	  - e2e.p99 < 8s
//	  - loss == 0
//
// The long form names it and (later) limits it to a window:
//
//	expect:
//	  - name: steady p99
//	    that: e2e.p99 < 8s
type ExpectSpec struct {
	Name   string `yaml:"name,omitempty" doc:"A name for reports. Default: the condition."`
	That   string `yaml:"that,omitempty" required:"true" doc:"The condition: METRIC OP VALUE, e.g. e2e.p99 < 8s, or a boolean metric such as ledger.balanced."`
	Window string `yaml:"window,omitempty" doc:"Where it is evaluated: all (default), steady (outside every fault and its grace period), during:FAULT, or after:FAULT (after the fault and a grace period)."`
	NoData string `yaml:"no_data,omitempty" enum:"fail,pass" doc:"What a run that measured nothing this condition could be judged on (no orders sent, no delivery expected) gives: fail (default: loss == 0 must not pass a run that sent nothing) or pass."`

	Pos yamlstrict.Pos `yaml:"-"`
}

// UnmarshalStrictYAML accepts the short (string) and long (mapping) forms.
func (e *ExpectSpec) UnmarshalStrictYAML(d *yamlstrict.Decoder, n *yaml.Node, path string) error {
	e.Pos = d.Pos(n)
	if n.Kind == yaml.ScalarNode {
		e.That = n.Value
		return nil
	}
	type plain ExpectSpec // without the hook
	var p plain
	if d.Decode(n, path, &p) {
		p.Pos = e.Pos
		*e = ExpectSpec(p)
	}
	return nil
}

// StrictJSONSchema implements yamlstrict.SchemaProvider.
func (ExpectSpec) StrictJSONSchema(g *yamlstrict.SchemaGenerator) map[string]any {
	return map[string]any{
		"oneOf": []any{
			map[string]any{"type": "string", "description": "The condition, e.g. e2e.p99 < 8s."},
			map[string]any{
				"type":                 "object",
				"additionalProperties": false,
				"required":             []any{"that"},
				"properties": map[string]any{
					"name":    map[string]any{"type": "string"},
					"that":    map[string]any{"type": "string"},
					"window":  map[string]any{"type": "string", "pattern": "^(all|steady|(during|after):.+)$"},
					"no_data": map[string]any{"type": "string", "enum": []any{"fail", "pass"}},
				},
			},
		},
	}
}
