package yamlstrict

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Limits that keep hostile or broken input cheap.
const (
	// MaxErrors is how many problems Decode reports; past it, the last
	// line says how many more there were.
	MaxErrors = 100
	// maxDepth is how deeply values may nest, aliases included.
	maxDepth = 1000
	// budgetBase and budgetPerNode bound the values decoded, aliases
	// expanded: budgetBase + budgetPerNode × (nodes in the file). A file
	// without aliases never comes near it; a billion-laughs file hits it
	// after a few thousand values.
	budgetBase    = 10000
	budgetPerNode = 10
)

// Unmarshaler is implemented by types that decode themselves from a YAML
// node: tagged unions (a fault list whose entries are chosen by `kind:`),
// or anything that is neither a plain struct nor a scalar. n is never an
// alias (the decoder follows aliases first) and path is the field path of
// n. Implementations report problems through d (Errorf, or by decoding
// sub-nodes with d.Decode, which reports its own), so that a union can
// report every problem with its position. A non-nil returned error is
// reported too: an *Error or Errors as it is, any other error at n.
type Unmarshaler interface {
	UnmarshalStrictYAML(d *Decoder, n *yaml.Node, path string) error
}

// ScalarUnmarshaler is implemented by types written as one scalar: a
// duration, a rate, a size. The decoder passes the scalar's text as
// written (so "0.50" stays "0.50" and 012 keeps its zero) and reports
// the returned error's text at the scalar's position.
// encoding.TextUnmarshaler types are decoded the same way.
type ScalarUnmarshaler interface {
	UnmarshalScalar(s string) error
}

// Decoder holds the state of one strict decoding: the file name and the
// problems found so far. Unmarshaler implementations receive it.
type Decoder struct {
	file      string
	errs      Errors
	budget    int
	exhausted bool
	depth     int
	active    map[*yaml.Node]bool // anchored nodes being decoded (cycle check)
}

// Decode parses data, the contents of the YAML file filename, into out,
// which must be a non-nil pointer. It returns nil or an Errors holding
// every problem found, sorted by position. out may be partly filled when
// there are problems; do not use it then.
func Decode(filename string, data []byte, out any) error {
	d := &Decoder{file: filename}
	root := d.parse(data)
	if root != nil {
		d.decodeRoot(root, out)
	}
	return d.result()
}

// DecodeNode is Decode for a document already parsed by yaml.v3 (a
// DocumentNode or its content). filename is used in messages.
func DecodeNode(filename string, n *yaml.Node, out any) error {
	d := &Decoder{file: filename}
	if n != nil && n.Kind == yaml.DocumentNode && len(n.Content) == 1 {
		n = n.Content[0]
	}
	if n == nil || n.Kind == 0 {
		d.errs = append(d.errs, d.at(1, 1).Errorf("", "the document is empty"))
	} else {
		d.decodeRoot(n, out)
	}
	return d.result()
}

func (d *Decoder) decodeRoot(root *yaml.Node, out any) {
	v := reflect.ValueOf(out)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		d.errs = append(d.errs, &Error{File: d.file, Msg: fmt.Sprintf("yamlstrict: Decode needs a non-nil pointer, got %T (a bug in the program, not in the file)", out)})
		return
	}
	d.budget = budgetBase + budgetPerNode*countNodes(root)
	d.decode(root, "", v.Elem())
}

func (d *Decoder) result() error {
	if len(d.errs) == 0 {
		return nil
	}
	return d.errs.Err()
}

// Pos returns the position of n in the file.
func (d *Decoder) Pos(n *yaml.Node) Pos { return d.at(n.Line, n.Column) }

func (d *Decoder) at(line, col int) Pos { return Pos{File: d.file, Line: line, Column: col} }

// Errorf reports a problem at n about the value at path.
func (d *Decoder) Errorf(n *yaml.Node, path, format string, args ...any) {
	d.errs = append(d.errs, d.Pos(n).Errorf(path, format, args...))
}

