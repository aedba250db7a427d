package render

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"

	"github.com/busdrill/busdrill/report"
)

// JUnit writes junit.xml of one run: see [JUnitRuns].
func JUnit(w io.Writer, r *report.Results, meta Meta) error {
	return JUnitRuns(w, []JUnitRun{{Results: r, Meta: meta}})
}

// JUnitRun is one run of a junit.xml.
type JUnitRun struct {
	Results *report.Results
	Meta    Meta
}

// JUnitRuns writes junit.xml with one test suite per run, one test case
// per expectation; a failing expectation is a <failure> whose message
// says expected vs observed. CI systems (GitHub Actions reporters,
// GitLab, Jenkins, Buildkite) show scenario results natively from it.
// A suite and its cases are named by the scenario's file (Meta's
// ScenarioFile: what a reporter links to, and unique across a library;
// "busdrill.NAME" when it is unknown), and the cases carry it as their
// file attribute. An interrupted run adds an erroring case "run
// completed", so a partial run cannot pass silently; the scenario, seed,
// version and reproduce command are suite properties. The output depends
// on the runs alone.
func JUnitRuns(w io.Writer, runs []JUnitRun) error {
	doc := junitSuites{Name: "busdrill"}
	for _, run := range runs {
		s := junitSuiteOf(run.Results, run.Meta)
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Errors += s.Errors
		doc.Suites = append(doc.Suites, s)
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("encoding junit.xml: %w", err)
	}
	buf.WriteByte('\n')
	_, err := w.Write(buf.Bytes())
	return err
}

func junitSuiteOf(r *report.Results, meta Meta) junitSuite {
	suiteName := "busdrill." + r.Scenario
	if meta.ScenarioFile != "" {
		suiteName = meta.ScenarioFile
	}
	s := junitSuite{
		Name: suiteName,
		Properties: []junitProperty{
			{"scenario", r.Scenario},
			{"seed", strconv.FormatUint(r.Seed, 10)},
			{"target", r.Target},
			{"version", r.Version},
			{"verdict", r.Verdict},
			{"reproduce", command(r, meta)},
		},
	}
	if r.Shard != nil {
		s.Properties = append(s.Properties, junitProperty{"shard", fmt.Sprintf("%d/%d", r.Shard.Index, r.Shard.Count)})
	}
	seen := map[string]int{}
	for _, e := range r.Expectations {
		name := expectationName(e)
		// Test case names identify results across builds: keep them
		// unique within the suite.
		if seen[name]++; seen[name] > 1 {
			name = fmt.Sprintf("%s (#%d)", name, seen[name])
		}
		c := junitCase{Name: name, Classname: suiteName, File: meta.ScenarioFile}
		if !e.OK {
			msg := fmt.Sprintf("expected %s, observed %s", e.Threshold, e.Observed)
			c.Failure = &junitFailure{
				Message: msg,
				Type:    "expectation",
				Text: fmt.Sprintf("%s\nexpected: %s\nobserved: %s\nwindow: %s\nreproduce: %s\n",
					e.Name, e.Threshold, e.Observed, windowOr(e.Window), command(r, meta)),
			}
			s.Failures++
		}
		s.Cases = append(s.Cases, c)
	}
	if r.Interrupted {
		s.Cases = append(s.Cases, junitCase{Name: "run completed", Classname: suiteName, File: meta.ScenarioFile,
			Error: &junitFailure{Message: "the run was interrupted: partial results", Type: "interrupted"}})
		s.Errors++
	}
	s.Tests = len(s.Cases)
	return s
}

func windowOr(w string) string {
	if w == "" {
		return "all"
	}
	return w
}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	Error     *junitFailure `xml:"error,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}
