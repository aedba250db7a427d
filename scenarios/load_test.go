package scenarios

import (
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
