// Package yamlstrict decodes hand-written YAML into Go structs strictly,
// and describes the same structs as a JSON Schema.
//
// Scenario files are written by people. A mistake in one must produce a
// message that names the file, line, column and field and says what is
// wrong, for every mistake in the file at once, never a panic and never a
// key silently ignored. gopkg.in/yaml.v3's own Unmarshal stops at the
// first type error, accepts unknown keys unless told otherwise, and loses
// positions after decoding; this package decodes from yaml.v3's node tree
// instead, which keeps them.
//
// # Decoding
//
//	var s Scenario
//	if err := yamlstrict.Decode("scenarios/checkout.yaml", data, &s); err != nil {
//		fmt.Fprintln(os.Stderr, err) // one problem per line
//		os.Exit(2)
//	}
//
// [Decode] returns nil or an [Errors], sorted by position, each an [Error]
// printed as
//
//	FILE:LINE:COLUMN: PATH: MESSAGE
//	scenarios/checkout.yaml:12:5: traffic.stages[2].rate: invalid rate "20/x": unit must be /s, /m or /h
//
// PATH uses dots for fields, [i] for list elements (from 0) and ["k"] for
// map keys that are not plain words; it is left out for problems with the
// document as a whole. A YAML syntax error has no column (yaml.v3 does
// not report one), except for tab indentation, which is pointed at. At
// most [MaxErrors] problems are listed, and a last line counts the rest.
//
// What is reported:
//
//   - unknown keys, with "did you mean" among the struct's keys ([Suggest])
//     or else the list of allowed keys;
//   - wrong types: `expected a number, got string "abc"`, `expected a
//     boolean (true or false), got string "yes"` (YAML 1.1's yes/no/on/off
//     are not booleans), an empty value where a value is needed;
//   - integers out of range for their Go type, negative unsigned values,
//     infinities and NaN;
//   - missing required fields, at the mapping that lacks them;
//   - duplicate keys, with where the key was first defined;
//   - values outside an enum, with a suggestion;
//   - invalid custom scalars, with the type's own message;
//   - an empty file, a second document, invalid UTF-8 and control
//     characters (with their position), application tags such as !secret.
//
// # Go types
//
// Structs map keys to fields through struct tags:
//
//	type Stage struct {
//		Label   string      `yaml:"label" doc:"Shown in reports."`
//		Rate    units.Rate  `yaml:"rate" required:"true" doc:"Arrival rate."`
//		Mode    string      `yaml:"mode" enum:"open,closed"`
//		Latency *units.Dist `yaml:"latency"`
//		Common  `yaml:",inline"`
//		Origin  yamlstrict.Origin `yaml:"-"`
//	}
//
// The tags:
//
//   - yaml:"key" names the key (default: the field name in lower case, as
//     yaml.v3 does); yaml:"-" skips the field; options other than inline
//     (omitempty, flow) are accepted and ignored.
//   - yaml:",inline" on a struct field merges its keys into the parent; on
//     a map[string]T field, it receives every key that is not a field.
//   - required:"true": the key must be present (an explicit null then
//     fails as a wrong type, except for pointers).
//   - enum:"a,b,c": the allowed values of a string, or of each element of
//     a list of strings.
//   - doc:"...": the field's description in the JSON Schema.
//
// Supported kinds: structs, pointers (absent or null → nil), slices (from
// a list), maps with string keys (from a mapping), string (any non-null
// scalar, taken as written: 012 stays "012"), bool (true/false), every
// int and uint size (range-checked), float32/64 (finite), and any (to
// map[string]any, []any, string, bool, int64, uint64, float64 or nil).
// Go maps iterate in random order: where order matters, sort the keys
// (or keep the document's order with a list). time.Duration is deliberately not
// supported (it is an int64, so "10" would mean 10ns); use units.Duration.
//
// Types decode themselves in two ways:
//
//   - [ScalarUnmarshaler] (UnmarshalScalar(string) error), or
//     encoding.TextUnmarshaler: a single scalar, its text as written.
//     The units package's types (durations, rates, sizes, distributions)
//     are of this kind. The error's text becomes the message.
//   - [Unmarshaler] (UnmarshalStrictYAML(d *Decoder, n *yaml.Node, path
//     string) error): anything else, typically a tagged union. The
//     [Decoder] lets it read a discriminator ([Decoder.Lookup]), check a
//     node's kind ([Decoder.Expect]), decode parts with the same strict
//     rules and positions ([Decoder.Decode]) and report problems
//     ([Decoder.Errorf]).
//
// For example, a fault list whose entries are chosen by `kind:`:
//
//	func (f *Fault) UnmarshalStrictYAML(d *yamlstrict.Decoder, n *yaml.Node, path string) error {
//		if !d.Expect(n, path, yaml.MappingNode) {
//			return nil
//		}
//		kind := d.Lookup(n, "kind")
//		switch {
//		case kind == nil:
//			return errors.New(`missing required field "kind"`)
//		case kind.Value == "throttle":
//			var t Throttle // has Kind string `yaml:"kind" enum:"throttle"`
//			d.Decode(n, path, &t)
//			f.Spec = &t
//		default:
//			d.Errorf(kind, yamlstrict.Key(path, "kind"), "unknown fault kind %q", kind.Value)
//		}
//		return nil
//	}
//
// # Positions after decoding
//
// Checks that run after decoding (an account name that does not exist, a
// stage that overlaps another) still point into the file:
//
//   - a struct field of type [Origin] receives the mapping's position, its
//     path and the position of every key present: [Origin.Errorf]
//     ("account", "unknown account %q", name) gives
//     `f.yaml:14:14: stages[1].account: unknown account "ordrs"`, and
//     [Origin.Has] tells an explicit zero from an absent key;
//   - a field of type [Pos] receives the mapping's position alone.
//
// Collect such problems in an [Errors] and return [Errors.Err], so they
// print exactly like decoding problems.
//
// # Anchors, aliases and merge keys
//
// Anchors (&name) and aliases (*name) work, and so do merge keys
// (<<: *defaults, or a list of them; keys written in the mapping win).
// Problems inside an aliased value are reported at the anchor's text,
// with the path where it was used. Keys starting with "x-" are skipped in
// every struct, as a place to define anchors:
//
//	x-region: &eu {region: eu-west-1}
//	accounts:
//	  orders: {id: "111111111111", <<: *eu}
//
// Aliases cannot make decoding explode: every value decoded, aliases
// expanded, costs one unit of a budget of 10 000 plus 10 per node in the
// file, so a "billion laughs" file is refused after a few thousand values.
// A cycle (an anchor whose value contains an alias to itself) is refused,
// and values nested deeper than 1000 levels are refused.
//
// # JSON Schema
//
// [Schema] describes a root type as JSON Schema draft 2020-12, for
// editors (yaml-language-server) and for validating documents in CI: each
// struct is an object with its properties, required keys and
// additionalProperties false (x- keys allowed), named structs go in $defs,
// enum and doc tags become enum and description. Types control their own
// schema with JSONSchema() map[string]any ([ScalarSchema], for scalars:
// pattern, examples) or StrictJSONSchema(g *SchemaGenerator)
// map[string]any ([SchemaProvider], for unions: a oneOf of g.Of(variant)
// schemas). The output is indented JSON with sorted keys and is
// byte-identical across runs. The schema is a close approximation of the
// decoder, not a replacement: patterns are looser than the parsers, and
// a string field declared "string" rejects an unquoted number that the
// decoder would accept as text.
package yamlstrict
