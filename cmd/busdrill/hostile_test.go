package main

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/busdrill/busdrill/report"
)

// The hostile corpus: scenario files a careless or malicious pull request
// could hold. Each must be refused (or run) at once, in bounded memory,
// with a clear message: never a panic, a Go stack, a hang or a machine
// brought down.
const hostileDir = "../../scenarios/testdata/hostile"

// Bounds every hostile file is held to. The deadline only catches a hang
// (a busy CI machine must never trip it: the files take milliseconds);
// the memory ceiling is what "bounded" means: GOMEMLIMIT asks the runtime
// to stay below the first, the test checks the peak RSS against the second.
const (
	hostileDeadline = 60 * time.Second
	hostileMemLimit = "256MiB"
	hostileMaxRSS   = 384 << 20
)

// generatedHostile are hostile files too large or too binary to commit:
// built by the test, with their golden files beside the committed ones.
var generatedHostile = map[string]func() []byte{
	// A file over the 4 MiB limit is refused before it is read.
	"huge-file": func() []byte { return bytes.Repeat([]byte("# padding padding padding padding\n"), 150000) },
	// A 1 MB name is echoed clipped.
	"name-1mb": func() []byte {
		return []byte("name: " + strings.Repeat("x", 1<<20) + "\ntopology: {reference: {services: [{name: a}]}}\ntraffic: {rate: 1/s, duration: 1m}\n")
	},
	// A 1 MB unknown key is echoed clipped too.
	"key-1mb": func() []byte { return []byte("name: k\n" + strings.Repeat("k", 1<<20) + ": 1\n") },
	// Random bytes.
	"binary": func() []byte {
		r := rand.New(rand.NewPCG(1, 2))
		b := make([]byte, 100000)
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		return b
	},
	// YAML nested far deeper than any parser should follow.
	"deep-nesting": func() []byte {
		return []byte("name: d\nx: " + strings.Repeat("[", 50000) + strings.Repeat("]", 50000) + "\n")
	},
	// One line of 3 MB.
	"long-line": func() []byte { return []byte("name: l\ndescription: " + strings.Repeat("word ", 600000) + "\n") },
	// 20,000 accounts and 20,000 unknown keys: every problem is not
	// printed, and checking them is not quadratic.
	"many-accounts": func() []byte {
		var b strings.Builder
		b.WriteString("name: many\ntopology:\n  accounts:\n")
		for i := range 20000 {
			fmt.Fprintf(&b, "    - {name: a%d, id: \"%012d\", bogus: 1}\n", i, i)
		}
		b.WriteString("  buses: [{account: a0, name: b, rules: [{name: r, pattern: {source: [x]}, targets: [{id: t, log: l}]}]}]\n")
		b.WriteString("traffic: {rate: 1/s, duration: 1m, bus: a0/b, origins: [{account: a0}]}\n")
		return []byte(b.String())
	},
	// 5,000 rules on one bus (over EventBridge's quota of 300).
	"many-rules": func() []byte {
		var b strings.Builder
		b.WriteString("name: rules\ntopology:\n  accounts: [{name: a}]\n  buses:\n    - account: a\n      name: b\n      rules:\n")
		for i := range 5000 {
			fmt.Fprintf(&b, "        - {name: r%d, pattern: {source: [x%d]}, targets: [{id: t, log: l}]}\n", i, i)
		}
		b.WriteString("traffic: {rate: 1/s, duration: 1m, bus: a/b, origins: [{account: a}]}\n")
		return []byte(b.String())
	},
	// A pattern longer than PutRule accepts, as a JSON string.
	"pattern-too-long": func() []byte {
		return []byte("name: p\ntopology:\n  accounts: [{name: a}]\n  buses:\n    - {account: a, name: b, rules: [{name: r, targets: [{id: t, log: l}], pattern: '{\"source\": [\"" +
			strings.Repeat("x", 5000) + "\"]}'}]}\ntraffic: {rate: 1/s, duration: 1m, bus: a/b, origins: [{account: a}]}\n")
	},
	// 50,000 expectations, every one wrong.
	"many-expectations": func() []byte {
		return []byte("name: e\ntopology: {reference: {services: [{name: a}]}}\ntraffic: {rate: 1/s, duration: 1m}\nexpect:\n" +
			strings.Repeat("  - lost == 0\n", 50000))
	},
}

