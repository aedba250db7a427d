package lint

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/busdrill/busdrill/pattern"
)

// topPattern is an event pattern split at its top level, so that the
// lint can reason about the envelope fields it constrains one at a time.
// A pattern whose top level holds "$or" ties fields together; the checks
// that read one field alone skip it.
type topPattern struct {
	fields map[string]json.RawMessage
	hasOr  bool
}

// splitPattern splits a pattern (already known to compile). Duplicate keys
// keep the last, as EventBridge does.
func splitPattern(src string) *topPattern {
	p := &topPattern{fields: map[string]json.RawMessage{}}
	if err := json.Unmarshal([]byte(src), &p.fields); err != nil {
		return &topPattern{}
	}
	_, p.hasOr = p.fields["$or"]
	return p
}

// sub compiles the pattern's constraint on one top-level field alone;
// ok is false when the pattern does not constrain that field.
func (p *topPattern) sub(field string) (*pattern.Pattern, bool) {
	raw, ok := p.fields[field]
	if !ok {
		return nil, false
	}
	var b bytes.Buffer
	key, _ := json.Marshal(field)
	b.WriteString("{")
	b.Write(key)
	b.WriteString(":")
	b.Write(raw)
	b.WriteString("}")
	sp, err := pattern.Compile(b.Bytes())
	if err != nil {
		return nil, false
	}
	return sp, true
}

// values returns the strings the pattern names for a top-level field, in
// its $or branches too: exact values and the operands of prefix, suffix,
// equals-ignore-case, wildcard (without its stars) and anything-but. They
// are the probe values that exercise the pattern's edges.
func (p *topPattern) values(field string) []string {
	var out []string
	if raw, ok := p.fields[field]; ok {
		out = collectStrings(raw, out)
	}
	if raw, ok := p.fields["$or"]; ok {
		var branches []map[string]json.RawMessage
		if json.Unmarshal(raw, &branches) == nil {
			for _, br := range branches {
				if v, ok := br[field]; ok {
					out = collectStrings(v, out)
				}
			}
		}
	}
	return out
}

func collectStrings(raw json.RawMessage, out []string) []string {
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if dec.Decode(&v) != nil {
		return out
	}
	var walk func(v any, wildcard bool)
	walk = func(v any, wildcard bool) {
		switch x := v.(type) {
		case string:
			if wildcard {
				x = strings.ReplaceAll(x, "*", "")
			}
			out = append(out, x)
		case []any:
			for _, it := range x {
				walk(it, wildcard)
			}
		case map[string]any:
			for _, k := range []string{"prefix", "suffix", "equals-ignore-case", "wildcard", "anything-but"} {
				if it, ok := x[k]; ok {
					walk(it, k == "wildcard")
				}
			}
		}
	}
	walk(v, false)
	return out
}

// onlyAWSSources reports whether the pattern's source constraint admits
// nothing but sources starting with "aws.": exact values and prefixes,
// all of them AWS's. Custom publishers cannot use such sources, so on a
// custom bus the rule never matches (AWS service events go to the
// default bus).
func (p *topPattern) onlyAWSSources() bool {
	raw, ok := p.fields["source"]
	if !ok || p.hasOr {
		return false
	}
	var items []any
	if json.Unmarshal(raw, &items) != nil || len(items) == 0 {
		return false
	}
	for _, it := range items {
		switch x := it.(type) {
		case string:
			if !strings.HasPrefix(x, "aws.") {
				return false
			}
		case map[string]any:
			pre, ok := x["prefix"].(string)
			if len(x) != 1 || !ok || !strings.HasPrefix(pre, "aws.") {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// excludedAccounts returns the account ids a pattern's account
// constraint excludes with anything-but (a value or a list).
func (p *topPattern) excludedAccounts() []string {
	raw, ok := p.fields["account"]
	if !ok {
		return nil
	}
	var items []any
	if json.Unmarshal(raw, &items) != nil {
		return nil
	}
	var out []string
	for _, it := range items {
		m, ok := it.(map[string]any)
		if !ok {
			continue
		}
		switch x := m["anything-but"].(type) {
		case string:
			out = append(out, x)
		case []any:
			for _, y := range x {
				if s, ok := y.(string); ok {
					out = append(out, s)
				}
			}
		}
	}
	return out
}
