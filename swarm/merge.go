package swarm

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/busdrill/busdrill/internal/readfile"
	"github.com/busdrill/busdrill/report/render"
	"github.com/busdrill/busdrill/runner"
)

// shardDirRE matches a shard's folder, shard-I-of-N.
var shardDirRE = regexp.MustCompile(`^shard-[0-9]+-of-[0-9]+$`)

// maxMergeFiles bounds the summaries one merge reads.
const maxMergeFiles = 10_000

// maxCopiedFile bounds a file copied from a shard's folder (the outputs
// of one run).
const maxCopiedFile = 256 << 20

// shardSummary is a shard's summary and its folder.
type shardSummary struct {
	sum *Summary
	dir string
}

// MergeFiles merges the shards named by paths (swarm.json files, or
// folders searched for shards' swarm.json; together at most 512 MiB) and writes each scenario's
// merged swarm under out, as Run would have written the whole swarm:
// swarm.json, the reported seeds' outputs and the shrinks, copied from
// the shards (issue.md is written again with the whole swarm's counts).
// Shards that do not belong together are an *InputError.
func MergeFiles(paths []string, out string) (*Result, error) {
	files, err := shardFiles(paths)
	if err != nil {
		return nil, &InputError{err}
	}
	groups := map[string][]shardSummary{}
	var total int64
	for _, f := range files {
		if st, err := os.Stat(f); err == nil {
			if total += st.Size(); total > maxSummaryBytes {
				return nil, &InputError{fmt.Errorf("the summaries to merge add up to more than %d MiB (at %s)", maxSummaryBytes>>20, f)}
			}
		}
		s, err := ReadSummary(f)
		if err != nil {
			return nil, &InputError{err}
		}
		groups[s.Scenario] = append(groups[s.Scenario], shardSummary{sum: s, dir: filepath.Dir(f)})
	}
	names := slices.Sorted(maps.Keys(groups))
	res := &Result{}
	merged := make([]*Summary, len(names))
	for i, name := range names {
		if merged[i], err = Merge(groups[name]); err != nil {
			return nil, &InputError{fmt.Errorf("scenario %s: %w", name, err)}
		}
	}
	var werr error
	for i, name := range names {
		m := merged[i]
		dir := Dir(out, name, Seeds{})
		if err := writeMerged(dir, m, groups[name]); err != nil && werr == nil {
			werr = &runner.WriteError{Dir: dir, Err: err}
		}
		res.Summaries = append(res.Summaries, m)
		res.Dirs = append(res.Dirs, dir)
		res.Interrupted = res.Interrupted || m.Interrupted
	}
	return res, werr
}

