package event

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestLongStrings: strings long enough for the scanner's fast path agree
// with encoding/json whatever the position of a quote, a backslash, an
// escape or a control character in them.
func TestLongStrings(t *testing.T) {
	var f Flat
	inserts := []string{"", `"`, `\`, `\"`, `\\`, `\n`, `\u00e9`, `\x`, "\x01", "\x1f", "\t", "é", "\x7f", "\xff"}
	for n := 0; n < 90; n += 3 {
		for pos := 0; pos <= n; pos += 5 {
			for _, ins := range inserts {
				s := strings.Repeat("x", pos) + ins + strings.Repeat("y", n-pos)
				for _, raw := range []string{
					`{"k":"` + s + `"}`,
					`{"k":"` + s + `","m":"` + s + `"}`,
					`{"k":"` + s, // unterminated
				} {
					err := ValidateObject([]byte(raw), &f)
					if valid := json.Valid([]byte(raw)); (err == nil) != valid {
						t.Fatalf("%q: error %v, encoding/json valid %v", raw, err, valid)
					}
				}
			}
		}
	}
}
