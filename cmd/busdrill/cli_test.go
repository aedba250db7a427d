package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/busdrill/busdrill/runner"
)

// everyCommand lists every command and subcommand path.
func everyCommand() [][]string {
	var out [][]string
	var walk func(prefix []string, c *command)
	walk = func(prefix []string, c *command) {
		path := append(append([]string{}, prefix...), c.name)
		out = append(out, path)
		for _, s := range c.subs {
			walk(path, s)
		}
	}
	for _, n := range commandNames() {
		walk(nil, commands[n])
	}
	return out
}

// TestEveryCommandHasHelp: for every command and subcommand, --help, -h
// and 'busdrill help ...' print its usage on standard output, exit 0.
func TestEveryCommandHasHelp(t *testing.T) {
	for _, path := range everyCommand() {
		name := strings.Join(path, " ")
		for _, args := range [][]string{
			append(append([]string{}, path...), "--help"),
			append(append([]string{}, path...), "-h"),
			append([]string{"help"}, path...),
		} {
			code, out, errs := runCLI("", args...)
			if code != exitOK || !strings.Contains(out, "Usage") || errs != "" {
				t.Errorf("busdrill %s: exit %d, stdout %.80q, stderr %q", strings.Join(args, " "), code, out, errs)
			}
		}
		if c := lookup(path); c.usage == "" || c.summary == "" {
			t.Errorf("%s has no usage or summary", name)
		}
	}
}

func lookup(path []string) *command {
	c := commands[path[0]]
	for _, p := range path[1:] {
		c = c.sub(p)
	}
	return c
}

// TestFlagErrors: a wrong flag is one friendly line naming it.
func TestFlagErrors(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "--seed", "-1"}, `busdrill run: --seed: "-1" is not a whole number ≥ 0`},
		{[]string{"run", "--sed", "1"}, `busdrill run: unknown flag --sed (did you mean "seed"?)`},
		{[]string{"run", "--seed"}, `busdrill run: --seed needs a value (a whole number ≥ 0)`},
		{[]string{"check", "--jobs", "many"}, `busdrill check: --jobs: "many" is not a whole number`},
		{[]string{"aws", "plan", "--jsn"}, `busdrill aws plan: unknown flag --jsn (did you mean "json"?)`},
		{[]string{"scenarios", "vaildate"}, `busdrill scenarios: unknown subcommand "vaildate" (did you mean "validate"?)`},
		{[]string{"rnu"}, `busdrill: unknown command "rnu" (did you mean "run"?)`},
		{[]string{"run", "--seed", strings.Repeat("9", 1<<16)}, `is not a whole number ≥ 0`},
	} {
		code, _, errs := runCLI("", tt.args...)
		first, _, _ := strings.Cut(errs, "\n")
		if code != exitUsage || !strings.Contains(first, tt.want) || len(first) > 300 {
			t.Errorf("busdrill %.60s: exit %d, first line %.300q; want exit 2 and %q", strings.Join(tt.args, " "), code, first, tt.want)
		}
	}
}

// TestUnwritableOutIsRefusedBeforeTheRun: a results folder that cannot be
// made is exit 2, before anything runs.
func TestUnwritableOutIsRefusedBeforeTheRun(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	os.WriteFile(file, []byte("x"), 0o644)
	code, out, errs := runCLI("", "run", "--out", filepath.Join(file, "results"), "--quiet")
	if code != exitUsage || !strings.Contains(errs, "cannot write results to") || out != "" {
		t.Errorf("exit %d, stderr %q, stdout %.100q", code, errs, out)
	}
	code, _, errs = runCLI("", "check", "--out", filepath.Join(file, "results"))
	if code != exitUsage || !strings.Contains(errs, "cannot write results to") {
		t.Errorf("check: exit %d, stderr %q", code, errs)
	}
}

// TestCheckOutputs: check --out writes every run's full outputs, --junit
// one file with a suite per scenario (named by file), --json a summary.
func TestCheckOutputs(t *testing.T) {
	dir := t.TempDir()
	junit := filepath.Join(dir, "junit.xml")
	code, out, errs := runCLI("", "check", "../../scenarios/reference.yaml", "../../scenarios/disabled-rule.yaml",
		"--out", filepath.Join(dir, "out"), "--junit", junit, "--json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var sum struct {
		Scenarios []runner.CheckEntry `json:"scenarios"`
		Summary   map[string]int      `json:"summary"`
	}
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatalf("--json: %v\n%s", err, out)
	}
	if len(sum.Scenarios) != 2 || sum.Summary["passed"] != 2 || sum.Scenarios[0].Status != "pass" || sum.Scenarios[0].Results == "" {
		t.Errorf("--json summary %+v", sum)
	}
	for _, name := range []string{"reference", "disabled-rule"} {
		for _, f := range []string{"results.json", "meta.json", "report.html", "junit.xml", "summary.md"} {
			if _, err := os.Stat(filepath.Join(dir, "out", name, "1", f)); err != nil {
				t.Errorf("%s: %v", f, err)
			}
		}
	}
	b, err := os.ReadFile(junit)
	if err != nil || !strings.Contains(string(b), `<testsuite name="../../scenarios/reference.yaml"`) ||
		!strings.Contains(string(b), `file="../../scenarios/disabled-rule.yaml"`) {
		t.Errorf("--junit: %v\n%.600s", err, b)
	}
}