// shardFiles expands the paths: a file is itself; a folder is searched
// for swarm.json in shard-I-of-N folders.
func shardFiles(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			out = append(out, p)
			continue
		}
		before := len(out)
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if len(out) > maxMergeFiles {
				return fmt.Errorf("more than %d swarm.json files under %s", maxMergeFiles, p)
			}
			if !d.IsDir() && d.Name() == SummaryFile && shardDirRE.MatchString(filepath.Base(filepath.Dir(path))) {
				out = append(out, path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if len(out) == before {
			return nil, fmt.Errorf("%s: no shard's %s in it (shards write <scenario>/swarm/shard-I-of-N/%s)", p, SummaryFile, SummaryFile)
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// Merge combines the summaries of a swarm's shards into the summary of
// the whole seed range, from their seed runs alone: what one process
// sweeping every seed writes.
func Merge(shards []shardSummary) (*Summary, error) {
	if err := checkShards(shards); err != nil {
		return nil, err
	}
	first := shards[0].sum
	m := &Summary{
		Schema: first.Schema, Scenario: first.Scenario, File: first.File, Digest: first.Digest, Version: first.Version,
		Vary: first.Vary, Quick: first.Quick, First: first.First, Last: first.Last, ReplayEvery: first.ReplayEvery,
		InvariantsOnly: first.InvariantsOnly,
	}
	for _, sh := range shards {
		m.Interrupted = m.Interrupted || sh.sum.Interrupted
		m.Runs = append(m.Runs, sh.sum.Runs...)
		m.LateReplays = append(m.LateReplays, sh.sum.LateReplays...)
	}
	slices.SortFunc(m.Runs, func(a, b SeedRun) int { return cmp.Compare(a.Seed, b.Seed) })
	for i := 1; i < len(m.Runs); i++ {
		if m.Runs[i].Seed == m.Runs[i-1].Seed {
			return nil, fmt.Errorf("seed %d ran in two shards", m.Runs[i].Seed)
		}
	}
	slices.Sort(m.LateReplays)
	heads := make([]ExpectStats, len(first.Expectations))
	for i, e := range first.Expectations {
		heads[i] = ExpectStats{Name: e.Name, Window: e.Window, Unit: e.Unit}
	}
	tally(m, heads)
	for i, st := range m.Expectations {
		if len(st.FailedSeeds) == 0 {
			continue
		}
		for _, sh := range shards {
			k := slices.IndexFunc(sh.sum.Shrinks, func(s Shrink) bool { return s.Index == i && s.Seed == st.FailedSeeds[0] })
			if k >= 0 {
				s := sh.sum.Shrinks[k]
				s.FailedSeeds = st.Failed
				m.Shrinks = append(m.Shrinks, s)
				break
			}
		}
	}
	m.Verdict = VerdictPass
	if m.failed() {
		m.Verdict = VerdictFail
	}
	return m, nil
}

// checkShards checks that the summaries are the shards of one swarm:
// the same scenario text, version, range and options, shards of one
// count, each index once, each seed in its own shard.
func checkShards(shards []shardSummary) error {
	if len(shards) == 0 {
		return errors.New("no shards")
	}
	first := shards[0].sum
	var errs []error
	seen := map[uint64]string{}
	for _, sh := range shards {
		s := sh.sum
		for _, f := range []struct{ what, a, b string }{
			{"scenario text (its SHA-256)", first.Digest, s.Digest}, {"version", first.Version, s.Version},
			{"seed range", fmt.Sprintf("%d–%d", first.First, first.Last), fmt.Sprintf("%d–%d", s.First, s.Last)},
			{"--vary", first.Vary, s.Vary}, {"--quick", fmt.Sprint(first.Quick), fmt.Sprint(s.Quick)},
			{"--replay-every", fmt.Sprint(first.ReplayEvery), fmt.Sprint(s.ReplayEvery)},
			{"--invariants-only", fmt.Sprint(first.InvariantsOnly), fmt.Sprint(s.InvariantsOnly)},
			{"expectations", expectNames(first), expectNames(s)},
		} {
			if f.a != f.b {
				errs = append(errs, fmt.Errorf("%s: %s %q, %s has %q: not shards of one swarm", sh.dir, f.what, clip(f.b, 80), shards[0].dir, clip(f.a, 80)))
			}
		}
		if s.Shard == nil {
			errs = append(errs, fmt.Errorf("%s: not a shard (no shard key): nothing to merge it with", sh.dir))
			continue
		}
		if first.Shard == nil || s.Shard.Count != first.Shard.Count {
			errs = append(errs, fmt.Errorf("%s: shard %d of %d, %s is of %d", sh.dir, s.Shard.Index, s.Shard.Count, shards[0].dir, countOf(first)))
			continue
		}
		if other, dup := seen[s.Shard.Index]; dup {
			errs = append(errs, fmt.Errorf("%s and %s are both shard %d of %d", other, sh.dir, s.Shard.Index, s.Shard.Count))
		}
		seen[s.Shard.Index] = sh.dir
		for _, r := range s.Runs {
			if r.Seed < s.First || r.Seed > s.Last || (r.Seed-s.First)%s.Shard.Count != s.Shard.Index {
				errs = append(errs, fmt.Errorf("%s: seed %d does not belong to shard %d of %d", sh.dir, r.Seed, s.Shard.Index, s.Shard.Count))
				break
			}
		}
	}
	if len(errs) == 0 {
		var missing []string
		for i := range first.Shard.Count {
			if _, ok := seen[i]; !ok {
				missing = append(missing, fmt.Sprint(i))
			}
		}
		if len(missing) > 0 {
			errs = append(errs, fmt.Errorf("shards %s of %d are missing", strings.Join(missing, ", "), first.Shard.Count))
		}
	}
	return errors.Join(errs...)
}

func countOf(s *Summary) uint64 {
	if s.Shard == nil {
		return 0
	}
	return s.Shard.Count
}

func expectNames(s *Summary) string {
	var names []string
	for _, e := range s.Expectations {
		names = append(names, e.Name+"@"+e.Window)
	}
	return strings.Join(names, "; ")
}

// writeMerged writes a merged swarm: the reported seeds' and the
// shrinks' folders copied from the shards that have them, issue.md
// written again, then swarm.json.
func writeMerged(dir string, m *Summary, shards []shardSummary) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, seed := range m.Reported {
		for _, sh := range shards {
			src := filepath.Join(sh.dir, seedDir(seed))
			if _, err := os.Stat(src); err == nil {
				if err := copyDir(src, filepath.Join(dir, seedDir(seed))); err != nil {
					return err
				}
				break
			}
		}
	}
	for i := range m.Shrinks {
		sh := &m.Shrinks[i]
		for _, s := range shards {
			src := filepath.Join(s.dir, sh.Dir)
			if _, err := os.Stat(filepath.Join(src, MinimalFile)); err != nil {
				continue
			}
			dst := filepath.Join(dir, sh.Dir)
			if err := copyDir(src, dst); err != nil {
				return err
			}
			minimal, err := readfile.Read(filepath.Join(dst, MinimalFile), maxCopiedFile)
			if err != nil {
				return err
			}
			if err := render.WriteFile(filepath.Join(dst, IssueFile), []byte(sh.issueBody(m, minimal))); err != nil {
				return err
			}
			break
		}
	}
	js, err := m.WriteJSON()
	if err != nil {
		return err
	}
	return render.WriteFile(filepath.Join(dir, SummaryFile), js)
}

// copyDir copies the regular files of src (one level: a run's outputs)
// into dst.
func copyDir(src, dst string) error {
	entries, err := os.ReadDir(src)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		data, err := readfile.Read(filepath.Join(src, e.Name()), maxCopiedFile)
		if err != nil {
			return err
		}
		if err := render.WriteFile(filepath.Join(dst, e.Name()), data); err != nil {
			return err
		}
	}
	return nil
}
