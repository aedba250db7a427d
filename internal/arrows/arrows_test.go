package arrows

import (
	"bufio"
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/busdrill/busdrill"

// core are the patterns of the core packages.
var core = []string{
	"./sim/...", "./scenarios/...", "./loadgen/...", "./report/...", "./chaos/...",
	"./topology/...", "./pattern/...", "./event/...", "./actors/...",
}

// forbidden are the import path prefixes the core must not reach, and why.
var forbidden = []struct{ prefix, why string }{
	{"github.com/aws/", "the AWS SDK"},
	{module + "/live", "the live runtime"},
	{module + "/serve", "busdrill serve"},
	{module + "/runner", "the orchestration layer"},
	{module + "/cmd", "the CLI"},
}

// forbiddenWhy says why path is forbidden to the core, or "".
func forbiddenWhy(path string) string {
	for _, f := range forbidden {
		if path == strings.TrimSuffix(f.prefix, "/") || strings.HasPrefix(path, f.prefix) &&
			(strings.HasSuffix(f.prefix, "/") || path[len(f.prefix)] == '/') {
			return f.why
		}
	}
	return ""
}

// backArrows returns, for every root that reaches a forbidden package,
// one line naming the shortest chain of imports that gets there. graph
// maps an import path to its imports.
func backArrows(graph map[string][]string, roots []string) []string {
	var out []string
	for _, root := range roots {
		prev := map[string]string{root: ""}
		queue := []string{root}
		for len(queue) > 0 {
			p := queue[0]
			queue = queue[1:]
			if why := forbiddenWhy(p); why != "" {
				chain := []string{p}
				for q := prev[p]; q != ""; q = prev[q] {
					chain = append(chain, q)
				}
				slices.Reverse(chain)
				out = append(out, fmt.Sprintf("%s depends on %s (%s): %s", root, p, why, strings.Join(chain, " → ")))
				break
			}
			for _, imp := range graph[p] {
				if _, seen := prev[imp]; !seen {
					prev[imp] = p
					queue = append(queue, imp)
				}
			}
		}
	}
	return out
}

// TestEveryArrowPointsDown lists the core's dependency graph and fails on
// every core package that reaches a forbidden one.
func TestEveryArrowPointsDown(t *testing.T) {
	// go test puts its own GOROOT/bin first on the PATH of the tests.
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to list the dependency graph: %v", err)
	}
	args := append([]string{"list", "-deps", "-f", "{{.ImportPath}} {{.DepOnly}} {{join .Imports \" \"}}"}, core...)
	root := filepath.Join("..", "..")
	statSources(t, root)
	cmd := exec.Command(goCmd, args...)
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	graph := map[string][]string{}
	var roots []string
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 2 {
			t.Fatalf("go list printed %q", sc.Text())
		}
		graph[f[0]] = f[2:]
		if f[1] == "false" {
			roots = append(roots, f[0])
		}
	}
	if len(roots) < len(core) {
		t.Fatalf("go list found %d core packages for %d patterns: %v", len(roots), len(core), roots)
	}
	for _, line := range backArrows(graph, roots) {
		t.Error(line)
	}
}

// statSources stats every Go file and the module files under root. The
// graph comes from a go list subprocess, whose reads the test cache does
// not see; the test's own stats make a changed import invalidate a cached
// pass of `go test` (without -count=1).
func statSources(t *testing.T, root string) {
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() && path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "bin" || name == "results") {
			return filepath.SkipDir
		}
		if !d.IsDir() && (strings.HasSuffix(name, ".go") || name == "go.mod" || name == "go.sum") {
			_, err = os.Stat(path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// The checker itself: a graph with arrows that turn back, and one without.
func TestBackArrows(t *testing.T) {
	graph := map[string][]string{
		module + "/sim/world":       {module + "/scenarios", "fmt"},
		module + "/scenarios":       {module + "/live/config", module + "/topology"},
		module + "/live/config":     {module + "/live/awsclients"},
		module + "/live/awsclients": {"github.com/aws/aws-sdk-go-v2/aws"},
		module + "/topology":        {module + "/pattern"},
		module + "/pattern":         {"strings"},
		module + "/report":          {module + "/runnerish"},
		module + "/chaos":           {module + "/serve/wire"},
	}
	for _, tc := range []struct {
		comment string
		roots   []string
		want    []string
	}{
		{"a clean chain reports nothing", []string{module + "/topology"}, nil},
		{"the nearest forbidden package is named, with the chain that reaches it",
			[]string{module + "/sim/world"},
			[]string{module + "/sim/world depends on " + module + "/live/config (the live runtime): " +
				module + "/sim/world → " + module + "/scenarios → " + module + "/live/config"}},
		{"a package whose name only starts like a forbidden one is not forbidden", []string{module + "/report"}, nil},
		{"subpackages of forbidden packages are forbidden",
			[]string{module + "/chaos"},
			[]string{module + "/chaos depends on " + module + "/serve/wire (busdrill serve): " + module + "/chaos → " + module + "/serve/wire"}},
	} {
		if got := backArrows(graph, tc.roots); !slices.Equal(got, tc.want) {
			t.Errorf("%s:\n got %q\nwant %q", tc.comment, got, tc.want)
		}
	}
	if why := forbiddenWhy("github.com/aws/smithy-go"); why != "the AWS SDK" {
		t.Errorf("smithy-go: %q", why)
	}
}
