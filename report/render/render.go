package render

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"github.com/busdrill/busdrill/report"
)

// File names WriteAll writes next to results.json.
const (
	HTMLFile     = "report.html"
	JUnitFile    = "junit.xml"
	MarkdownFile = "summary.md"
)

// Meta is what the renderers need beyond the results: how to reproduce
// the run. results.json stays free of it (it must be byte-identical
// across machines, and the command depends on how the run was invoked).
type Meta struct {
	// Command is the exact command line that reproduces the run, e.g.
	// "busdrill run reference --seed 1 --rate 200/s". Empty: one is
	// built from the scenario, seed and shard.
	Command string
	// Version is the busdrill version that rendered the report, shown
	// when it differs from the version that produced the results.
	Version string
	// ScenarioFile is the scenario the run ran: a path, or
	// builtin:NAME.yaml ("" when unknown). JUnit names suites by it.
	ScenarioFile string
}

// WriteAll renders report.html, junit.xml and summary.md into dir. Every
// output is rendered before any is written, so a rendering error leaves
// no partial set; each file is written whole (temp file and rename).
func WriteAll(dir string, r *report.Results, meta Meta) error {
	var html, junit, md bytes.Buffer
	if err := HTML(&html, r, meta); err != nil {
		return err
	}
	if err := JUnit(&junit, r, meta); err != nil {
		return err
	}
	if err := Markdown(&md, r, meta); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, f := range []struct {
		name string
		b    []byte
	}{{HTMLFile, html.Bytes()}, {JUnitFile, junit.Bytes()}, {MarkdownFile, md.Bytes()}} {
		if err := WriteFile(filepath.Join(dir, f.name), f.b); err != nil {
			return err
		}
	}
	return nil
}

// WriteFile writes b to path through a temporary file in the same
// folder and a rename, so that a reader never sees half a file.
func WriteFile(path string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	_, werr := tmp.Write(b)
	cerr := tmp.Close()
	if err := cmpErr(werr, cerr); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return nil
}

func cmpErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
