package scenarios

import "github.com/busdrill/busdrill/internal/yamlstrict"

// SchemaID is the $id of the published scenario JSON Schema.
const SchemaID = "https://busdrill.dev/schema/scenario.schema.json"

// Schema returns the JSON Schema of the scenario format, generated from the
// same Go types the loader decodes into, so it cannot drift from them.
// docs/scenario.schema.json is this output, checked by a test; editors use
// it to complete and check scenario files (e.g. with a
// "# yaml-language-server: $schema=..." comment).
func Schema() ([]byte, error) {
	return yamlstrict.Schema(File{}, SchemaID, "busdrill scenario")
}
