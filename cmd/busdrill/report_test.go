package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/busdrill/busdrill/report"
)

const goldenResults = "../../report/render/testdata/golden.json"

func runReportCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	env := &cliEnv{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	code = run(env, append([]string{"report"}, args...))
	return code, out.String(), errb.String()
}

// writeResults writes r (modified by edit) as a results file in dir.
func writeResults(t *testing.T, dir, name string, edit func(*report.Results)) string {
	t.Helper()
	r, err := report.ReadResults(goldenResults)
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(r)
	}
	var buf bytes.Buffer
	if err := r.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	os.MkdirAll(filepath.Dir(path), 0o755)
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestReportRegeneratesNextToResults(t *testing.T) {
	dir := t.TempDir()
	path := writeResults(t, dir, "results.json", nil)
	os.WriteFile(filepath.Join(dir, "meta.json"), []byte(`{"command": "busdrill run golden --seed 1 --rate 10/s"}`), 0o644)
	code, out, errs := runReportCLI(t, path)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, f := range []string{"report.html", "junit.xml", "summary.md"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("%s not written: %v (%s)", f, err, out)
		}
	}
	md, _ := os.ReadFile(filepath.Join(dir, "summary.md"))
	if !strings.Contains(string(md), "busdrill run golden --seed 1 --rate 10/s") {
		t.Errorf("summary.md does not reproduce with meta.json's command:\n%s", md)
	}
}

func TestReportSelectedOutputs(t *testing.T) {
	dir := t.TempDir()
	junit := filepath.Join(dir, "ci", "junit.xml")
	code, out, errs := runReportCLI(t, goldenResults, "--markdown", "-", "--junit", junit)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.HasPrefix(out, "### ❌ busdrill: golden") {
		t.Errorf("markdown on stdout: %q", out)
	}
	if b, err := os.ReadFile(junit); err != nil || !bytes.Contains(b, []byte("<testsuites")) {
		t.Errorf("junit: %v %s", err, b)
	}
	if _, err := os.Stat(filepath.Join(dir, "report.html")); err == nil {
		t.Error("report.html written though not asked for")
	}
}

func TestReportCompare(t *testing.T) {
	dir := t.TempDir()
	base := writeResults(t, dir, "base.json", nil)
	same := writeResults(t, dir, "same.json", nil)
	slow := writeResults(t, dir, "slow.json", func(r *report.Results) {
		s := r.Latency[report.LatencyE2E]
		s.P99 *= 1.3
		r.Latency[report.LatencyE2E] = s
	})
	if code, out, errs := runReportCLI(t, "compare", base, same); code != exitOK {
		t.Errorf("identical pair: exit %d\n%s%s", code, out, errs)
	}
	html := filepath.Join(dir, "compare.html")
	code, out, _ := runReportCLI(t, "compare", base, slow, "--html", html)
	if code != exitFail || !strings.Contains(out, "✗ e2e p99") {
		t.Errorf("30%% slower p99: exit %d (want 1)\n%s", code, out)
	}
	if _, err := os.Stat(html); err != nil {
		t.Errorf("--html: %v", err)
	}
	if code, out, _ := runReportCLI(t, "compare", base, slow, "--latency", "50%"); code != exitOK {
		t.Errorf("30%% slower p99 with --latency 50%%: exit %d\n%s", code, out)
	}
	if code, _, errs := runReportCLI(t, "compare", base, slow, "--latency", "ten"); code != exitUsage || !strings.Contains(errs, "--latency") {
		t.Errorf("bad tolerance: exit %d: %s", code, errs)
	}
	if code, _, _ := runReportCLI(t, "compare", base); code != exitUsage {
		t.Errorf("one file: exit %d", code)
	}
}

func TestReportMerge(t *testing.T) {
	dir := t.TempDir()
	var shards []string
	for i := range 2 {
		shards = append(shards, writeResults(t, dir, "shard"+string(rune('0'+i))+".json", func(r *report.Results) {
			r.Shard = &report.Shard{Index: i, Count: 2}
		}))
	}
	out := filepath.Join(dir, "merged.json")
	code, stdout, errs := runReportCLI(t, "merge", shards[0], shards[1], "-o", out)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	m, err := report.ReadResults(out)
	if err != nil {
		t.Fatal(err)
	}
	one, _ := report.ReadResults(goldenResults)
	if m.Shard != nil || m.Orders.Sent != 2*one.Orders.Sent || m.Latency["e2e"].Count != 2*one.Latency["e2e"].Count {
		t.Errorf("merged: shard %v, %d sent, %d e2e", m.Shard, m.Orders.Sent, m.Latency["e2e"].Count)
	}
	if !strings.Contains(stdout, "expectations not evaluated") {
		t.Errorf("stdout: %s", stdout)
	}
	if code, _, errs := runReportCLI(t, "merge", shards[0], shards[0], "-o", out); code != exitUsage || !strings.Contains(errs, "both shard 0") {
		t.Errorf("the same shard twice: exit %d: %s", code, errs)
	}
	if code, _, _ := runReportCLI(t, "merge", shards[0], shards[1]); code != exitUsage {
		t.Errorf("no -o: exit %d", code)
	}
}

func TestParseFraction(t *testing.T) {
	for in, want := range map[string]float64{"10%": 0.1, "0.5%": 0.005, "0.2": 0.2, "0": 0} {
		if got, err := parseFraction(in); err != nil || got != want {
			t.Errorf("%s: %v %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "x%", "-1%"} {
		if _, err := parseFraction(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
