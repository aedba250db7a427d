package pattern

import (
	"strconv"
	"strings"
)

// A wildcard operand is literal text in which "*" stands for zero or more
// characters. "\*" is a literal star and "\\" a literal backslash (these
// are escapes inside the operand, after JSON unescaping: the JSON text
// "a\\*b" is the operand a\*b, which matches only "a*b"); a backslash
// before anything else is invalid, and so is "**". Positions in the error
// messages count UTF-8 bytes from 1, because event-ruler parses the operand
// with a leading quote in front ("Consecutive wildcard characters at pos
// 26" for a star at byte 25).
//
// Matching is the classic greedy glob algorithm: the first and last
// segments are anchored, every middle segment is found at its leftmost
// occurrence after the previous one. That is correct when "*" is the only
// metacharacter and costs O(len(value) × len(operand)) at worst.

// wildcard is a compiled operand: the literal segments between stars.
type wildcard struct {
	segs []string // len(segs) = number of stars + 1
}

func (w *wildcard) match(s string) bool {
	segs := w.segs
	if len(segs) == 1 {
		return s == segs[0]
	}
	first, last := segs[0], segs[len(segs)-1]
	if len(s) < len(first)+len(last) || !strings.HasPrefix(s, first) || !strings.HasSuffix(s, last) {
		return false
	}
	s = s[len(first) : len(s)-len(last)]
	for _, seg := range segs[1 : len(segs)-1] {
		i := strings.Index(s, seg)
		if i < 0 {
			return false
		}
		s = s[i+len(seg):]
	}
	return true
}

// MaxWildcardComplexity is the highest wildcard complexity Compile
// accepts (see wildcardComplexity). AWS rejects "*:*:*:*:*:event-bus/*"
// (complexity 26 by this measure) and accepts
// "/Users/*/dir/dir/dir/dir/dir/doc.txt" (7); five stars between simple
// literals ("a*b*c*d*e*f", 15) are accepted, six are not. AWS's own
// threshold and measure are not published.
const MaxWildcardComplexity = 15

// compileWildcard parses an operand, rejecting bad escapes, "**" and
// operands that are too complex.
func compileWildcard(s string) (*wildcard, *Error) {
	var segs []string
	var cur []byte
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '*':
			if i+1 < len(s) && s[i+1] == '*' {
				return nil, invalidPattern("Consecutive wildcard characters at pos " + strconv.Itoa(i+1))
			}
			segs = append(segs, string(cur))
			cur = cur[:0]
		case '\\':
			if i+1 < len(s) && (s[i+1] == '*' || s[i+1] == '\\') {
				cur = append(cur, s[i+1])
				i++
				continue
			}
			return nil, invalidPattern("Invalid escape character at pos " + strconv.Itoa(i+1))
		default:
			cur = append(cur, c)
		}
	}
	segs = append(segs, string(cur))
	w := &wildcard{segs: segs}
	if wildcardComplexity(w) > MaxWildcardComplexity {
		return nil, invalidPattern("Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character")
	}
	return w, nil
}

// wildcardComplexity is a worst-case measure of how much work an operand
// can cause, in the spirit of event-ruler's MachineComplexityEvaluator
// (which counts the wildcard-pattern states an automaton can be in at
// once for some input).
//
// Think of the operand as an automaton that reads a value left to right.
// After the k-th star has been reached, that star stays active for the
// rest of the value (it can absorb anything), and so do the partial
// matches of the literal that follows it: when the literal repeats itself
// ("/dir/dir/dir"), an input like "/dir/dir/dir/di" keeps one partial
// match alive per repetition. So each star contributes 1 + the most
// partial matches its following literal can keep alive at once, which is
// 1 + the longest chain of borders (prefixes that are also suffixes) of
// any prefix of that literal, computed with the KMP failure function.
//
// Stars also multiply each other's work (every active star can start a new
// partial match of every later literal), so the contribution of the k-th
// star is weighted by k. The sum over stars is the complexity:
//
//	"a*b"                                  1×1                    = 1
//	"/Users/*/dir/dir/dir/dir/dir/doc.txt" 1×(1+6)                = 7
//	"a*b*c*d*e*f"                          1+2+3+4+5              = 15
//	"*:*:*:*:*:event-bus/*"                1+2+3+4+5×2+6          = 26
func wildcardComplexity(w *wildcard) int {
	total := 0
	for k := 1; k < len(w.segs); k++ {
		total += k * (1 + borderChain(w.segs[k]))
	}
	return total
}

// borderChain is the largest number of partial matches of lit that can be
// alive at once: max over proper non-empty prefixes p of lit of
// 1 + (number of non-empty borders of p).
func borderChain(lit string) int {
	n := len(lit)
	if n < 2 {
		return 0
	}
	fail := make([]int, n) // fail[j]: length of the longest proper border of lit[:j]
	k := 0
	for j := 1; j+1 < n; j++ {
		for k > 0 && lit[j] != lit[k] {
			k = fail[k]
		}
		if lit[j] == lit[k] {
			k++
		}
		fail[j+1] = k
	}
	depth := make([]int, n) // depth[j]: number of non-empty borders of lit[:j]
	best := 0
	for j := 1; j < n; j++ {
		if fail[j] > 0 {
			depth[j] = depth[fail[j]] + 1
		}
		best = max(best, 1+depth[j])
	}
	return best
}
