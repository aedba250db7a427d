package scenarios

import (
	"reflect"
	"testing"
)

func TestBuiltinScenariosLoad(t *testing.T) {
	for _, name := range Names() {
		s, err := Builtin(name)
		if err != nil {
			t.Fatalf("%s:\n%v", name, err)
		}
		if s.Name != name {
			t.Errorf("%s: the file is named %q inside", name, s.Name)
		}
	}
}

// TestExpandedRoundTrips: the expansion that 'busdrill scenarios show'
// prints loads, and gives the same topology as the original.
func TestExpandedRoundTrips(t *testing.T) {
	for _, name := range Names() {
		s, err := Builtin(name)
		if err != nil {
			t.Fatal(err)
		}
		out, err := s.Expanded()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		back, err := Load(name+"-expanded.yaml", out, LoadOptions{})
		if err != nil {
			t.Fatalf("%s: the expansion does not load:\n%v\n%s", name, err, out)
		}
		if !reflect.DeepEqual(back.Topology, s.Topology) {
			t.Errorf("%s: the expansion gives another topology", name)
		}
	}
}
