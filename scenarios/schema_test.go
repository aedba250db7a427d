package scenarios

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"
)

const publishedSchema = "../docs/scenario.schema.json"

// TestPublishedSchemaIsCurrent: docs/scenario.schema.json is what Schema
// generates. Run with -update after changing the format.
func TestPublishedSchemaIsCurrent(t *testing.T) {
	got, err := Schema()
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(publishedSchema, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(publishedSchema)
	if err != nil {
		t.Fatalf("%v (run go test ./scenarios -update to write it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s is out of date: run go test ./scenarios -update", publishedSchema)
	}
}

// TestLibraryValidatesAgainstSchema: every built-in scenario passes the
// published schema, as an editor would check it, and a broken one fails.
func TestLibraryValidatesAgainstSchema(t *testing.T) {
	raw, err := Schema()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(SchemaID, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(SchemaID)
	if err != nil {
		t.Fatalf("the schema does not compile: %v", err)
	}
	check := func(name string, src []byte) error {
		var v any
		if err := yaml.Unmarshal(src, &v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		js, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(js))
		if err != nil {
			t.Fatal(err)
		}
		return sch.Validate(inst)
	}
	for _, name := range Names() {
		src, _ := BuiltinSource(name)
		if err := check(name, src); err != nil {
			t.Errorf("%s does not validate against the schema: %v", name, err)
		}
	}
	bad, err := os.ReadFile("testdata/invalid/many-mistakes.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if check("many-mistakes", bad) == nil {
		t.Error("a broken scenario passes the schema")
	}
}
