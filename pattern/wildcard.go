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

// compileWildcard parses an operand, rejecting bad escapes and "**".
// Complexity is judged later, over the whole leaf (see
// checkWildcardComplexity).
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
	return &wildcard{segs: segs}, nil
}
