package render

import (
	"bytes"
	"encoding/xml"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/busdrill/busdrill/report"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// checkGolden compares got with testdata/NAME, or rewrites it with
// -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test ./report/render -update rewrites it):\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func TestMarkdownGolden(t *testing.T) {
	var buf bytes.Buffer
	if err := Markdown(&buf, golden(t), Meta{Command: "busdrill run golden --seed 1"}); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "summary.md.golden", buf.Bytes())
}

func TestJUnitGolden(t *testing.T) {
	var buf bytes.Buffer
	if err := JUnit(&buf, golden(t), Meta{}); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "junit.xml.golden", buf.Bytes())
	var doc junitSuites
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("junit.xml does not parse: %v", err)
	}
	if doc.Tests != 7 || doc.Failures != 2 {
		t.Errorf("tests %d failures %d, want 7 and 2", doc.Tests, doc.Failures)
	}
}

func TestJUnitInterrupted(t *testing.T) {
	r := golden(t)
	r.Interrupted = true
	var buf bytes.Buffer
	if err := JUnit(&buf, r, Meta{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `<error message="the run was interrupted`) {
		t.Errorf("an interrupted run has no erroring case:\n%s", buf.String())
	}
}

// TestHTMLContents checks that the page has every section, says nothing
// it could fetch, and is the same bytes for the same input.
func TestHTMLContents(t *testing.T) {
	r := golden(t)
	var a, b bytes.Buffer
	if err := HTML(&a, r, Meta{Command: "busdrill run golden --seed 1"}); err != nil {
		t.Fatal(err)
	}
	if err := HTML(&b, r, Meta{Command: "busdrill run golden --seed 1"}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two renderings of the same results differ")
	}
	page := a.String()
	for _, want := range []string{
		"FAIL · 5 of 7 expectations met", `id="expectations"`, "no loss", "observed", // verdict, expectations
		"end-to-end latency over time", "throughput over time", "latency percentile distribution", // charts
		"throttle-orders", "disable-billing", // fault windows (chart labels and timeline)
		"10 rule-disabled", "1 dlq: retries-exhausted", // ledger causes
		"orders/local/on-delivery-updated/handler", // duplicates by consumer
		"PutEvents", "120%", // quota headroom
		"busdrill run golden --seed 1", "seed 1", "busdrill test", // reproduce, version
		`id="windows"`, "during:disable-billing", `id="recovery"`, // windows and recovery
	} {
		if !strings.Contains(page, want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	for _, bad := range []string{"<script", "http://", "https://", "@import", "url("} {
		if i := strings.Index(page, bad); i >= 0 && !strings.Contains(page[max(0, i-40):i+40], "www.w3.org") {
			t.Errorf("report.html contains %q: %s", bad, page[max(0, i-60):min(len(page), i+60)])
		}
	}
}

func TestWriteAll(t *testing.T) {
	dir := t.TempDir()
	if err := WriteAll(dir, golden(t), Meta{}); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{HTMLFile, JUnitFile, MarkdownFile} {
		st, err := os.Stat(filepath.Join(dir, f))
		if err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	left, _ := filepath.Glob(filepath.Join(dir, ".*"))
	if len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// TestRenderLongRun: a run over an hour has a bounded series of wider
// steps (report.SeriesStep), and every output renders from it, its charts
// bucketed to whole steps. (How fast is BenchmarkHTMLHour's business.)
func TestRenderLongRun(t *testing.T) {
	r := drill{seed: 1, rate: 2, traffic: time.Hour, drain: 2 * time.Minute}.run()
	if len(r.Series) > report.MaxSeriesPoints || r.SeriesStep != 2 {
		t.Fatalf("series of %d points, step %ds; want at most %d points of 2s", len(r.Series), r.SeriesStep, report.MaxSeriesPoints)
	}
	if err := WriteAll(t.TempDir(), r, Meta{}); err != nil {
		t.Fatal(err)
	}
	buckets, width := bucketSeries(r.Series, r.SeriesStep)
	if len(buckets) > maxPoints || width%r.SeriesStep != 0 {
		t.Errorf("%d buckets of %ds; want at most %d of a whole number of steps", len(buckets), width, maxPoints)
	}
}

func BenchmarkHTMLHour(b *testing.B) {
	r := drill{seed: 1, rate: 2, traffic: time.Hour, drain: 2 * time.Minute}.run()
	for b.Loop() {
		var buf bytes.Buffer
		if err := HTML(&buf, r, Meta{}); err != nil {
			b.Fatal(err)
		}
	}
}

func TestFormat(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{fmtSeconds(0), "0"}, {fmtSeconds(45), "45s"}, {fmtSeconds(90), "1m30s"}, {fmtSeconds(120), "2m"},
		{fmtSeconds(3600), "1h"}, {fmtSeconds(3660), "1h1m"}, {fmtSeconds(3601), "1h0m1s"},
		{fmtCount(0), "0"}, {fmtCount(999), "999"}, {fmtCount(1234567), "1,234,567"}, {fmtCount(-1000), "-1,000"},
		{fmtPct(0), "0%"}, {fmtPct(0.5), "50%"}, {fmtPct(0.99864), "99.86%"}, {fmtPct(0.00004), "0.004%"},
		{fmtMs(0), "0"}, {fmtMs(5156.863), "5.16s"}, {fmtMs(42.015), "42.02ms"},
		{fmtRate(12.5), "12.5/s"}, {fmtRate(18750), "18,750/s"},
		{mdText("a < 8s"), "a < 8s"}, {mdText("<b>*x*</b> [w]"), `\<b>\*x\*\</b> [w]`},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
	_ = report.Schema
}
