package pattern

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// This file is a pull tokenizer for pattern text that fails the way
// Jackson (the JSON parser behind AWS's pattern compiler) fails, with
// Jackson's wording, because AWS hands Jackson's message to the caller as
// the Reason of an InvalidEventPatternException. The compiler consumes
// tokens one at a time like event-ruler's, so a semantic error early in a
// pattern is reported before a syntax error later in it, as AWS does.

type tokKind uint8

const (
	tokEOF tokKind = iota // no more input where a value could start
	tokStartObject
	tokEndObject
	tokStartArray
	tokEndArray
	tokField
	tokString
	tokNumber
	tokTrue
	tokFalse
	tokNull
)

// isNumeric mirrors Jackson's JsonToken.isNumeric.
func (k tokKind) isNumeric() bool { return k == tokNumber }

// MaxNesting is the deepest nesting of objects and arrays a pattern may
// have: Jackson's default StreamReadConstraints.maxNestingDepth, and the
// nesting limit PutEvents applies to events.
const MaxNesting = 1000

// lexer states inside a container.
const (
	stOpen      = iota // just after '{' or '['
	stAfterItem        // after a value (or a field's value)
	stAfterName        // object: after a field name, ':' expected
)

type lexCtx struct {
	obj   bool
	start int // offset of the opening bracket
	state uint8
}

type lexer struct {
	src      []byte
	pos      int
	ctx      []lexCtx
	rootDone bool
	// text is the current token's text, as Jackson's getText(): the
	// unescaped string or field name, a number's literal text, or the
	// punctuation/literal itself.
	text string
}

func newLexer(src []byte) *lexer { return &lexer{src: src, ctx: make([]lexCtx, 0, 8)} }

// next returns the next token. At the end of the top-level value it
// returns tokEOF without reading further, as the compiler never asks for
// more: like event-ruler, text after the pattern object is not examined.
func (l *lexer) next() (tokKind, *Error) {
	l.skipWS()
	if len(l.ctx) == 0 {
		if l.rootDone || l.pos >= len(l.src) {
			l.text = ""
			return tokEOF, nil
		}
		return l.value()
	}
	top := &l.ctx[len(l.ctx)-1]
	if l.pos >= len(l.src) {
		return tokEOF, l.eofInContainer()
	}
	c := l.src[l.pos]
	if top.obj {
		switch top.state {
		case stOpen:
			if c == '}' {
				return l.close(tokEndObject, "}")
			}
			return l.fieldName()
		case stAfterItem:
			switch c {
			case ',':
				l.pos++
				l.skipWS()
				return l.fieldName()
			case '}':
				return l.close(tokEndObject, "}")
			}
			return tokEOF, l.unexpected("was expecting comma to separate Object entries")
		default: // stAfterName
			if c != ':' {
				return tokEOF, l.unexpected("was expecting a colon to separate field name and value")
			}
			l.pos++
			l.skipWS()
			top.state = stAfterItem
			return l.value()
		}
	}
	switch top.state {
	case stOpen:
		if c == ']' {
			return l.close(tokEndArray, "]")
		}
		top.state = stAfterItem
		return l.value()
	default:
		switch c {
		case ',':
			l.pos++
			l.skipWS()
			return l.value()
		case ']':
			return l.close(tokEndArray, "]")
		}
		return tokEOF, l.unexpected("was expecting comma to separate Array entries")
	}
}

func (l *lexer) close(k tokKind, text string) (tokKind, *Error) {
	l.pos++
	l.ctx = l.ctx[:len(l.ctx)-1]
	if len(l.ctx) == 0 {
		l.rootDone = true
	}
	l.text = text
	return k, nil
}

func (l *lexer) skipWS() {
	for l.pos < len(l.src) {
		switch l.src[l.pos] {
		case ' ', '\t', '\n', '\r':
			l.pos++
		default:
			return
		}
	}
}

// value reads the value starting at l.pos.
func (l *lexer) value() (tokKind, *Error) {
	if l.pos >= len(l.src) {
		if len(l.ctx) == 0 {
			return tokEOF, nil
		}
		return tokEOF, l.eofInContainer()
	}
	if len(l.ctx) == 0 {
		l.rootDone = true
	}
	c := l.src[l.pos]
	switch {
	case c == '{' || c == '[':
		if len(l.ctx) >= MaxNesting {
			return tokEOF, l.syntax(fmt.Sprintf("Document nesting depth (%d) exceeds the maximum allowed (%d, from `StreamReadConstraints.getMaxNestingDepth()`)", len(l.ctx)+1, MaxNesting))
		}
		l.rootDone = false
		l.ctx = append(l.ctx, lexCtx{obj: c == '{', start: l.pos})
		l.pos++
		if c == '{' {
			l.text = "{"
			return tokStartObject, nil
		}
		l.text = "["
		return tokStartArray, nil
	case c == '"':
		s, err := l.str(false)
		if err != nil {
			return tokEOF, err
		}
		l.text = s
		return tokString, nil
	case c == '-' || '0' <= c && c <= '9':
		return l.number()
	case c == ']' || c == '}' || c == ',':
		return tokEOF, l.unexpected("expected a value")
	}
	r, _ := utf8.DecodeRune(l.src[l.pos:])
	if isIdentStart(r) {
		word := l.identRun()
		switch word {
		case "true":
			l.text = word
			return tokTrue, nil
		case "false":
			l.text = word
			return tokFalse, nil
		case "null":
			l.text = word
			return tokNull, nil
		}
		return tokEOF, l.syntax("Unrecognized token '" + word + "': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')")
	}
	return tokEOF, l.unexpected("expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')")
}

