package yamlstrict

import (
	"fmt"
	"strings"
	"testing"
)

func TestClipMessage(t *testing.T) {
	long := strings.Repeat("x", 1<<20)
	tests := []struct {
		comment string
		in      string
		want    string
	}{
		{"short messages are untouched", `unknown account "delivry"`, `unknown account "delivry"`},
		{"a long quoted value keeps its start and its length",
			fmt.Sprintf("%q is not a valid name", long),
			`"` + strings.Repeat("x", 63) + `…" (1048576 bytes) is not a valid name`},
		{"an escape sequence is never split",
			fmt.Sprintf("%q", strings.Repeat("a", 60)+"\x01"+strings.Repeat("b", 100)),
			`"` + strings.Repeat("a", 60) + `…" (164 bytes)`},
		{"a message without quotes stops at 1000 bytes",
			long[:5000], long[:1000] + "… (message shortened)"},
	}
	for _, tt := range tests {
		if got := clipMessage(tt.in); got != tt.want {
			t.Errorf("%s:\n got %.200q\nwant %.200q", tt.comment, got, tt.want)
		}
	}
}
