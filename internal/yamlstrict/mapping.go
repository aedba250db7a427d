package yamlstrict

import (
	"gopkg.in/yaml.v3"
)

// entry is one key-value pair of a mapping, after merge keys are applied.
type entry struct {
	key     string
	keyNode *yaml.Node
	value   *yaml.Node
}

// entries returns the pairs of mapping n in document order. It reports
// duplicate keys and keys that are not scalars, and applies YAML merge
// keys ("<<: *defaults", "<<: [*a, *b]"): the merged pairs take the place
// of the "<<" key, and a key written in n itself overrides a merged one.
// Every pair costs one unit of the alias budget, so merges of merges
// cannot blow up.
func (d *Decoder) entries(n *yaml.Node, path string) []entry {
	var out []entry
	first := map[string]*yaml.Node{} // explicit keys: key → key node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if isMergeKey(k) {
			continue
		}
		rk := d.Resolve(k, path)
		if rk == nil {
			continue
		}
		if rk.Kind != yaml.ScalarNode {
			d.Errorf(k, path, "keys must be plain strings, got %s as a key", describe(rk))
			continue
		}
		if prev, dup := first[rk.Value]; dup {
			d.Errorf(k, path, "duplicate key %q (first defined at line %d, column %d)", rk.Value, prev.Line, prev.Column)
			continue
		}
		first[rk.Value] = k
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if isMergeKey(k) {
			for _, m := range d.merged(v, path) {
				if first[m.key] == nil && !seen[m.key] {
					seen[m.key] = true
					out = append(out, m)
				}
			}
			continue
		}
		rk := d.Resolve(k, path)
		if rk == nil || rk.Kind != yaml.ScalarNode || first[rk.Value] != k {
			continue // reported above
		}
		if !d.spend(k, path) {
			return out
		}
		out = append(out, entry{key: rk.Value, keyNode: k, value: v})
	}
	return out
}

// merged returns the pairs a merge key's value brings: the entries of a
// mapping, or of each mapping in a list, earlier ones winning.
func (d *Decoder) merged(v *yaml.Node, path string) []entry {
	if !d.enter(v, path) {
		return nil
	}
	defer d.leave()
	rv := d.Resolve(v, path)
	if rv == nil {
		return nil
	}
	if rv.Anchor != "" {
		if d.active == nil {
			d.active = map[*yaml.Node]bool{}
		}
		d.active[rv] = true
		defer delete(d.active, rv)
	}
	switch rv.Kind {
	case yaml.MappingNode:
		return d.entries(rv, path)
	case yaml.SequenceNode:
		var out []entry
		seen := map[string]bool{}
		for _, item := range rv.Content {
			ri := d.Resolve(item, path)
			if ri == nil {
				continue
			}
			if ri.Kind != yaml.MappingNode {
				d.Errorf(item, path, "a merge key (<<) takes a mapping or a list of mappings, got %s", describe(ri))
				continue
			}
			for _, e := range d.merged(item, path) {
				if !seen[e.key] {
					seen[e.key] = true
					out = append(out, e)
				}
			}
		}
		return out
	}
	d.Errorf(v, path, "a merge key (<<) takes a mapping or a list of mappings, got %s", describe(rv))
	return nil
}

// spend charges one unit of the alias budget without nesting.
func (d *Decoder) spend(n *yaml.Node, path string) bool {
	if !d.enter(n, path) {
		return false
	}
	d.leave()
	return true
}

func isMergeKey(k *yaml.Node) bool {
	return k.Kind == yaml.ScalarNode && k.Value == "<<" && (k.Tag == "" || k.Tag == "!!merge" || k.Tag == "tag:yaml.org,2002:merge")
}