// identRun consumes the run of Java identifier characters at l.pos, as
// Jackson does when it reports an unrecognized token (capped at 256).
func (l *lexer) identRun() string {
	start := l.pos
	for l.pos < len(l.src) {
		r, n := utf8.DecodeRune(l.src[l.pos:])
		if !isIdentPart(r) {
			break
		}
		l.pos += n
		if l.pos-start >= 256 {
			return string(l.src[start:l.pos]) + "..."
		}
	}
	return string(l.src[start:l.pos])
}

func isIdentStart(r rune) bool {
	return r == '$' || r == '_' || unicode.IsLetter(r)
}

func isIdentPart(r rune) bool {
	return isIdentStart(r) || unicode.IsDigit(r)
}

func (l *lexer) fieldName() (tokKind, *Error) {
	if l.pos >= len(l.src) {
		return tokEOF, l.eofInContainer()
	}
	if l.src[l.pos] != '"' {
		return tokEOF, l.unexpected("was expecting double-quote to start field name")
	}
	s, err := l.str(true)
	if err != nil {
		return tokEOF, err
	}
	l.ctx[len(l.ctx)-1].state = stAfterName
	l.text = s
	return tokField, nil
}

// str reads the string starting at the quote at l.pos.
func (l *lexer) str(field bool) (string, *Error) {
	l.pos++
	start := l.pos
	// Fast path: no escapes.
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		if c == '"' {
			s := l.src[start:l.pos]
			if err := l.checkUTF8(s, start); err != nil {
				return "", err
			}
			l.pos++
			return string(s), nil
		}
		if c == '\\' || c < 0x20 {
			break
		}
		l.pos++
	}
	var b strings.Builder
	b.Write(l.src[start:l.pos])
	for {
		if l.pos >= len(l.src) {
			if field {
				return "", l.syntax("Unexpected end-of-input in field name")
			}
			return "", l.syntax("Unexpected end-of-input: was expecting closing quote for a string value")
		}
		c := l.src[l.pos]
		switch {
		case c == '"':
			l.pos++
			s := b.String()
			if err := l.checkUTF8([]byte(s), start); err != nil {
				return "", err
			}
			return s, nil
		case c < 0x20:
			return "", l.syntax(fmt.Sprintf("Illegal unquoted character (%s): has to be escaped using backslash to be included in string value", charDesc(rune(c))))
		case c != '\\':
			b.WriteByte(c)
			l.pos++
			continue
		}
		l.pos++
		if l.pos >= len(l.src) {
			return "", l.syntax("Unexpected end-of-input in character escape sequence")
		}
		e := l.src[l.pos]
		l.pos++
		switch e {
		case '"', '\\', '/':
			b.WriteByte(e)
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			r, err := l.hex4()
			if err != nil {
				return "", err
			}
			if utf16.IsSurrogate(r) {
				// A pair decodes to one rune; a lone half is kept as
				// U+FFFD (Java would keep the half; Go strings cannot).
				save := l.pos
				d := utf8.RuneError
				if l.pos+1 < len(l.src) && l.src[l.pos] == '\\' && l.src[l.pos+1] == 'u' {
					l.pos += 2
					r2, err := l.hex4()
					if err == nil {
						d = utf16.DecodeRune(r, r2)
					}
					if d == utf8.RuneError {
						l.pos = save
					}
				}
				r = d
			}
			b.WriteRune(r)
		default:
			l.pos--
			r, _ := utf8.DecodeRune(l.src[l.pos:])
			return "", l.syntax("Unrecognized character escape " + charDesc(r))
		}
	}
}

func (l *lexer) hex4() (rune, *Error) {
	var r rune
	for k := 0; k < 4; k++ {
		if l.pos >= len(l.src) {
			return 0, l.syntax("Unexpected end-of-input in character escape sequence")
		}
		c := l.src[l.pos]
		var v byte
		switch {
		case '0' <= c && c <= '9':
			v = c - '0'
		case 'a' <= c && c <= 'f':
			v = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			v = c - 'A' + 10
		default:
			return 0, l.unexpected("expected a hex-digit for character escape sequence")
		}
		r = r<<4 | rune(v)
		l.pos++
	}
	return r, nil
}

