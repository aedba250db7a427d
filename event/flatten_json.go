package event

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// frame is one open object or array during a scan.
type frame struct {
	// node is the trie node of the container's path; nil when nothing
	// below it is on a path, so its keys are not even looked up.
	node  *pathNode
	array bool
	// chained: the array pushed an entry on Flat.chain (tracked arrays only;
	// nothing inside an untracked array is ever emitted).
	chained bool
}

// FlattenJSON flattens a raw event (a JSON object) into f: every leaf
// value (string, number, true, false, null) at a path of ps becomes a Field,
// each element of an array at a path becomes its own Field, and f.Top
// records which mandatory envelope fields the top level had.
//
// It is one pass over the bytes with no recursion: subtrees on no path are
// scanned but not looked at (their keys are not looked up, their strings
// are not unescaped, their numbers are not parsed), strings are unescaped
// only when they are emitted and contain escapes, and numbers keep their
// text next to their float64 value. The whole input is still validated as
// JSON, because an event that is not JSON is an invalid event wherever the
// damage is. Errors: [ErrNotObject], [ErrSyntax], [ErrTooDeep] (more than
// [MaxDepth] levels), [ErrIntRange] (an integer outside int64).
//
// Not checked: that strings are valid UTF-8 (invalid bytes are kept and
// compared byte for byte).
func (ps *PathSet) FlattenJSON(raw []byte, f *Flat) error {
	f.Reset()
	return f.scan(raw, ps.root, true)
}

const (
	swarOnes = 0x0101010101010101
	swarHigh = 0x8080808080808080
)