// Decode decodes n into out (a non-nil pointer) with the same strict
// rules as the package-level Decode, reporting problems under path. It
// returns whether it found no problem. Unmarshaler implementations use it
// for their parts, e.g. to decode a whole mapping into the struct of the
// variant its `kind:` names.
func (d *Decoder) Decode(n *yaml.Node, path string, out any) bool {
	v := reflect.ValueOf(out)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		d.Errorf(n, path, "yamlstrict: Decoder.Decode needs a non-nil pointer, got %T (a bug in the program, not in the file)", out)
		return false
	}
	before := len(d.errs)
	d.decode(n, path, v.Elem())
	return len(d.errs) == before
}

// Resolve follows aliases from n to the node they stand for. It returns
// nil (and reports why) for an alias whose anchor contains it.
func (d *Decoder) Resolve(n *yaml.Node, path string) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		if n.Alias == nil {
			d.Errorf(n, path, "unknown anchor *%s", n.Value)
			return nil
		}
		if d.active[n.Alias] {
			d.Errorf(n, path, "alias *%s refers to a value that contains it (a cycle)", n.Value)
			return nil
		}
		n = n.Alias
	}
	return n
}

// Lookup returns the value of key in the mapping n (merge keys included,
// aliases followed), or nil when n is not a mapping or has no such key.
// It reports nothing; a union uses it to read its discriminator before
// decoding the whole mapping.
func (d *Decoder) Lookup(n *yaml.Node, key string) *yaml.Node {
	n = d.Resolve(n, "")
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	// Duplicates and the like are reported when n itself is decoded; but
	// running out of budget here must stay reported, as decoding stops.
	saved, exhausted := len(d.errs), d.exhausted
	defer func() {
		if d.exhausted == exhausted {
			d.errs = d.errs[:saved]
		}
	}()
	for _, e := range d.entries(n, "") {
		if e.key == key {
			return d.Resolve(e.value, "")
		}
	}
	return nil
}

// Expect reports a problem and returns false unless n is of kind k
// (yaml.MappingNode, yaml.SequenceNode or yaml.ScalarNode; a null scalar
// does not count as a scalar).
func (d *Decoder) Expect(n *yaml.Node, path string, k yaml.Kind) bool {
	if n.Kind == k && !(k == yaml.ScalarNode && isNull(n)) {
		return true
	}
	want := map[yaml.Kind]string{yaml.MappingNode: "a mapping", yaml.SequenceNode: "a list", yaml.ScalarNode: "a single value"}[k]
	d.Errorf(n, path, "expected %s, got %s", want, describe(n))
	return false
}

// Enter charges the value n to the decoding's budget (values decoded,
// aliases expanded) and its depth, as the decoder does for every value
// it decodes; it returns false, having reported why once, when either
// runs out, and the caller must stop. Each Enter that returns true needs
// a Leave. Unmarshalers that walk nodes themselves (a pattern written as
// YAML, turned into JSON text) use it, so that aliases inside them share
// the one budget of the file.
func (d *Decoder) Enter(n *yaml.Node, path string) bool { return d.enter(n, path) }

// Leave ends a value begun by a successful Enter.
func (d *Decoder) Leave() { d.leave() }

// enter charges one value to the budget and one level to the depth; it
// returns false (having reported why, once) when either runs out.
func (d *Decoder) enter(n *yaml.Node, path string) bool {
	if d.exhausted {
		return false
	}
	d.budget--
	d.depth++
	switch {
	case d.budget < 0:
		d.exhausted = true
		d.Errorf(n, path, "the document expands to too many values (aliases repeat it more than %d times its size); refusing it", budgetPerNode)
		return false
	case d.depth > maxDepth:
		d.exhausted = true
		d.Errorf(n, path, "values are nested more than %d levels deep", maxDepth)
		return false
	}
	return true
}

func (d *Decoder) leave() { d.depth-- }

