package event

import "bytes"

// PathSet is an immutable set of dot-joined field paths ("detail.data.total")
// compiled into a trie of path segments. Flattening consults it at every
// object key: keys on no path are skipped with their whole value, keys on a
// path are descended into, and leaves at a path are emitted as Fields.
//
// Paths are compared as dot-joined strings, as EventBridge does: the event
// key "state.status" and the nested keys state → status both reach the path
// "state.status". Both sides are split on "." into segments, so matching
// segment sequences is the same as matching the joined strings.
//
// A PathSet is safe for concurrent use.
type PathSet struct {
	root  *pathNode
	paths []string
	// Nodes of the envelope's top-level fields, for FlattenEnvelope; -1
	// when no path is exactly that field.
	version, id, detailType, source, account, time, region, resources, replayName int32
	// detail is the node of "detail" when some path goes below it.
	detail *pathNode
}

type pathNode struct {
	leaf int32 // index of the path ending here, or -1
	kids []pathKid
	// byName indexes kids when there are many.
	byName map[string]*pathNode
}

type pathKid struct {
	name string
	node *pathNode
}

// kidsIndexThreshold is the fan-out above which a node gets a map: below
// it, a linear scan of short strings beats hashing.
const kidsIndexThreshold = 8

// NewPathSet compiles paths; Field.Path is an index into paths. Duplicate
// paths resolve to the first index.
func NewPathSet(paths []string) *PathSet {
	ps := &PathSet{root: &pathNode{leaf: -1}, paths: append([]string(nil), paths...)}
	for i, p := range paths {
		n := ps.root
		for {
			seg, rest, more := cut(p)
			n = n.child(seg)
			if !more {
				break
			}
			p = rest
		}
		if n.leaf < 0 {
			n.leaf = int32(i)
		}
	}
	top := func(name string) int32 {
		if n := ps.root.lookup([]byte(name)); n != nil {
			return n.leaf
		}
		return -1
	}
	ps.version, ps.id, ps.detailType = top("version"), top("id"), top("detail-type")
	ps.source, ps.account, ps.time = top("source"), top("account"), top("time")
	ps.region, ps.resources, ps.replayName = top("region"), top("resources"), top("replay-name")
	if n := ps.root.lookup([]byte("detail")); n != nil && len(n.kids) > 0 {
		ps.detail = n
	}
	return ps
}

// Len is the number of paths.
func (ps *PathSet) Len() int { return len(ps.paths) }

// Path returns path i.
func (ps *PathSet) Path(i int) string { return ps.paths[i] }

// TypeFieldsOnly reports whether FlattenEnvelope reads no envelope field
// but version, detail-type, source, account, region and replay-name: then
// envelopes that agree on those fields flatten alike, whatever their id,
// time, resources and detail.
func (ps *PathSet) TypeFieldsOnly() bool {
	return ps.id < 0 && ps.time < 0 && ps.resources < 0 && ps.detail == nil
}

// NeedsDetail reports whether some path goes below "detail", that is
// whether FlattenEnvelope will parse the detail JSON.
func (ps *PathSet) NeedsDetail() bool { return ps.detail != nil }

// NeedsTime reports whether "time" is a path, that is whether
// FlattenEnvelope will format the envelope's time.
func (ps *PathSet) NeedsTime() bool { return ps.time >= 0 }

func cut(p string) (seg, rest string, more bool) {
	for i := 0; i < len(p); i++ {
		if p[i] == '.' {
			return p[:i], p[i+1:], true
		}
	}
	return p, "", false
}

func (n *pathNode) child(seg string) *pathNode {
	for _, k := range n.kids {
		if k.name == seg {
			return k.node
		}
	}
	c := &pathNode{leaf: -1}
	n.kids = append(n.kids, pathKid{seg, c})
	if len(n.kids) > kidsIndexThreshold {
		if n.byName == nil {
			n.byName = make(map[string]*pathNode, len(n.kids))
			for _, k := range n.kids {
				n.byName[k.name] = k.node
			}
		}
		n.byName[seg] = c
	}
	return c
}

// lookup follows a whole (possibly dotted) key from n: nil when the key is
// on no path. Segment names never contain dots, so one pass over the
// children finds both an exact key and a dotted key whose first segment is
// a child ("state.status" under a child "state"); no separate search for
// dots is needed in the common case of a key on no path.
func (n *pathNode) lookup(key []byte) *pathNode {
	for n != nil {
		if n.byName != nil {
			if c := n.byName[string(key)]; c != nil {
				return c
			}
			i := bytes.IndexByte(key, '.')
			if i < 0 {
				return nil
			}
			n, key = n.byName[string(key[:i])], key[i+1:]
			continue
		}
		var next *pathNode
		for i := range n.kids {
			name := n.kids[i].name
			if len(key) == len(name) {
				if string(key) == name {
					return n.kids[i].node
				}
			} else if len(key) > len(name) && key[len(name)] == '.' && string(key[:len(name)]) == name {
				next = n.kids[i].node
				key = key[len(name)+1:]
				break
			}
		}
		n = next
	}
	return nil
}
