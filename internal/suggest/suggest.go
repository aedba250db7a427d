// Package suggest finds the closest of a few names to one a person typed,
// for "did you mean" messages: unknown YAML keys, enum values, accounts,
// expectation metrics, commands and flags.
package suggest

import "strings"

// Closest returns the candidate closest to got, or "" when none is close
// enough. Closeness is the optimal string alignment distance (insertions,
// deletions, substitutions and swaps of adjacent characters), ignoring
// case; a candidate qualifies when the distance is at most one third of
// its length (at least 1, at most 3). Ties go to the earlier candidate, so
// pass candidates in a deterministic order. Strings over 64 bytes are
// only compared for equality, so a hostile input costs nothing.
func Closest(got string, candidates []string) string {
	best, bestD := "", 1<<30
	g := strings.ToLower(got)
	for _, c := range candidates {
		limit := min(max(len(c)/3, 1), 3)
		d := editDistance(g, strings.ToLower(c), limit)
		if d <= limit && d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// editDistance is the optimal string alignment distance between a and b,
// in bytes, or limit+1 when the lengths alone make it exceed limit or a
// string is too long (over 64 bytes) to be worth comparing.
func editDistance(a, b string, limit int) int {
	if abs(len(a)-len(b)) > limit {
		return limit + 1
	}
	if len(a) > 64 || len(b) > 64 {
		if a == b {
			return 0
		}
		return limit + 1
	}
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