// parse turns data into the root node of its only document, reporting
// why when it cannot.
func (d *Decoder) parse(data []byte) *yaml.Node {
	if p, msg, ok := badCharacter(data); !ok {
		d.errs = append(d.errs, d.at(p.Line, p.Column).Errorf("", "%s", msg))
		return nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	err := safeDecode(dec, &doc)
	switch {
	case errors.Is(err, io.EOF):
		d.errs = append(d.errs, d.at(1, 1).Errorf("", "the file is empty; expected a YAML mapping"))
		return nil
	case err != nil:
		d.errs = append(d.errs, d.syntaxError(err, data))
		return nil
	}
	var next yaml.Node
	switch err := safeDecode(dec, &next); {
	case err == nil:
		d.errs = append(d.errs, d.Pos(&next).Errorf("", "a second YAML document starts here; the file must hold exactly one (remove the '---' line)"))
		return nil
	case !errors.Is(err, io.EOF):
		d.errs = append(d.errs, d.syntaxError(err, data))
		return nil
	}
	if len(doc.Content) != 1 || isNull(doc.Content[0]) && doc.Content[0].Value == "" {
		d.errs = append(d.errs, d.at(1, 1).Errorf("", "the document is empty; expected a YAML mapping"))
		return nil
	}
	return doc.Content[0]
}

// safeDecode is dec.Decode with any panic of the parser turned into an
// error: a hand-written file must never crash the program.
func safeDecode(dec *yaml.Decoder, n *yaml.Node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: the YAML parser failed on this file (%v)", r)
		}
	}()
	return dec.Decode(n)
}

var (
	syntaxLine    = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)
	unknownAnchor = regexp.MustCompile(`^unknown anchor '(.*)' referenced$`)
)

// syntaxError turns a yaml.v3 parse error ("yaml: line 3: ...") into an
// *Error at that line. yaml.v3 does not report the column; when the line
// is indented with a tab (a common cause), the column is the tab's.
func (d *Decoder) syntaxError(err error, data []byte) *Error {
	msg := err.Error()
	line := 0
	if m := syntaxLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
	}
	e := &Error{File: d.file, Line: line, Msg: "YAML syntax error: " + msg}
	if m := unknownAnchor.FindStringSubmatch(msg); m != nil && line == 0 {
		if i := bytes.Index(data, []byte("*"+m[1])); i >= 0 {
			before := data[:i]
			e.Line = bytes.Count(before, []byte("\n")) + 1
			e.Column = utf8.RuneCount(before[bytes.LastIndexByte(before, '\n')+1:]) + 1
		}
	}
	if tabLine, col := firstIndentTab(data); tabLine > 0 && (line == 0 || abs(tabLine-line) <= 1) {
		e.Line, e.Column = tabLine, col
		e.Msg += " (YAML does not allow tabs for indentation; use spaces)"
	}
	if e.Line == 0 {
		// yaml.v3 gives no line for some errors: the end of the stream
		// is on the last line; anything else is put at the start.
		e.Line = 1
		if strings.Contains(msg, "end of stream") {
			e.Line = bytes.Count(data, []byte("\n")) + 1
		}
	}
	return e
}

// firstIndentTab finds the first line indented with a tab.
func firstIndentTab(data []byte) (line, col int) {
	for i, l := range bytes.Split(data, []byte("\n")) {
		for j, c := range l {
			if c == '\t' {
				return i + 1, j + 1
			}
			if c != ' ' {
				break
			}
		}
	}
	return 0, 0
}

// badCharacter finds the first byte sequence that cannot be in a YAML
// file (invalid UTF-8, control characters) so that it can be reported
// with its position, which yaml.v3 does not give. Files starting with a
// UTF-16 byte order mark are left to yaml.v3.
func badCharacter(data []byte) (Pos, string, bool) {
	if bytes.HasPrefix(data, []byte{0xFE, 0xFF}) || bytes.HasPrefix(data, []byte{0xFF, 0xFE}) {
		return Pos{}, "", true
	}
	line, col := 1, 1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			return Pos{Line: line, Column: col}, fmt.Sprintf("the file is not valid UTF-8 (byte 0x%02X)", data[i]), false
		case r < 0x20 && r != '\t' && r != '\n' && r != '\r', r == 0x7F:
			return Pos{Line: line, Column: col}, fmt.Sprintf("control character U+%04X is not allowed in YAML", r), false
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		i += size
	}
	return Pos{}, "", true
}

// countNodes counts the nodes of the tree under n without following
// aliases.
func countNodes(n *yaml.Node) int {
	c := 1
	for _, k := range n.Content {
		c += countNodes(k)
	}
	return c
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
