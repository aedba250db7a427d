package yamlstrict_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"

	"github.com/busdrill/busdrill/internal/yamlstrict"
)

const schemaID = "https://busdrill.dev/schema/test-scenario.json"

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	raw, err := yamlstrict.Schema(&scenario{}, schemaID, "test scenario")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(schemaID, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(schemaID) // also checks the schema against the 2020-12 metaschema
	if err != nil {
		t.Fatalf("the generated schema does not compile: %v", err)
	}
	return s
}

// yamlToJSON converts a YAML document the way an editor's YAML language
// server does before applying a JSON Schema.
func yamlToJSON(t *testing.T, src string) any {
	t.Helper()
	var v any
	if err := yaml.Unmarshal([]byte(src), &v); err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	return inst
}

func TestSchemaGolden(t *testing.T) {
	raw, err := yamlstrict.Schema(&scenario{}, schemaID, "test scenario")
	if err != nil {
		t.Fatal(err)
	}
	again, _ := yamlstrict.Schema(scenario{}, schemaID, "test scenario")
	if !bytes.Equal(raw, again) {
		t.Fatal("Schema is not deterministic")
	}
	golden(t, "scenario.schema.json", string(raw))
}

func TestSchemaValidatesDocuments(t *testing.T) {
	s := compileSchema(t)
	const base = "name: x\naccounts: {orders: {id: '1'}}\ntraffic: {duration: 10m}\n"
	tests := []struct {
		comment string
		doc     string
		valid   bool
	}{
		{"the minimal document", base, true},
		{"every field in use", base + "mode: live\nseed: 3\nfaults: [{kind: throttle, at: 1m, rate: 5/s}, {kind: disable-rule, at: 2m, rule: r}]\n" +
			"limits: {max_in_flight: 10, drop: 0.5%, entry: 256KiB, ratio: 0.5, strict: true, retries: 3}\nconsumers: [orders]\ntags: {team: a}\n", true},
		{"traffic with stages and distributions", "name: x\naccounts: {}\ntraffic: {duration: 0, size: 'uniform(1KB, 4KB)', stages: [{rate: 2/s, label: a, latency: 'lognormal(median=5s, p99=8s)'}]}\n", true},
		{"an x- extension key holding anchors", base + "x-defaults: {region: eu}\n", true},
		{"probability and size as plain numbers", base + "limits: {drop: 0.005, entry: 512}\n", true},
		{"a missing required field", "accounts: {}\ntraffic: {duration: 1s}\n", false},
		{"an unknown key", base + "nmae: y\n", false},
		{"an unknown key in a map value", "name: x\naccounts: {orders: {id: '1', regoin: x}}\ntraffic: {duration: 10m}\n", false},
		{"a value outside an enum", base + "mode: simulated\n", false},
		{"a rate without a unit", "name: x\naccounts: {}\ntraffic: {duration: 1s, stages: [{rate: '200'}]}\n", false},
		{"a duration without a unit", "name: x\naccounts: {}\ntraffic: {duration: 10}\n", false},
		{"a fault of an unknown kind", base + "faults: [{kind: explode, at: 1m}]\n", false},
		{"a fault missing a variant's field", base + "faults: [{kind: disable-rule, at: 1m}]\n", false},
		{"an int32 that overflows", base + "limits: {max_in_flight: 3000000000}\n", false},
		{"a probability over one", base + "limits: {drop: 2}\n", false},
		{"a negative uint", base + "limits: {retries: -1}\n", false},
	}
	for _, tt := range tests {
		err := s.Validate(yamlToJSON(t, tt.doc))
		if (err == nil) != tt.valid {
			t.Errorf("%s: valid=%v, want %v: %v", tt.comment, err == nil, tt.valid, err)
		}
		// The decoder must agree with the schema on every row.
		var sc scenario
		derr := yamlstrict.Decode("t.yaml", []byte(tt.doc), &sc)
		if (derr == nil) != tt.valid {
			t.Errorf("%s: the decoder says %v, the schema says valid=%v", tt.comment, derr, tt.valid)
		}
	}
}

func TestSchemaRefusesUnsupportedTypes(t *testing.T) {
	type bad struct {
		C chan int `yaml:"c"`
	}
	_, err := yamlstrict.Schema(bad{}, "", "")
	if err == nil || !strings.Contains(err.Error(), "unsupported Go type chan int") {
		t.Fatalf("got %v", err)
	}
}
