package yamlstrict_test

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/busdrill/busdrill/internal/suggest"
	"github.com/busdrill/busdrill/internal/yamlstrict"
	"github.com/busdrill/busdrill/units"
)

// The types below are a small scenario file, shaped like the real one, to
// test the decoder and the schema generator on realistic input.

type scenario struct {
	Name        string             `yaml:"name" required:"true" doc:"Name of the scenario."`
	Description string             `yaml:"description,omitempty"`
	Seed        uint64             `yaml:"seed"`
	Mode        string             `yaml:"mode" enum:"sim,live"`
	Accounts    map[string]account `yaml:"accounts" required:"true"`
	Traffic     traffic            `yaml:"traffic" required:"true"`
	Faults      []fault            `yaml:"faults"`
	Tags        map[string]string  `yaml:"tags"`
	Consumers   []string           `yaml:"consumers"`
	Limits      *limits            `yaml:"limits"`
	Origin      yamlstrict.Origin  `yaml:"-"`
}

type account struct {
	ID     string `yaml:"id" required:"true"`
	Region string `yaml:"region"`
}

type traffic struct {
	Duration units.Duration `yaml:"duration" required:"true"`
	Stages   []stage        `yaml:"stages"`
	Size     units.SizeDist `yaml:"size"`
}

type stage struct {
	common  `yaml:",inline"`
	Rate    units.Rate `yaml:"rate" required:"true"`
	Latency units.Dist `yaml:"latency"`
	Pos     yamlstrict.Pos
}

type common struct {
	Label string `yaml:"label"`
}

type limits struct {
	MaxInFlight int32             `yaml:"max_in_flight"`
	Drop        units.Probability `yaml:"drop"`
	Entry       units.ByteSize    `yaml:"entry"`
	Ratio       float64           `yaml:"ratio"`
	Strict      bool              `yaml:"strict"`
	Retries     uint8             `yaml:"retries"`
}

// fault is a tagged union chosen by kind: each variant is a struct of its
// own with a Kind field restricted to its one value.
type fault struct {
	Spec any // *throttleFault or *disableFault
}

type throttleFault struct {
	Kind  string         `yaml:"kind" required:"true" enum:"throttle"`
	At    units.Duration `yaml:"at" required:"true"`
	Rate  units.Rate     `yaml:"rate" required:"true"`
	Until units.Duration `yaml:"until"`
}

type disableFault struct {
	Kind string         `yaml:"kind" required:"true" enum:"disable-rule"`
	At   units.Duration `yaml:"at" required:"true"`
	Rule string         `yaml:"rule" required:"true"`
}

var faultKinds = []string{"throttle", "disable-rule"}

func (f *fault) UnmarshalStrictYAML(d *yamlstrict.Decoder, n *yaml.Node, path string) error {
	if !d.Expect(n, path, yaml.MappingNode) {
		return nil
	}
	kind := d.Lookup(n, "kind")
	if kind == nil {
		return fmt.Errorf("missing required field \"kind\" (one of: %s)", strings.Join(faultKinds, ", "))
	}
	switch kind.Value {
	case "throttle":
		var t throttleFault
		d.Decode(n, path, &t)
		f.Spec = &t
	case "disable-rule":
		var t disableFault
		d.Decode(n, path, &t)
		f.Spec = &t
	default:
		hint := ""
		if s := suggest.Closest(kind.Value, faultKinds); s != "" {
			hint = fmt.Sprintf("; did you mean %q?", s)
		}
		d.Errorf(kind, yamlstrict.Key(path, "kind"), "unknown fault kind %q%s (one of: %s)", kind.Value, hint, strings.Join(faultKinds, ", "))
	}
	return nil
}

func (fault) StrictJSONSchema(g *yamlstrict.SchemaGenerator) map[string]any {
	return map[string]any{"oneOf": []any{
		g.Of(reflectType[throttleFault]()),
		g.Of(reflectType[disableFault]()),
	}}
}

// validate is the kind of semantic check a loader runs after decoding:
// it needs positions that decoding recorded.
func (s *scenario) validate() error {
	var errs yamlstrict.Errors
	for i, c := range s.Consumers {
		if _, ok := s.Accounts[c]; !ok {
			errs = append(errs, s.Origin.At("consumers").Errorf(yamlstrict.Index(s.Origin.PathOf("consumers"), i), "unknown account %q", c))
		}
	}
	if s.Origin.Has("seed") && s.Seed == 0 {
		errs = append(errs, s.Origin.Errorf("seed", "seed 0 is reserved; leave it out for a random seed"))
	}
	return errs.Err()
}