// TestHostileScenarios runs 'busdrill run FILE --out out --quiet' on
// every file of the hostile corpus, each in its own process, and compares
// the exit code and standard error with FILE.golden (-update rewrites
// them). Each must finish before hostileDeadline and peak below
// hostileMaxRSS, and none may print a Go stack.
func TestHostileScenarios(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the hostile corpus runs a process per file")
	}
	files, err := filepath.Glob(filepath.Join(hostileDir, "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no hostile corpus in %s: %v", hostileDir, err)
	}
	type hostileCase struct {
		name string
		data []byte
	}
	var cases []hostileCase
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, hostileCase{strings.TrimSuffix(filepath.Base(f), ".yaml"), data})
	}
	for name, gen := range generatedHostile {
		if _, err := os.Stat(filepath.Join(hostileDir, name+".yaml")); err == nil {
			t.Fatalf("%s is both generated and committed", name)
		}
		cases = append(cases, hostileCase{name, gen()})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, c.name+".yaml"), c.data, 0o644); err != nil {
				t.Fatal(err)
			}
			got, rss := runHostile(t, dir, c.name+".yaml")
			if rss > hostileMaxRSS {
				t.Errorf("peak RSS %d MiB, over the ceiling of %d MiB", rss>>20, hostileMaxRSS>>20)
			}
			if strings.Contains(got, "goroutine ") || strings.Contains(got, "panic:") || strings.Contains(got, ".go:") {
				t.Errorf("a Go stack or panic reached the user:\n%.2000s", got)
			}
			checkGolden(t, filepath.Join(hostileDir, c.name+".golden"), got)
		})
	}
}

// runHostile runs busdrill on file in dir; it returns "exit: N" and the
// standard error, and the peak RSS in bytes.
func runHostile(t *testing.T, dir, file string) (string, int64) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), hostileDeadline)
	defer cancel()
	cmd := cliCommand(t, dir, "run", file, "--out", "out", "--quiet")
	cmd.Env = append(cmd.Env, "GOMEMLIMIT="+hostileMemLimit)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.Stdout = &stderr
	started := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-ctx.Done():
		cmd.Process.Kill()
		<-done
		t.Fatalf("still running after %v: a hang (output so far:\n%.2000s)", hostileDeadline, stderr.String())
	}
	t.Logf("%s: %v", file, time.Since(started).Round(time.Millisecond))
	code := cmd.ProcessState.ExitCode()
	var rss int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = ru.Maxrss << 10 // KiB on Linux
	}
	return fmt.Sprintf("exit: %d\n%s%s", code, stderr.String(), resultsDigest(t, dir)), rss
}

// resultsDigest summarises the results a hostile file that ran left in
// dir/out: its orders, expectations and faults, for the golden file.
func resultsDigest(t *testing.T, dir string) string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "out", "*", "*", "results.json"))
	if len(files) == 0 {
		return ""
	}
	r, err := report.ReadResults(files[0])
	if err != nil {
		t.Fatalf("the run wrote unreadable results: %v", err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "results: verdict %s, interrupted %v; orders planned %d, sent %d, completed %d, not sent %d %v\n",
		r.Verdict, r.Interrupted, r.Orders.Planned, r.Orders.Sent, r.Orders.Completed, r.Orders.NotSent, r.Orders.NotSentCauses)
	for _, e := range r.Expectations {
		fmt.Fprintf(&b, "  expect %s [%s]: ok %v, observed %s\n", e.Name, windowOr(e.Window), e.OK, e.Observed)
	}
	for _, f := range r.Faults {
		fmt.Fprintf(&b, "  fault %s %s: %s\n", f.Name, f.Kind, cmpOr(f.Effect, "took effect"))
	}
	return b.String()
}

func windowOr(w string) string { return cmpOr(w, "all") }

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// checkGolden compares got with the golden file, or rewrites it with
// -update.
func checkGolden(t *testing.T, golden, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/busdrill -run %s -update to create it)", err, t.Name())
	}
	if got != string(want) {
		t.Errorf("differs from %s (-update rewrites it):\n--- got\n%.3000s\n--- want\n%.3000s", golden, got, want)
	}
}
