// The scanner of flatten_json.go as it was before the fast-skip rewrite,
// kept frozen as the oracle of the differential test and fuzz target
// (scan_diff_test.go). It stays because of what they compare: not only
// whether an input is accepted (encoding/json is the oracle of that, in
// FuzzFlattenJSON) but the exact error (ErrSyntax, ErrNotObject, the depth
// and integer limits), every flattened field with its path, kind, string
// and number bits, the array chains of each field, and the Top bits —
// none of which encoding/json can say. Change it only to follow a
// deliberate change of the flattening's semantics.

package event

import (
	"bytes"
	"encoding/binary"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// frameRef is one open object or array during a scan.
type frameRef struct {
	// node is the trie node of the container's path; nil when nothing
	// below it is on a path, so its keys are not even looked up.
	node  *pathNode
	array bool
	// chained: the array pushed an entry on Flat.chain (tracked arrays only;
	// nothing inside an untracked array is ever emitted).
	chained bool
}

// strPlainRef[c] is true for bytes that need no attention inside a string.
var strPlainRef = func() (t [256]bool) {
	for c := 0x20; c < 256; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// scan flattens the JSON object in b whose path is root. top says b is a
// whole event (record f.Top); otherwise b is a detail object.
func (f *Flat) scanRef(b []byte, root *pathNode, top bool) error {
	i := skipWSRef(b, 0)
	if i >= len(b) || b[i] != '{' {
		return ErrNotObject
	}
	node := root
	stack := make([]frameRef, 0, 16)

value:
	// b[i] starts a value whose path node is node (nil: untracked).
	if i >= len(b) {
		return ErrSyntax
	}
	switch c := b[i]; c {
	case '{':
		if len(stack) >= MaxDepth {
			return ErrTooDeep
		}
		if node != nil && len(node.kids) == 0 {
			node = nil
		}
		stack = append(stack, frameRef{node: node})
		i = skipWSRef(b, i+1)
		if i < len(b) && b[i] == '}' {
			i++
			stack = stack[:len(stack)-1]
			goto after
		}
		goto key
	case '[':
		if len(stack) >= MaxDepth {
			return ErrTooDeep
		}
		fr := frameRef{node: node, array: true}
		if node != nil {
			fr.chained = true
			f.chain = append(f.chain, ArrayPos{Array: f.nextArr})
			f.nextArr++
		}
		stack = append(stack, fr)
		i = skipWSRef(b, i+1)
		if i < len(b) && b[i] == ']' {
			i++
			if fr.chained {
				f.chain = f.chain[:len(f.chain)-1]
			}
			stack = stack[:len(stack)-1]
			goto after
		}
		goto value
	case '"':
		start := i + 1
		j, esc, ok := scanStringRef(b, start)
		if !ok {
			return ErrSyntax
		}
		if node != nil && node.leaf >= 0 {
			var s string
			if esc {
				s = f.unescapeRef(b[start:j])
			} else {
				s = bytesString(b[start:j])
			}
			f.emit(node.leaf, KindString, s, 0)
		}
		i = j + 1
	case 't':
		if !hasLitRef(b, i, "true") {
			return ErrSyntax
		}
		if node != nil && node.leaf >= 0 {
			f.emit(node.leaf, KindTrue, "true", 0)
		}
		i += 4
	case 'f':
		if !hasLitRef(b, i, "false") {
			return ErrSyntax
		}
		if node != nil && node.leaf >= 0 {
			f.emit(node.leaf, KindFalse, "false", 0)
		}
		i += 5
	case 'n':
		if !hasLitRef(b, i, "null") {
			return ErrSyntax
		}
		if node != nil && node.leaf >= 0 {
			f.emit(node.leaf, KindNull, "null", 0)
		}
		i += 4
	default:
		j, isInt, ok := scanNumberRef(b, i)
		if !ok {
			return ErrSyntax
		}
		// 18 digits always fit in an int64; longer integers are checked.
		if isInt && j-i > 18 && !fitsInt64Ref(b[i:j]) {
			return ErrIntRange
		}
		if node != nil && node.leaf >= 0 {
			text := bytesString(b[i:j])
			v, _ := strconv.ParseFloat(text, 64) // out of range: ±Inf, fine
			f.emit(node.leaf, KindNumber, text, v)
		}
		i = j
	}

after:
	// A value just ended at i.
	if len(stack) == 0 {
		if skipWSRef(b, i) != len(b) {
			return ErrSyntax
		}
		return nil
	}
	i = skipWSRef(b, i)
	if i >= len(b) {
		return ErrSyntax
	}
	if fr := &stack[len(stack)-1]; fr.array {
		switch b[i] {
		case ',':
			if fr.chained {
				f.chain[len(f.chain)-1].Index++
			}
			node = fr.node
			i = skipWSRef(b, i+1)
			goto value
		case ']':
			if fr.chained {
				f.chain = f.chain[:len(f.chain)-1]
			}
			stack = stack[:len(stack)-1]
			i++
			goto after
		}
		return ErrSyntax
	}
	switch b[i] {
	case ',':
		i = skipWSRef(b, i+1)
		goto key
	case '}':
		stack = stack[:len(stack)-1]
		i++
		goto after
	}
	return ErrSyntax

key:
	// b[i] starts a key of the object on top of the stack.
	if i >= len(b) || b[i] != '"' {
		return ErrSyntax
	}
	{
		start := i + 1
		j, esc, ok := scanStringRef(b, start)
		if !ok {
			return ErrSyntax
		}
		k := b[start:j]
		i = skipWSRef(b, j+1)
		if i >= len(b) || b[i] != ':' {
			return ErrSyntax
		}
		i = skipWSRef(b, i+1)
		parent := stack[len(stack)-1].node
		if esc && (parent != nil || (top && len(stack) == 1)) {
			f.keyBuf = appendUnescapedRef(f.keyBuf[:0], k)
			k = f.keyBuf
		}
		if top && len(stack) == 1 {
			f.Top |= topBitRef(k)
		}
		if parent != nil {
			node = parent.lookup(k)
		} else {
			node = nil
		}
	}
	goto value
}

// topBitRef maps a top-level key to its Flat.Top bit (0 for other keys).
func topBitRef(k []byte) uint16 {
	switch len(k) {
	case 2:
		if string(k) == "id" {
			return TopID
		}
	case 4:
		if string(k) == "time" {
			return TopTime
		}
	case 6:
		switch string(k) {
		case "source":
			return TopSource
		case "region":
			return TopRegion
		case "detail":
			return TopDetail
		}
	case 7:
		switch string(k) {
		case "account":
			return TopAccount
		case "version":
			return TopVersion
		}
	case 9:
		if string(k) == "resources" {
			return TopResources
		}
	case 11:
		if string(k) == "detail-type" {
			return TopDetailType
		}
	}
	return 0
}

func skipWSRef(b []byte, i int) int {
	if i < len(b) && b[i] > ' ' { // compact JSON: the usual case
		return i
	}
	for i < len(b) {
		switch b[i] {
		case ' ', '\n', '\r', '\t':
			i++
		default:
			return i
		}
	}
	return i
}

func hasLitRef(b []byte, i int, lit string) bool {
	return len(b)-i >= len(lit) && string(b[i:i+len(lit)]) == lit
}

// scanStringRef finds the closing quote of the string whose contents start at
// i, validating escapes and rejecting raw control characters.
func scanStringRef(b []byte, i int) (end int, esc, ok bool) {
	for {
		// Eight bytes at a time while none of them needs attention (SWAR:
		// a quote, a backslash or a control character sets a high bit).
		// After a few plain words the string is a long one: plainRunRef
		// skips the rest of its plain bytes faster.
		for words := 0; i+8 <= len(b); words++ {
			if words == 4 {
				i = plainRunRef(b, i)
				break
			}
			x := binary.LittleEndian.Uint64(b[i:])
			q := x ^ (swarOnes * '"')
			s := x ^ (swarOnes * '\\')
			if ((q-swarOnes)&^q|(s-swarOnes)&^s|(x-swarOnes*0x20)&^x)&swarHigh != 0 {
				break
			}
			i += 8
		}
		for i < len(b) && strPlainRef[b[i]] {
			i++
		}
		if i >= len(b) {
			return 0, false, false
		}
		switch b[i] {
		case '"':
			return i, esc, true
		case '\\':
			esc = true
			if i+1 >= len(b) {
				return 0, false, false
			}
			switch b[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if i+6 > len(b) || !isHex4Ref(b[i+2:i+6]) {
					return 0, false, false
				}
				i += 6
			default:
				return 0, false, false
			}
		default: // a control character
			return 0, false, false
		}
	}
}

// plainRunRef returns the index of the first quote or backslash at or after
// i (len(b) when there is none) if no control character comes before it;
// otherwise it returns i, leaving the byte-wise scan to find that
// character. It finds the quote and the backslash with bytes.IndexByte
// (vectorized) and checks for control characters eight bytes at a time
// without a branch per word.
func plainRunRef(b []byte, i int) int {
	end := len(b)
	if q := bytes.IndexByte(b[i:], '"'); q >= 0 {
		end = i + q
	}
	if k := bytes.IndexByte(b[i:end], '\\'); k >= 0 {
		end = i + k
	}
	const k = swarOnes * 0x20
	var acc uint64
	s := b[i:end]
	for ; len(s) >= 32; s = s[32:] {
		x0 := binary.LittleEndian.Uint64(s)
		x1 := binary.LittleEndian.Uint64(s[8:])
		x2 := binary.LittleEndian.Uint64(s[16:])
		x3 := binary.LittleEndian.Uint64(s[24:])
		acc |= (x0-k)&^x0 | (x1-k)&^x1 | (x2-k)&^x2 | (x3-k)&^x3
	}
	for ; len(s) >= 8; s = s[8:] {
		x := binary.LittleEndian.Uint64(s)
		acc |= (x - k) &^ x
	}
	if acc&swarHigh != 0 {
		return i
	}
	for _, c := range s {
		if c < 0x20 {
			return i
		}
	}
	return end
}

// fitsInt64Ref reports whether a valid JSON integer is within int64,
// comparing digits instead of parsing.
func fitsInt64Ref(n []byte) bool {
	limit := "9223372036854775807"
	if n[0] == '-' {
		n, limit = n[1:], "9223372036854775808"
	}
	if len(n) != len(limit) {
		return len(n) < len(limit)
	}
	return string(n) <= limit
}

func isHex4Ref(b []byte) bool {
	for _, c := range b[:4] {
		if !isHexRef(c) {
			return false
		}
	}
	return true
}

func isHexRef(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func hexValRef(b []byte) rune {
	var r rune
	for _, c := range b[:4] {
		r <<= 4
		switch {
		case c <= '9':
			r |= rune(c - '0')
		case c >= 'a':
			r |= rune(c-'a') + 10
		default:
			r |= rune(c-'A') + 10
		}
	}
	return r
}

// scanNumberRef validates the JSON number starting at i and returns its end;
// isInt is false when it has a fraction or an exponent.
func scanNumberRef(b []byte, i int) (end int, isInt, ok bool) {
	n := len(b)
	if i < n && b[i] == '-' {
		i++
	}
	if i >= n {
		return 0, false, false
	}
	switch c := b[i]; {
	case c == '0':
		i++
	case '1' <= c && c <= '9':
		for i < n && '0' <= b[i] && b[i] <= '9' {
			i++
		}
	default:
		return 0, false, false
	}
	isInt = true
	if i < n && b[i] == '.' {
		isInt = false
		i++
		d := i
		for i < n && '0' <= b[i] && b[i] <= '9' {
			i++
		}
		if i == d {
			return 0, false, false
		}
	}
	if i < n && (b[i] == 'e' || b[i] == 'E') {
		isInt = false
		i++
		if i < n && (b[i] == '+' || b[i] == '-') {
			i++
		}
		d := i
		for i < n && '0' <= b[i] && b[i] <= '9' {
			i++
		}
		if i == d {
			return 0, false, false
		}
	}
	return i, isInt, true
}

// unescape decodes the (already validated) contents of a JSON string into
// f.buf and returns an alias of the result.
func (f *Flat) unescapeRef(raw []byte) string {
	start := len(f.buf)
	f.buf = appendUnescapedRef(f.buf, raw)
	if len(f.buf) == start {
		return ""
	}
	return bytesString(f.buf[start:])
}

// appendUnescapedRef appends the decoded contents of a validated JSON string.
// Unpaired surrogates become U+FFFD, as in encoding/json.
func appendUnescapedRef(dst, raw []byte) []byte {
	for i := 0; i < len(raw); {
		c := raw[i]
		if c != '\\' {
			dst = append(dst, c)
			i++
			continue
		}
		e := raw[i+1]
		i += 2
		switch e {
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'u':
			r := hexValRef(raw[i:])
			i += 4
			if utf16.IsSurrogate(r) {
				r2 := utf8.RuneError
				if i+6 <= len(raw) && raw[i] == '\\' && raw[i+1] == 'u' {
					if d := utf16.DecodeRune(r, hexValRef(raw[i+2:])); d != utf8.RuneError {
						r2 = d
						i += 6
					}
				}
				r = r2
			}
			dst = utf8.AppendRune(dst, r)
		default: // '"', '\\', '/'
			dst = append(dst, e)
		}
	}
	return dst
}