// checkUTF8 rejects invalid UTF-8 the way Jackson's byte parser does.
func (l *lexer) checkUTF8(s []byte, at int) *Error {
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRune(s[i:])
		if r == utf8.RuneError && n == 1 {
			l.pos = at + i
			if s[i] >= 0x80 && s[i] < 0xC0 || s[i] >= 0xF8 {
				return l.syntax(fmt.Sprintf("Invalid UTF-8 start byte 0x%x", s[i]))
			}
			b := byte(0)
			if i+1 < len(s) {
				b = s[i+1]
			}
			return l.syntax(fmt.Sprintf("Invalid UTF-8 middle byte 0x%x", b))
		}
		i += n
	}
	return nil
}

func (l *lexer) number() (tokKind, *Error) {
	start := l.pos
	src := l.src
	if src[l.pos] == '-' {
		l.pos++
		if l.pos >= len(src) {
			return tokEOF, l.syntax("Unexpected end-of-input in a Number value")
		}
		if c := src[l.pos]; c < '0' || c > '9' {
			return tokEOF, l.syntax(fmt.Sprintf("Unexpected character (%s) in numeric value: expected digit (0-9) to follow minus sign, for valid numeric value", l.curDesc()))
		}
	}
	if src[l.pos] == '0' {
		l.pos++
		if l.pos < len(src) && '0' <= src[l.pos] && src[l.pos] <= '9' {
			return tokEOF, l.syntax("Invalid numeric value: Leading zeroes not allowed")
		}
	} else {
		for l.pos < len(src) && '0' <= src[l.pos] && src[l.pos] <= '9' {
			l.pos++
		}
	}
	if l.pos < len(src) && src[l.pos] == '.' {
		l.pos++
		d := l.pos
		for l.pos < len(src) && '0' <= src[l.pos] && src[l.pos] <= '9' {
			l.pos++
		}
		if l.pos == d {
			if l.pos >= len(src) {
				return tokEOF, l.syntax("Unexpected end-of-input in a Number value")
			}
			return tokEOF, l.syntax(fmt.Sprintf("Unexpected character (%s) in numeric value: Decimal point not followed by a digit", l.curDesc()))
		}
	}
	if l.pos < len(src) && (src[l.pos] == 'e' || src[l.pos] == 'E') {
		l.pos++
		if l.pos < len(src) && (src[l.pos] == '+' || src[l.pos] == '-') {
			l.pos++
		}
		d := l.pos
		for l.pos < len(src) && '0' <= src[l.pos] && src[l.pos] <= '9' {
			l.pos++
		}
		if l.pos == d {
			if l.pos >= len(src) {
				return tokEOF, l.syntax("Unexpected end-of-input in a Number value")
			}
			return tokEOF, l.syntax(fmt.Sprintf("Unexpected character (%s) in numeric value: Exponent indicator not followed by a digit", l.curDesc()))
		}
	}
	if l.pos-start > 1000 {
		return tokEOF, l.syntax(fmt.Sprintf("Number value length (%d) exceeds the maximum allowed (1000, from `StreamReadConstraints.getMaxNumberLength()`)", l.pos-start))
	}
	l.text = string(src[start:l.pos])
	return tokNumber, nil
}

func (l *lexer) curDesc() string {
	r, _ := utf8.DecodeRune(l.src[l.pos:])
	return charDesc(r)
}

// unexpected reports the character at l.pos as Jackson does.
func (l *lexer) unexpected(what string) *Error {
	return l.syntax(fmt.Sprintf("Unexpected character (%s): %s", l.curDesc(), what))
}

func (l *lexer) eofInContainer() *Error {
	c := l.ctx[len(l.ctx)-1]
	kind := "Array"
	if c.obj {
		kind = "Object"
	}
	line, col := l.lineCol(c.start)
	return l.syntax(fmt.Sprintf("Unexpected end-of-input: expected close marker for %s (start marker at [Source: %s; line: %d, column: %d])", kind, sourceDesc, line, col))
}

// charDesc is Jackson's _getCharDesc.
func charDesc(r rune) string {
	switch {
	case unicode.IsControl(r) && r < 0x80:
		return fmt.Sprintf("(CTRL-CHAR, code %d)", r)
	case r > 255:
		return fmt.Sprintf("'%c' (code %d / 0x%x)", r, r, r)
	}
	return fmt.Sprintf("'%c' (code %d)", r, r)
}

// sourceDesc stands where Jackson prints the source text. Recent Jackson
// versions print exactly this by default; it also keeps messages on one
// line whatever the pattern contains.
const sourceDesc = "REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled)"

// syntax builds a JSON syntax error with Jackson's location suffix.
func (l *lexer) syntax(msg string) *Error {
	line, col := l.lineCol(l.pos)
	return invalidPattern(fmt.Sprintf("%s at [Source: %s; line: %d, column: %d]", msg, sourceDesc, line, col))
}

func (l *lexer) lineCol(pos int) (line, col int) {
	line, col = 1, 1
	for i := 0; i < pos && i < len(l.src); i++ {
		if l.src[i] == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return line, col
}
