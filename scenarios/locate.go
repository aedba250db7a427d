package scenarios

import (
	"strings"

	"github.com/busdrill/busdrill/internal/yamlstrict"
)

// locator maps paths in the expanded topology ("buses[1].rules[0].targets
// [2].bus") back to the place in the scenario file that produced them, so
// that a problem the topology finds after expansion is reported at the
// right line and column with the path the user wrote.
type locator struct {
	places map[string]place
}

// place is where an element of the expanded topology came from.
type place struct {
	origin *yamlstrict.Origin // nil for generated elements
	pos    yamlstrict.Pos     // used when origin is nil
	path   string             // the element's path in the file
}

func newLocator() *locator { return &locator{places: map[string]place{}} }

// from records that the topology element at tpath came from a mapping of
// the file.
func (l *locator) from(tpath string, o *yamlstrict.Origin) {
	l.places[tpath] = place{origin: o, pos: o.Pos, path: o.Path}
}

// generated records that the topology element at tpath was generated from
// the file element at pos/path (the reference shorthand, a service).
func (l *locator) generated(tpath string, pos yamlstrict.Pos, path string) {
	l.places[tpath] = place{pos: pos, path: path}
}

// locate returns the position and file path of a topology path: the
// longest recorded prefix, refined to a key of its mapping when the rest
// of the path names one.
func (l *locator) locate(tpath string) (yamlstrict.Pos, string) {
	prefix := tpath
	for {
		if p, ok := l.places[prefix]; ok {
			rest := strings.TrimPrefix(tpath[len(prefix):], ".")
			if p.origin == nil {
				return p.pos, p.path
			}
			key := rest
			if i := strings.IndexAny(key, ".["); i >= 0 {
				key = key[:i]
			}
			if key != "" && p.origin.Has(key) {
				return p.origin.At(key), joinPath(p.path, rest)
			}
			return p.pos, joinPath(p.path, rest)
		}
		i := strings.LastIndexAny(prefix, ".[")
		if i <= 0 {
			return yamlstrict.Pos{}, tpath
		}
		prefix = prefix[:i]
	}
}

func joinPath(base, rest string) string {
	switch {
	case rest == "":
		return base
	case base == "":
		return rest
	case strings.HasPrefix(rest, "["):
		return base + rest
	}
	return base + "." + rest
}
