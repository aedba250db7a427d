package units

import (
	"encoding/json"
	"testing"
)

func TestParseByteSize(t *testing.T) {
	tests := []struct {
		comment string
		in      string
		want    int64
		err     string
	}{
		{"kilobytes are powers of 1000", "2KB", 2000, ""},
		{"kibibytes are powers of 1024", "2KiB", 2048, ""},
		{"a bare number is bytes", "512", 512, ""},
		{"explicit bytes", "512B", 512, ""},
		{"mebibyte", "1MiB", 1 << 20, ""},
		{"megabyte", "1MB", 1000000, ""},
		{"the EventBridge entry limit", "256KiB", 262144, ""},
		{"a fraction that is whole bytes", "1.5KB", 1500, ""},
		{"a space before the unit", "2 KB", 2000, ""},
		{"unit case does not matter", "2kib", 2048, ""},
		{"zero", "0", 0, ""},
		{"a fraction of a byte", "1.5B", 0, `invalid byte size "1.5B": not a whole number of bytes`},
		{"K alone is ambiguous", "2K", 0, `invalid byte size "2K": ambiguous unit "K": write KB (powers of 1000) or KiB (powers of 1024)`},
		{"an unknown unit", "2XB", 0, `invalid byte size "2XB": unknown unit "XB" (use B, KB, KiB, MB, MiB, GB, GiB, TB or TiB)`},
		{"negative", "-1KB", 0, `invalid byte size "-1KB": sizes cannot be negative`},
		{"no number", "KB", 0, `invalid byte size "KB": expected a number, e.g. 512, 2KB or 256KiB`},
		{"too large", "9000000TiB", 0, `invalid byte size "9000000TiB": too large (the maximum is 9223372036854775807 bytes)`},
		{"two decimal points", "1..2KB", 0, `invalid byte size "1..2KB": "1..2" is not a number`},
		{"empty", "", 0, `invalid byte size "": empty; write a number of bytes, e.g. 512, 2KB or 256KiB`},
	}
	for _, tt := range tests {
		got, err := ParseByteSize(tt.in)
		if tt.err != "" {
			if err == nil || err.Error() != tt.err {
				t.Errorf("%s: ParseByteSize(%q) error = %v, want %s", tt.comment, tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || got.Bytes() != tt.want {
			t.Errorf("%s: ParseByteSize(%q) = %d, %v; want %d", tt.comment, tt.in, got, err, tt.want)
		}
	}
}

func TestByteSizeString(t *testing.T) {
	tests := []struct {
		comment string
		in      ByteSize
		want    string
	}{
		{"zero", 0, "0B"},
		{"not a multiple of any unit", 1500, "1500B"},
		{"whole kilobytes", 2000, "2KB"},
		{"whole kibibytes", 262144, "256KiB"},
		{"both fit, the shorter wins", 1024000, "1024KB"},
		{"whole mebibytes", 1 << 20, "1MiB"},
	}
	for _, tt := range tests {
		if got := tt.in.String(); got != tt.want {
			t.Errorf("%s: %d renders %q, want %q", tt.comment, int64(tt.in), got, tt.want)
		}
	}
}

func TestByteSizeJSON(t *testing.T) {
	var b ByteSize
	if err := json.Unmarshal([]byte(`512`), &b); err != nil || b != 512 {
		t.Fatalf("number: %v %v", b, err)
	}
	if err := json.Unmarshal([]byte(`"2KiB"`), &b); err != nil || b != 2048 {
		t.Fatalf("string: %v %v", b, err)
	}
	if out, _ := json.Marshal(b); string(out) != `"2KiB"` {
		t.Errorf("marshal = %s", out)
	}
}

func FuzzParseByteSize(f *testing.F) {
	for _, s := range []string{"2KB", "2KiB", "512", "1.5MB", "0.0001TB", "9223372036854775807B"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, err := ParseByteSize(s)
		if err != nil {
			return
		}
		if b < 0 {
			t.Fatalf("%q parsed to negative %d", s, b)
		}
		back, err := ParseByteSize(b.String())
		if err != nil || back != b {
			t.Fatalf("%q → %d → %q → %d, %v", s, b, b.String(), back, err)
		}
	})
}
