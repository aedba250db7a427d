package pattern

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The conformance cases were validated against real AWS
// (events:TestEventPattern). They live outside the repository, in
// shared/conformance/eventbridge-patterns beside it; the data is not ours
// to copy in. BUSDRILL_CONFORMANCE_DIR overrides the location.

type conformanceCase struct {
	Name       string          `json:"name"`
	Pattern    json.RawMessage `json:"pattern"`
	PatternRaw *string         `json:"pattern_raw"`
	Event      json.RawMessage `json:"event"`
	EventRaw   *string         `json:"event_raw"`
	Expect     string          `json:"expect"`
	AWSError   *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"aws_error"`
}

func conformanceFile(t *testing.T) string {
	t.Helper()
	const rel = "conformance/eventbridge-patterns/public.jsonl"
	if d := os.Getenv("BUSDRILL_CONFORMANCE_DIR"); d != "" {
		return filepath.Join(d, "public.jsonl")
	}
	// Walk up from the package directory looking for a sibling "shared"
	// of some ancestor (the repository root sits next to it).
	dir, err := os.Getwd()
	if err != nil {
		t.Skipf("conformance data not found: %v", err)
	}
	for {
		p := filepath.Join(filepath.Dir(dir), "shared", rel)
		if _, err := os.Stat(p); err == nil {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	t.Skip("conformance data not found: set BUSDRILL_CONFORMANCE_DIR to the directory of public.jsonl, or place it at ../shared/" + rel + " beside the repository")
	return ""
}

func loadConformance(t *testing.T) []conformanceCase {
	path := conformanceFile(t)
	f, err := os.Open(path)
	if err != nil {
		t.Skipf("conformance data not readable: %v", err)
	}
	defer f.Close()
	var cases []conformanceCase
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var c conformanceCase
		if err := json.Unmarshal(line, &c); err != nil {
			t.Fatalf("%s: bad line: %v", path, err)
		}
		cases = append(cases, c)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return cases
}

func TestConformance(t *testing.T) {
	cases := loadConformance(t)
	if len(cases) == 0 {
		t.Fatal("no conformance cases")
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			pat := []byte(c.Pattern)
			if c.PatternRaw != nil {
				pat = []byte(*c.PatternRaw)
			}
			ev := []byte(c.Event)
			if c.EventRaw != nil {
				ev = []byte(*c.EventRaw)
			}
			p, err := Compile(pat)
			if c.Expect == "invalid" {
				var pe *Error
				if !errors.As(err, &pe) {
					t.Fatalf("Compile(%s) = %v, want %s", pat, err, c.AWSError.Code)
				}
				if pe.Code != c.AWSError.Code {
					t.Errorf("code = %q, want %q", pe.Code, c.AWSError.Code)
				}
				want := c.AWSError.Message
				jackson := strings.HasPrefix(pe.Message, want+" at [Source:")
				if pe.Message != want && !jackson {
					t.Errorf("message:\n got %q\nwant %q", pe.Message, want)
				}
				return
			}
			if err != nil {
				t.Fatalf("Compile(%s): %v", pat, err)
			}
			got, err := p.MatchJSON(ev)
			if c.Expect == "invalid_event" {
				var pe *Error
				if !errors.As(err, &pe) || pe.Code != c.AWSError.Code || pe.Message != c.AWSError.Message {
					t.Fatalf("MatchJSON(%s) = %v, %v; want %s: %s", ev, got, err, c.AWSError.Code, c.AWSError.Message)
				}
				return
			}
			if err != nil {
				t.Fatalf("MatchJSON(%s): %v", ev, err)
			}
			if want := c.Expect == "match"; got != want {
				t.Errorf("pattern %s\nevent %s\nmatch = %v, want %v", pat, ev, got, want)
			}
			// The Matcher must agree with the Pattern, alone and in a set.
			m := NewMatcher([]*Pattern{MustCompile(`{"source":[{"exists":true}]}`), p})
			idx, err := m.MatchJSON(ev, &Scratch{}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if has := len(idx) > 0 && idx[len(idx)-1] == 1; has != got {
				t.Errorf("Matcher says %v, Pattern says %v", idx, got)
			}
		})
	}
}
