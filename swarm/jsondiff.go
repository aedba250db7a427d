package swarm

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// difference is where two JSON documents first differ, in document
// order: the field's path (ledger.routes[2].delivered) and its value in
// each ("(absent)" for a key or element only one has).
type difference struct {
	Path string
	A, B string
}

func (d difference) String() string {
	path := d.Path
	if path == "" {
		path = "(the document)"
	}
	return fmt.Sprintf("%s: %s vs %s", path, d.A, d.B)
}

// jsonFrame is one open object or array while walking a document.
type jsonFrame struct {
	object  bool
	key     string
	index   int  // completed elements of an array
	wantKey bool // an object expects a key next
}

// firstDifference walks two JSON documents token by token and returns
// where they first differ, or false when they are the same token for
// token (results.json is written canonically: byte-identical files are
// token-identical, and so are files that differ only in layout).
func firstDifference(a, b []byte) (difference, bool) {
	da, db := json.NewDecoder(bytes.NewReader(a)), json.NewDecoder(bytes.NewReader(b))
	da.UseNumber()
	db.UseNumber()
	var stack []jsonFrame
	for {
		ta, ea := da.Token()
		tb, eb := db.Token()
		switch {
		case errors.Is(ea, io.EOF) && errors.Is(eb, io.EOF):
			return difference{}, false
		case ea != nil || eb != nil:
			path := elementPath(stack)
			if n := len(stack); n > 0 && stack[n-1].object && stack[n-1].wantKey {
				path = jsonPath(stack)
			}
			return difference{Path: path, A: tokenOrError(ta, ea), B: tokenOrError(tb, eb)}, true
		}
		top := len(stack) - 1
		if top >= 0 && stack[top].object && stack[top].wantKey {
			ka, okA := ta.(string)
			kb, okB := tb.(string)
			switch {
			case okA && okB && ka == kb:
				stack[top].key, stack[top].wantKey = ka, false
				continue
			case okA && okB:
				return difference{Path: jsonPath(stack), A: "key " + strconv.Quote(ka), B: "key " + strconv.Quote(kb)}, true
			case okA:
				return difference{Path: joinPath(jsonPath(stack), ka), A: "present", B: "(absent)"}, true
			case okB:
				return difference{Path: joinPath(jsonPath(stack), kb), A: "(absent)", B: "present"}, true
			}
			// both close the object: fall through to the delimiter below
		}
		if !sameToken(ta, tb) {
			return difference{Path: elementPath(stack), A: describeToken(ta), B: describeToken(tb)}, true
		}
		switch ta {
		case json.Delim('{'):
			stack = append(stack, jsonFrame{object: true, wantKey: true})
			continue
		case json.Delim('['):
			stack = append(stack, jsonFrame{})
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
		}
		// A value is complete: the parent moves on.
		if top := len(stack) - 1; top >= 0 {
			if stack[top].object {
				stack[top].wantKey = true
			} else {
				stack[top].index++
			}
		}
	}
}

func sameToken(a, b json.Token) bool {
	return fmt.Sprintf("%T:%v", a, a) == fmt.Sprintf("%T:%v", b, b)
}

// jsonPath is the path of the innermost open container.
func jsonPath(stack []jsonFrame) string {
	var b strings.Builder
	for i, f := range stack {
		if i == len(stack)-1 {
			break
		}
		writeStep(&b, f)
	}
	return b.String()
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// elementPath is the path of the value being read.
func elementPath(stack []jsonFrame) string {
	var b strings.Builder
	for _, f := range stack {
		writeStep(&b, f)
	}
	return b.String()
}

func writeStep(b *strings.Builder, f jsonFrame) {
	if f.object {
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(f.key)
		return
	}
	fmt.Fprintf(b, "[%d]", f.index)
}

func describeToken(t json.Token) string {
	switch v := t.(type) {
	case json.Delim:
		switch v {
		case '{':
			return "{…}"
		case '[':
			return "[…]"
		}
		return "(absent)"
	case string:
		return strconv.Quote(clip(v, 80))
	case nil:
		return "null"
	}
	return fmt.Sprint(t)
}

func tokenOrError(t json.Token, err error) string {
	switch {
	case errors.Is(err, io.EOF):
		return "(end)"
	case err != nil:
		return "invalid JSON: " + err.Error()
	}
	return describeToken(t)
}
