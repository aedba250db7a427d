package journal

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
)

// PoliciesEqual reports whether two resource-policy documents are the same
// as JSON values, ignoring key order, whitespace and the order of
// statements. An empty string is "no policy" and equals only itself.
func PoliciesEqual(a, b string) (bool, error) {
	if a == "" || b == "" {
		return a == b, nil
	}
	ca, err := canonicalPolicy(a)
	if err != nil {
		return false, err
	}
	cb, err := canonicalPolicy(b)
	if err != nil {
		return false, err
	}
	return reflect.DeepEqual(ca, cb), nil
}

func canonicalPolicy(s string) (any, error) {
	var v any
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("policy is not JSON: %w", err)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return v, nil
	}
	if st, ok := m["Statement"].([]any); ok {
		keys := make([]string, len(st))
		for i, x := range st {
			b, _ := json.Marshal(x) // maps marshal with sorted keys
			keys[i] = string(b)
		}
		idx := make([]int, len(st))
		for i := range idx {
			idx[i] = i
		}
		sort.SliceStable(idx, func(i, j int) bool { return keys[idx[i]] < keys[idx[j]] })
		sorted := make([]any, len(st))
		for i, k := range idx {
			sorted[i] = st[k]
		}
		m["Statement"] = sorted
	}
	return m, nil
}
