package scenarios

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"
)

// library holds the built-in scenarios: the YAML files of this folder,
// compiled into the binary so that `busdrill run` works with no file.
//
//go:embed *.yaml
var library embed.FS

// DefaultScenario is what `busdrill run` runs without an argument.
const DefaultScenario = "reference"

// BuiltinPrefix marks a built-in scenario in File and in error messages.
const BuiltinPrefix = "builtin:"

// Builtin loads a built-in scenario by name.
func Builtin(name string) (*Scenario, error) {
	data, err := library.ReadFile(name + ".yaml")
	if err != nil {
		return nil, fmt.Errorf("no built-in scenario %q (busdrill scenarios list shows them)", name)
	}
	return Load(BuiltinPrefix+name+".yaml", data, LoadOptions{})
}

// BuiltinSource returns the YAML text of a built-in scenario.
func BuiltinSource(name string) ([]byte, bool) {
	data, err := library.ReadFile(name + ".yaml")
	return data, err == nil
}

// Names lists the built-in scenarios, sorted.
func Names() []string {
	entries, _ := fs.ReadDir(library, ".")
	var out []string
	for _, e := range entries {
		if n, ok := strings.CutSuffix(e.Name(), ".yaml"); ok {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}
