package runner

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/busdrill/busdrill/report"
	"github.com/busdrill/busdrill/report/render"
)

// Files a run writes into its folder.
const (
	ResultsFile = "results.json"
	MetaFile    = "meta.json"
)

// Prepare creates a run's output folder (and its parents) and proves it
// writable, by creating and removing a temporary file in it, so that a
// run whose results could not be kept is refused before it starts rather
// than after.
func Prepare(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("cannot write results to %s: %w", dir, unwrapPath(err))
	}
	f, err := os.CreateTemp(dir, ".busdrill-write-check-*")
	if err != nil {
		return fmt.Errorf("cannot write results to %s: %w", dir, unwrapPath(err))
	}
	name := f.Name()
	f.Close()
	os.Remove(name)
	return nil
}

// WriteError is a failure to write a run's outputs after the run itself
// ended: the command exits with its own code (4), never as interrupted.
type WriteError struct {
	Dir string
	Err error
}

func (e *WriteError) Error() string {
	return fmt.Sprintf("the run ended, but its results could not be written to %s: %v", e.Dir, e.Err)
}

func (e *WriteError) Unwrap() error { return e.Err }

// Outputs are what a run leaves in its folder.
type Outputs struct {
	// Results and their JSON encoding (results.json).
	Results *report.Results
	JSON    []byte
	// Meta is meta.json: wall-clock facts.
	Meta any
	// Render is what the reports need beyond the results.
	Render render.Meta
}

// Write writes results.json, meta.json, report.html, junit.xml and
// summary.md into dir, each whole (a temporary file, then a rename), the
// results first so that they survive a failure to render. A failure is a
// *WriteError.
func Write(dir string, o Outputs) error {
	werr := func(err error) error { return &WriteError{Dir: dir, Err: err} }
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return werr(unwrapPath(err))
	}
	if err := render.WriteFile(filepath.Join(dir, ResultsFile), o.JSON); err != nil {
		return werr(err)
	}
	m, err := json.MarshalIndent(o.Meta, "", "  ")
	if err != nil {
		return werr(err)
	}
	if err := render.WriteFile(filepath.Join(dir, MetaFile), append(m, '\n')); err != nil {
		return werr(err)
	}
	if err := render.WriteAll(dir, o.Results, o.Render); err != nil {
		return werr(err)
	}
	return nil
}

// EncodeResults is results.json's bytes.
func EncodeResults(r *report.Results) ([]byte, error) {
	var buf bytes.Buffer
	if err := r.WriteJSON(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// unwrapPath drops an *fs.PathError's copy of the path (the message names
// the folder already).
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
