package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runCLI runs busdrill in-process with the given standard input.
func runCLI(stdin string, args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	env := &cliEnv{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	code = run(env, args)
	return code, out.String(), errb.String()
}

const cliEvent = `{"version":"0","id":"1","detail-type":"Order.Created","source":"orders","account":"111111111111","time":"2026-11-02T10:15:00Z","region":"eu-west-1","resources":[],"detail":{"total":129.97}}`

func TestPatternTest(t *testing.T) {
	dir := t.TempDir()
	patFile := filepath.Join(dir, "p.json")
	evFile := filepath.Join(dir, "e.json")
	if err := os.WriteFile(patFile, []byte(`{"account":[{"anything-but":"222222222222"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(evFile, []byte(cliEvent), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		stdin   string
		args    []string
		code    int
		stdout  string
		stderr  string // prefix of the standard error, "" for none at all
		comment string
	}{
		{"", []string{"pattern", "test", "--pattern", patFile, "--event", evFile}, exitOK, "{\"Result\": true}\n", "", "files, match"},
		{"", []string{"pattern", "test", "--pattern", `{"source":["billing"]}`, "--event", evFile}, exitFail, "{\"Result\": false}\n", "", "inline pattern, no match"},
		{cliEvent, []string{"pattern", "test", "--pattern", ` {"detail":{"total":[{"numeric":[">",100]}]}}`, "--event", "-"}, exitOK, "{\"Result\": true}\n", "", "event on standard input; inline detected after white space"},
		{`{"source":["orders"]}`, []string{"pattern", "test", "--pattern", "-", "--event", cliEvent}, exitOK, "{\"Result\": true}\n", "", "pattern on standard input"},
		{"", []string{"pattern", "test", "--pattern", `{"source":[]}`, "--event", cliEvent}, exitUsage, "", "InvalidEventPatternException: Event pattern is not valid. Reason: Empty arrays are not allowed\n", "invalid pattern"},
		{"", []string{"pattern", "test", "--pattern", `{'bad': 1}`, "--event", cliEvent}, exitUsage, "", "InvalidEventPatternException: Event pattern is not valid. Reason: Unexpected character (''' (code 39)): was expecting double-quote to start field name at [Source:", "malformed pattern: Jackson's wording"},
		{"", []string{"pattern", "test", "--pattern", `{"source":["x"]}`, "--event", `{"testEvent":"value"}`}, exitUsage, "", "ValidationException: Parameter Event is not valid.\n", "invalid event"},
		{"", []string{"pattern", "test", "--pattern", `{"detail":{"total":[{"numeric":[">=",5,"<=",5]}]}}`, "--event", cliEvent}, exitUsage, "", "InvalidEventPatternException: Event pattern is not valid. Reason: Bottom must be less than top\n", "event-ruler's range check"},
		{"", []string{"pattern", "test", "--pattern", `{"source":[{"exactly":"orders"}]}`, "--event", cliEvent}, exitOK, "{\"Result\": true}\n", "", "the exactly operator"},
		{"", []string{"pattern", "test", "--pattern", `{"detail":{"p":{"a":[1],"b":[1],"c":[1]}}}`, "--event", strings.Replace(cliEvent, `"total":129.97`, `"p":[{"a":1},{"b":1},{"c":1}],"p":[{"a":1},{"b":1},{"c":1}]`, 1)}, exitFail, "{\"Result\": false}\n", "", "duplicate keys, decided"},
		{"", []string{"pattern", "test", "--pattern", `{"source":["x"]}`, "--event", filepath.Join(dir, "missing.json")}, exitUsage, "", "busdrill pattern test: --event: open ", "missing file"},
		{"", []string{"pattern", "test", "--pattern", `{"source":["x"]}`, "--event", dir}, exitUsage, "", "busdrill pattern test: --event: ", "a directory"},
		{"", []string{"pattern", "test", "--event", cliEvent}, exitUsage, "", "busdrill pattern test: --pattern is required", "no pattern"},
		{"", []string{"pattern", "test", "--pattern", `{"a":[1]}`}, exitUsage, "", "busdrill pattern test: exactly one of --event and --events", "no event"},
		{"", []string{"pattern", "test", "--pattern", "-", "--event", "-"}, exitUsage, "", "busdrill pattern test: only one input", "two inputs on standard input"},
		{"", []string{"pattern", "test", "--bogus"}, exitUsage, "", "busdrill pattern test: unknown flag --bogus", "unknown flag"},
		{"", []string{"pattern", "frobnicate"}, exitUsage, "", "busdrill pattern: unknown subcommand", "unknown subcommand"},
		{"", []string{"pattern"}, exitUsage, "", "Usage: busdrill pattern test", "no subcommand"},
		{"", []string{"pattern", "test", "--max-size", "10", "--pattern", `{"source":["orders"]}`, "--event", cliEvent}, exitUsage, "", "InvalidEventPatternException: Event pattern is not valid. Reason: Event pattern is 21 characters long, over the quota of 10", "size quota"},
		{"{\"source\":[\"orders\"]}\n\n" + cliEvent + "\n{\"id\":1}\n" + strings.Replace(cliEvent, "orders", "billing", 1) + "\n", []string{"pattern", "test", "--pattern", "-", "--events", "-"}, exitUsage, "", "busdrill pattern test: only one input", "pattern and events cannot share standard input"},
		{cliEvent + "\n\nnot json\n" + strings.Replace(cliEvent, "orders", "billing", 1), []string{"pattern", "test", "--pattern", `{"source":["orders"]}`, "--events", "-"}, exitOK,
			"{\"Result\": true}\n{\"Error\": \"ValidationException: Parameter Event is not valid.\", \"Line\": 3}\n{\"Result\": false}\n", "", "JSON Lines: one result per non-blank line, errors name the line"},
		{"", []string{"help", "pattern"}, exitOK, "busdrill pattern:", "", "help"},
	} {
		code, stdout, stderr := runCLI(c.stdin, c.args...)
		if code != c.code {
			t.Errorf("%s: exit %d, want %d (stderr %q)", c.comment, code, c.code, stderr)
		}
		if !strings.HasPrefix(stdout, c.stdout) || c.stdout == "" && stdout != "" {
			t.Errorf("%s: stdout %q, want %q", c.comment, stdout, c.stdout)
		}
		if !strings.HasPrefix(stderr, c.stderr) || c.stderr == "" && stderr != "" {
			t.Errorf("%s: stderr %q, want it to start with %q", c.comment, stderr, c.stderr)
		}
		// AWS errors are exactly one line.
		if strings.HasPrefix(stderr, "InvalidEventPatternException") || strings.HasPrefix(stderr, "ValidationException") {
			if strings.Count(stderr, "\n") != 1 {
				t.Errorf("%s: stderr is not one line: %q", c.comment, stderr)
			}
		}
	}
}

func TestPatternTestExamples(t *testing.T) {
	// The examples shipped for `make run` must work together.
	code, stdout, stderr := runCLI("", "pattern", "test", "--pattern", "../../examples/patterns/global-to-delivery.json", "--event", "../../examples/events/order-created.json")
	if code != exitOK || stdout != "{\"Result\": true}\n" {
		t.Errorf("examples: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}
