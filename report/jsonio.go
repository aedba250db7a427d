package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"

	"github.com/busdrill/busdrill/internal/readfile"
)

// WriteJSON writes the results as results.json: indented with two spaces,
// with a trailing newline. The output is a function of the results alone
// (encoding/json sorts map keys; every slice the recorder builds is
// sorted), so equal results give byte-identical files. Nil slices and maps
// of the contract are written as [] and {}, never null.
func (r *Results) WriteJSON(w io.Writer) error {
	out := *r
	if out.Latency == nil {
		out.Latency = map[string]Summary{}
	}
	if out.Histograms == nil {
		out.Histograms = map[string]string{}
	}
	if out.Ledger.Routes == nil {
		out.Ledger.Routes = []Route{}
	}
	if slices.ContainsFunc(out.Ledger.Routes, func(rt Route) bool { return rt.Dropped == nil }) {
		out.Ledger.Routes = slices.Clone(out.Ledger.Routes) // leave r as it is
		for i := range out.Ledger.Routes {
			if out.Ledger.Routes[i].Dropped == nil {
				out.Ledger.Routes[i].Dropped = map[string]int64{}
			}
		}
	}
	if out.Duplicates == nil {
		out.Duplicates = []Duplicates{}
	}
	if out.Faults == nil {
		out.Faults = []Fault{}
	}
	if out.Series == nil {
		out.Series = []Point{}
	}
	if out.Quotas == nil {
		out.Quotas = []Headroom{}
	}
	if out.Expectations == nil {
		out.Expectations = []Expectation{}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(&out); err != nil {
		return fmt.Errorf("encoding results: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// MaxResultsBytes bounds a results file read back.
const MaxResultsBytes = 256 << 20

// ReadResults reads a results.json file, checking that it is one (schema
// key present) of the schema this version reads ([Schema]). Unknown keys
// are ignored: newer files add keys without changing the schema.
//
// Only regular files of at most MaxResultsBytes are read: a results file
// of a bounded run is a few MiB (the series has at most MaxSeriesPoints
// points), and a device or a wrong path must fail at once, not hang.
func ReadResults(path string) (*Results, error) {
	b, err := readfile.Read(path, MaxResultsBytes)
	if err != nil {
		return nil, err
	}
	r, err := DecodeResults(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return r, nil
}

// DecodeResults parses results.json content; see [ReadResults].
func DecodeResults(b []byte) (*Results, error) {
	var head struct {
		Schema *string `json:"schema"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return nil, fmt.Errorf("not a results file: %w", err)
	}
	switch {
	case head.Schema == nil:
		return nil, fmt.Errorf("not a results file: no %q key", "schema")
	case *head.Schema != Schema:
		return nil, fmt.Errorf("results schema %q, this version reads %q", *head.Schema, Schema)
	}
	var r Results
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("results: %w", err)
	}
	return &r, nil
}
