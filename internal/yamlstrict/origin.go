package yamlstrict

// Origin records where a decoded struct came from, so that checks made
// after decoding ("unknown account name") can point at the file. Give a
// struct a field of type Origin (conventionally `Origin
// yamlstrict.Origin \`yaml:"-"\“) and Decode fills it with the mapping's
// position, its field path and the position of each key present. A field
// of type Pos is filled with the mapping's position alone.
type Origin struct {
	Pos  Pos    // where the mapping starts (its first key)
	Path string // field path of the mapping, e.g. "traffic.stages[2]"
	keys []keyOrigin
}

type keyOrigin struct {
	key      string
	valuePos Pos
}

func (o Origin) find(key string) (keyOrigin, bool) {
	for _, k := range o.keys {
		if k.key == key {
			return k, true
		}
	}
	return keyOrigin{}, false
}

// Has reports whether key was written in the mapping: it tells an
// explicit zero ("retries: 0") from an absent key.
func (o Origin) Has(key string) bool {
	_, ok := o.find(key)
	return ok
}

// At returns the position of key's value, or of the mapping when key is
// absent (or "").
func (o Origin) At(key string) Pos {
	if k, ok := o.find(key); ok {
		return k.valuePos
	}
	return o.Pos
}

// PathOf returns the field path of key: Key(o.Path, key).
func (o Origin) PathOf(key string) string {
	if key == "" {
		return o.Path
	}
	return Key(o.Path, key)
}

// Errorf returns an *Error about key's value (or the mapping itself when
// key is ""), positioned and pathed from the document:
//
//	s.Origin.Errorf("account", "unknown account %q", s.Account)
//	→ foo.yaml:14:14: stages[1].account: unknown account "ordrs"
func (o Origin) Errorf(key, format string, args ...any) *Error {
	return o.At(key).Errorf(o.PathOf(key), format, args...)
}

// Keys returns the keys written in the mapping, in document order.
func (o Origin) Keys() []string {
	out := make([]string, len(o.keys))
	for i, k := range o.keys {
		out[i] = k.key
	}
	return out
}
