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

// prefix is an import path prefix a rule forbids, and why.
type prefix struct{ path, why string }

// rule says which packages (go list patterns) must not reach which.
type rule struct {
	packages  []string
	forbidden []prefix
}

// rules are the arrows that must point down. The first is DESIGN.md's:
// the core depends on neither the AWS SDK nor anything above it. The
// others are arrows once turned back inside the live adapter.
var rules = []rule{
	{
		packages: []string{
			"./sim/...", "./scenarios/...", "./loadgen/...", "./report/...", "./chaos/...",
			"./topology/...", "./pattern/...", "./event/...", "./actors/...",
		},
		forbidden: []prefix{
			{"github.com/aws/", "the AWS SDK"},
			{module + "/live", "the live runtime"},
			{module + "/serve", "busdrill serve"},
			{module + "/runner", "the orchestration layer"},
			{module + "/cmd", "the CLI"},
		},
	},
	// The rehearsal's live section is data: no SDK, no clients.
	{packages: []string{"./live/config"}, forbidden: []prefix{
		{"github.com/aws/", "the AWS SDK"}, {module + "/live/awsclients", "the AWS clients"}}},
	// The session runs the fault schedule, not the other way round.
	{packages: []string{"./live/schedule"}, forbidden: []prefix{{module + "/live/session", "the live session"}}},
	// A capacity search runs on the model alone: it reaches neither AWS
	// nor the orchestration layer (the CLI writes its answer).
	{packages: []string{"./capacity/..."}, forbidden: []prefix{
		{"github.com/aws/", "the AWS SDK"}, {module + "/live", "the live runtime"},
		{module + "/runner", "the orchestration layer"}, {module + "/cmd", "the CLI"}}},
	// The live runtime does not run on the simulator's model (what both
	// read, such as the Region quotas, lives in topology).
	{packages: []string{"./live/drill"}, forbidden: []prefix{{module + "/sim/backbone", "the simulator's model"}}},
}

// forbiddenWhy says why a rule forbids path, or "". A prefix ending in
// "/" forbids what starts with it; any other forbids that package and its
// subpackages.
func forbiddenWhy(forbidden []prefix, path string) string {
	for _, f := range forbidden {
		if path == strings.TrimSuffix(f.path, "/") || strings.HasPrefix(path, f.path) &&
			(strings.HasSuffix(f.path, "/") || path[len(f.path)] == '/') {
			return f.why
		}
	}
	return ""
}

// backArrows returns, for every root that reaches a forbidden package,
// one line naming the shortest chain of imports that gets there. graph
// maps an import path to its imports.
func backArrows(graph map[string][]string, roots []string, forbidden []prefix) []string {
	var out []string
	for _, root := range roots {
		prev := map[string]string{root: ""}
		queue := []string{root}
		for len(queue) > 0 {
			p := queue[0]
			queue = queue[1:]
			if why := forbiddenWhy(forbidden, p); why != "" {
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

// TestEveryArrowPointsDown lists the dependency graph of the packages of
// every rule and fails on each package that reaches one it must not.
func TestEveryArrowPointsDown(t *testing.T) {
	root := filepath.Join("..", "..")
	statSources(t, root)
	for _, r := range rules {
		graph, roots := listDeps(t, root, r.packages)
		for _, line := range backArrows(graph, roots, r.forbidden) {
			t.Error(line)
		}
	}
}

// listDeps runs go list -deps on patterns: the import graph of the
// packages and everything they reach, and the packages the patterns name.
func listDeps(t *testing.T, root string, patterns []string) (graph map[string][]string, roots []string) {
	t.Helper()
	// go test puts its own GOROOT/bin first on the PATH of the tests.
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to list the dependency graph: %v", err)
	}
	args := append([]string{"list", "-deps", "-f", "{{.ImportPath}} {{.DepOnly}} {{join .Imports \" \"}}"}, patterns...)
	cmd := exec.Command(goCmd, args...)
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	graph = map[string][]string{}
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
	if len(roots) < len(patterns) {
		t.Fatalf("go list found %d packages for %d patterns: %v", len(roots), len(patterns), roots)
	}
	return graph, roots
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
		if got := backArrows(graph, tc.roots, rules[0].forbidden); !slices.Equal(got, tc.want) {
			t.Errorf("%s:\n got %q\nwant %q", tc.comment, got, tc.want)
		}
	}
	if why := forbiddenWhy(rules[0].forbidden, "github.com/aws/smithy-go"); why != "the AWS SDK" {
		t.Errorf("smithy-go: %q", why)
	}
}