// strPlain[c] is true for bytes that need no attention inside a string.
var strPlain = func() (t [256]bool) {
	for c := 0x20; c < 256; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// scan flattens the JSON object in b whose path is root. top says b is a
// whole event (record f.Top); otherwise b is a detail object.
func (f *Flat) scan(b []byte, root *pathNode, top bool) error {
	stack, err := f.scanBody(b, root, top, f.stack[:0])
	f.stack = stack[:0]
	return err
}

// scanBody is scan with the frame stack passed in and handed back (so that
// its capacity is kept without a defer). Containers on no path below the
// top level are handed to skipContainer, which validates them without
// frames, node lookups or array chains.
func (f *Flat) scanBody(b []byte, root *pathNode, top bool, stack []frame) ([]frame, error) {
	i := skipWS(b, 0)
	if i >= len(b) || b[i] != '{' {
		return stack, ErrNotObject
	}
	node := root

value:
	// b[i] starts a value whose path node is node (nil: untracked).
	if i >= len(b) {
		return stack, ErrSyntax
	}
	switch c := b[i]; c {
	case '{':
		if len(stack) >= MaxDepth {
			return stack, ErrTooDeep
		}
		if node != nil && len(node.kids) == 0 {
			node = nil
		}
		if node == nil && len(stack) > 0 {
			j, err := skipContainer(b, i, len(stack))
			if err != nil {
				return stack, err
			}
			i = j
			goto after
		}
		stack = append(stack, frame{node: node})
		i = skipWS(b, i+1)
		if i < len(b) && b[i] == '}' {
			i++
			stack = stack[:len(stack)-1]
			goto after
		}
		goto key
	case '[':
		if len(stack) >= MaxDepth {
			return stack, ErrTooDeep
		}
		if node == nil {
			j, err := skipContainer(b, i, len(stack))
			if err != nil {
				return stack, err
			}
			i = j
			goto after
		}
		fr := frame{node: node, array: true, chained: true}
		f.chain = append(f.chain, ArrayPos{Array: f.nextArr})
		f.nextArr++
		stack = append(stack, fr)
		i = skipWS(b, i+1)
		if i < len(b) && b[i] == ']' {
			i++
			f.chain = f.chain[:len(f.chain)-1]
			stack = stack[:len(stack)-1]
			goto after
		}
		goto value
	case '"':
		start := i + 1
		j, esc, ok := scanString(b, start)
		if !ok {
			return stack, ErrSyntax
		}
		if node != nil && node.leaf >= 0 {
			var s string
			if esc {
				s = f.unescape(b[start:j])
			} else {
				s = bytesString(b[start:j])
			}
			f.emit(node.leaf, KindString, s, 0)
		}
		i = j + 1
	case 't', 'f', 'n':
		lit := literals[b[i]]
		if !hasLit(b, i, lit.text) {
			return stack, ErrSyntax
		}
		if node != nil && node.leaf >= 0 {
			f.emit(node.leaf, lit.kind, lit.text, 0)
		}
		i += len(lit.text)
	default:
		j, isInt, ok := scanNumber(b, i)
		if !ok {
			return stack, ErrSyntax
		}
		// 18 digits always fit in an int64; longer integers are checked.
		if isInt && j-i > 18 && !fitsInt64(b[i:j]) {
			return stack, ErrIntRange
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
		if skipWS(b, i) != len(b) {
			return stack, ErrSyntax
		}
		return stack, nil
	}
	i = skipWS(b, i)
	if i >= len(b) {
		return stack, ErrSyntax
	}
	if fr := &stack[len(stack)-1]; fr.array {
		switch b[i] {
		case ',':
			if fr.chained {
				f.chain[len(f.chain)-1].Index++
			}
			node = fr.node
			i = skipWS(b, i+1)
			goto value
		case ']':
			if fr.chained {
				f.chain = f.chain[:len(f.chain)-1]
			}
			stack = stack[:len(stack)-1]
			i++
			goto after
		}
		return stack, ErrSyntax
	}
	switch b[i] {
	case ',':
		i = skipWS(b, i+1)
		goto key
	case '}':
		stack = stack[:len(stack)-1]
		i++
		goto after
	}
	return stack, ErrSyntax

key:
	// b[i] starts a key of the object on top of the stack.
	if i >= len(b) || b[i] != '"' {
		return stack, ErrSyntax
	}
	{
		start := i + 1
		j, esc, ok := scanString(b, start)
		if !ok {
			return stack, ErrSyntax
		}
		k := b[start:j]
		i = skipWS(b, j+1)
		if i >= len(b) || b[i] != ':' {
			return stack, ErrSyntax
		}
		i = skipWS(b, i+1)
		parent := stack[len(stack)-1].node
		if esc && (parent != nil || (top && len(stack) == 1)) {
			f.keyBuf = appendUnescaped(f.keyBuf[:0], k)
			k = f.keyBuf
		}
		if top && len(stack) == 1 {
			f.Top |= topBit(k)
		}
		node = nil
		if parent != nil && (parent.byName != nil || mayHaveKid(parent, k)) {
			node = parent.lookup(k)
		}
	}
	goto value
}

// mayHaveKid is a quick filter in front of n.lookup(k) for a node without
// an index: false when no child can match k, neither exactly (same length)
// nor as the first segment of a dotted key (a '.' right after the name).
func mayHaveKid(n *pathNode, k []byte) bool {
	for i := range n.kids {
		if l := len(n.kids[i].name); l == len(k) || l < len(k) && k[l] == '.' {
			return true
		}
	}
	return false
}

const skipWords = 16

var _ = [1]struct{}{}[(skipWords*64-MaxDepth)>>63&1|(skipWords&(skipWords-1))] // skipWords*64 >= MaxDepth, a power of two

// skipContainer validates the object or array that starts at b[i] ('{' or
// '['), which is on no path and has depth containers open around it, and
// returns the index just past its end. It checks exactly what scan checks,
// in the same order, so it fails with the error scan would: ErrTooDeep
// when an opening bracket would make more than MaxDepth levels, ErrIntRange
// for an integer outside int64, ErrSyntax for anything else.
func skipContainer(b []byte, i, depth int) (int, error) {
	// arr has bit d set when the container at depth d is an array. Its
	// length is a power of two, so masking the index drops the bounds
	// check (skipWords fails to compile if MaxDepth outgrows it).
	var arr [skipWords]uint64
	base := depth
	var c byte
	goto open

value:
	// b[i] starts a value.
	if i >= len(b) {
		return 0, ErrSyntax
	}
	switch c = b[i]; c {
	case '{', '[':
		goto open
	case '"':
		j, _, ok := scanString(b, i+1)
		if !ok {
			return 0, ErrSyntax
		}
		i = j + 1
	case 't', 'f', 'n':
		lit := literals[b[i]]
		if !hasLit(b, i, lit.text) {
			return 0, ErrSyntax
		}
		i += len(lit.text)
	default:
		j, isInt, ok := scanNumber(b, i)
		if !ok {
			return 0, ErrSyntax
		}
		if isInt && j-i > 18 && !fitsInt64(b[i:j]) {
			return 0, ErrIntRange
		}
		i = j
	}

after:
	// A value just ended at i.
	if depth == base {
		return i, nil
	}
	i = skipWS(b, i)
	if i >= len(b) {
		return 0, ErrSyntax
	}
	c = b[i]
	if arr[((depth-1)>>6)&(len(arr)-1)]>>((depth-1)&63)&1 != 0 {
		switch c {
		case ',':
			i = skipWS(b, i+1)
			goto value
		case ']':
			depth--
			i++
			goto after
		}
		return 0, ErrSyntax
	}
	switch c {
	case ',':
		i = skipWS(b, i+1)
		goto key
	case '}':
		depth--
		i++
		goto after
	}
	return 0, ErrSyntax

key:
	// b[i] starts a key.
	if i >= len(b) || b[i] != '"' {
		return 0, ErrSyntax
	}
	{
		j, _, ok := scanString(b, i+1)
		if !ok {
			return 0, ErrSyntax
		}
		i = skipWS(b, j+1)
		if i >= len(b) || b[i] != ':' {
			return 0, ErrSyntax
		}
		i = skipWS(b, i+1)
	}
	goto value

open:
	// b[i] is '{' or '['.
	if depth >= MaxDepth {
		return 0, ErrTooDeep
	}
	{
		w, bit := &arr[(depth>>6)&(len(arr)-1)], uint64(1)<<(depth&63)
		depth++
		if b[i] == '[' {
			*w |= bit
			i = skipWS(b, i+1)
			if i < len(b) && b[i] == ']' {
				depth--
				i++
				goto after
			}
			goto value
		}
		*w &^= bit
		i = skipWS(b, i+1)
		if i < len(b) && b[i] == '}' {
			depth--
			i++
			goto after
		}
		goto key
	}
}

// topBit maps a top-level key to its Flat.Top bit (0 for other keys).
func topBit(k []byte) uint16 {
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

func skipWS(b []byte, i int) int {
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

// literals are JSON's three literal values, by their first byte.
var literals = [256]struct {
	kind Kind
	text string
}{
	't': {KindTrue, "true"},
	'f': {KindFalse, "false"},
	'n': {KindNull, "null"},
}

func hasLit(b []byte, i int, lit string) bool {
	return len(b)-i >= len(lit) && string(b[i:i+len(lit)]) == lit
}

// scanString finds the closing quote of the string whose contents start at
// i, validating escapes and rejecting raw control characters.
//
// Most strings (keys above all) are shorter than 16 bytes: the first two
// words are tested together so that where in them the string ends costs no
// branch; anything but a plain string ending there goes to scanStringLong.
func scanString(b []byte, i int) (end int, esc, ok bool) {
	if i+16 <= len(b) {
		w := b[i : i+16 : i+16]
		m0 := strSpecial(binary.LittleEndian.Uint64(w))
		m1 := strSpecial(binary.LittleEndian.Uint64(w[8:]))
		if m0|m1 != 0 {
			// The first flagged byte, found without a branch (where a
			// string ends is unpredictable): m0's trailing zeros (64 when
			// m0 is 0), plus m1's when m0 is 0.
			nz := int(int64(m0|-m0) >> 63) // -1 when m0 != 0, else 0
			i += (bits.TrailingZeros64(m0) + bits.TrailingZeros64(m1)&^nz) >> 3
			if b[i] == '"' {
				return i, false, true
			}
		} else {
			i += 16
		}
	}
	return scanStringLong(b, i)
}

// strSpecial has the high bit set in the lowest byte of x that is a quote,
// a backslash or a control character (SWAR; higher bytes may be flagged
// falsely, but only above a true one).
func strSpecial(x uint64) uint64 {
	q := x ^ (swarOnes * '"')
	s := x ^ (swarOnes * '\\')
	return ((q-swarOnes)&^q | (s-swarOnes)&^s | (x-swarOnes*0x20)&^x) & swarHigh
}

// scanStringLong is scanString from i, a position in the string's contents
// that is not inside an escape.
func scanStringLong(b []byte, i int) (end int, esc, ok bool) {
	for {
		// Eight bytes at a time (SWAR: a quote, a backslash or a control
		// character sets the high bit of its byte; the lowest flagged byte
		// is always a true one, so it is where the scan stops). After a
		// few plain words the string is a long one: plainRun skips the
		// rest of its plain bytes faster.
		for words := 0; i+8 <= len(b); words++ {
			if words == 4 {
				i = plainRun(b, i)
				break
			}
			if m := strSpecial(binary.LittleEndian.Uint64(b[i:])); m != 0 {
				i += bits.TrailingZeros64(m) >> 3
				goto special
			}
			i += 8
		}
		for i < len(b) && strPlain[b[i]] {
			i++
		}
		if i >= len(b) {
			return 0, false, false
		}
	special:
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
				if i+6 > len(b) || !isHex4(b[i+2:i+6]) {
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

// plainRun returns the index of the first quote or backslash at or after
// i (len(b) when there is none) if no control character comes before it;
// otherwise it returns i, leaving the byte-wise scan to find that
// character. It finds the quote and the backslash with bytes.IndexByte
// (vectorized) and checks for control characters eight bytes at a time
// without a branch per word.
func plainRun(b []byte, i int) int {
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

// fitsInt64 reports whether a valid JSON integer is within int64,
// comparing digits instead of parsing.
func fitsInt64(n []byte) bool {
	limit := "9223372036854775807"
	if n[0] == '-' {
		n, limit = n[1:], "9223372036854775808"
	}
	if len(n) != len(limit) {
		return len(n) < len(limit)
	}
	return string(n) <= limit
}

func isHex4(b []byte) bool {
	for _, c := range b[:4] {
		if !isHex(c) {
			return false
		}
	}
	return true
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func hexVal(b []byte) rune {
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

// scanNumber validates the JSON number starting at i and returns its end;
// isInt is false when it has a fraction or an exponent.
func scanNumber(b []byte, i int) (end int, isInt, ok bool) {
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
func (f *Flat) unescape(raw []byte) string {
	start := len(f.buf)
	f.buf = appendUnescaped(f.buf, raw)
	if len(f.buf) == start {
		return ""
	}
	return bytesString(f.buf[start:])
}

// appendUnescaped appends the decoded contents of a validated JSON string.
// Unpaired surrogates become U+FFFD, as in encoding/json.
func appendUnescaped(dst, raw []byte) []byte {
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
			r := hexVal(raw[i:])
			i += 4
			if utf16.IsSurrogate(r) {
				r2 := utf8.RuneError
				if i+6 <= len(raw) && raw[i] == '\\' && raw[i+1] == 'u' {
					if d := utf16.DecodeRune(r, hexVal(raw[i+2:])); d != utf8.RuneError {
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
