package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/busdrill/busdrill/pattern"
)

var patternCmd = &command{
	name:    "pattern",
	summary: "test an event pattern against events, like aws events test-event-pattern",
	usage:   patternUsage,
	subs: []*command{{
		name:    "test",
		summary: "test an event pattern against one event or a file of events",
		usage:   patternUsage,
	}},
}

func init() {
	patternCmd.subs[0].run = runPatternTest
	register(patternCmd)
}

const patternUsage = `Usage: busdrill pattern test --pattern P (--event E | --events F) [--max-size N]

Checks an EventBridge event pattern against an event the way
"aws events test-event-pattern" does, with the same validation and the
same error messages, but offline.

P and E are each inline JSON (text that starts with '{' or '[' after
leading white space), '-' for standard input, or the path of a file.

  --pattern P    the event pattern
  --event E      one event; prints {"Result": true} or {"Result": false}
  --events F     a JSON Lines file ('-' for standard input): one event per
                 line, blank lines skipped; prints one line per event:
                 {"Result": true}, {"Result": false}, or for an event AWS
                 would refuse
                 {"Error": "ValidationException: Parameter Event is not valid.", "Line": N}
                 where N is the 1-based line number in F; an event whose
                 duplicate or dotted keys make array consistency too
                 costly to decide gets {"Error": "pattern: event too
                 entangled to match: ...", "Line": N} (busdrill's own
                 limit, not AWS's)
  --max-size N   also enforce a pattern-size quota of N characters (the
                 default quota is 2048); the API limit of 4096 always applies

Exit status:
  0  --event: the event matched; --events: every line was evaluated
  1  --event: the event did not match
  2  invalid pattern, invalid or undecidable event (with --event), or bad
     usage or input; errors are one line on standard error, starting with
     the AWS exception name, e.g. "InvalidEventPatternException: Event
     pattern is not valid. Reason: Empty arrays are not allowed" (or with
     "pattern: " for busdrill's own matching limit)

Inputs larger than 64 MiB are refused.`

// maxInputBytes bounds every input, so that a wrong path (a device, a huge
// log) fails fast instead of hanging or exhausting memory.
const maxInputBytes = 64 << 20

func runPatternTest(env *cliEnv, args []string) int {
	c := patternCmd.sub("test")
	fs := newFlags(c)
	patSpec := fs.String("pattern", "", "the event pattern: inline JSON, '-' or a file")
	evSpec := fs.String("event", "", "one event: inline JSON, '-' or a file")
	evsSpec := fs.String("events", "", "JSON Lines of events: '-' or a file")
	maxSize := fs.Int("max-size", 0, "pattern-size quota in characters (0: only the API limit of 4096)")
	if code, done := parseFlags(env, c, fs, args); done {
		return code
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(env.stderr, "busdrill pattern test: "+format+"\n", a...)
		return exitUsage
	}
	switch {
	case fs.NArg() > 0:
		return fail("unexpected argument %q", clip(fs.Arg(0), 40))
	case *patSpec == "":
		return fail("--pattern is required")
	case (*evSpec == "") == (*evsSpec == ""):
		return fail("exactly one of --event and --events is required")
	case *patSpec == "-" && (*evSpec == "-" || *evsSpec == "-"):
		return fail("only one input can come from standard input")
	case *maxSize < 0:
		return fail("--max-size must not be negative")
	}

	src, err := readSpec(env, *patSpec, true)
	if err != nil {
		return fail("--pattern: %v", err)
	}
	p, err := pattern.CompileWithOptions(src, pattern.CompileOptions{MaxSize: *maxSize})
	if err != nil {
		fmt.Fprintln(env.stderr, oneLine(err.Error()))
		return exitUsage
	}
	if *evSpec != "" {
		ev, err := readSpec(env, *evSpec, true)
		if err != nil {
			return fail("--event: %v", err)
		}
		return testEvent(env, p, ev)
	}
	data, err := readSpec(env, *evsSpec, false)
	if err != nil {
		return fail("--events: %v", err)
	}
	testEventLines(env, p, data)
	return exitOK
}

// testEvent prints whether the event matches, as AWS does, and returns
// the exit code: 0 it matches, 1 it does not, 2 it is invalid.
func testEvent(env *cliEnv, p *pattern.Pattern, ev []byte) int {
	ok, err := p.MatchJSON(ev)
	if err != nil {
		fmt.Fprintln(env.stderr, oneLine(err.Error()))
		return exitUsage
	}
	fmt.Fprintf(env.stdout, "{\"Result\": %t}\n", ok)
	if !ok {
		return exitFail
	}
	return exitOK
}

// testEventLines prints one line per event of JSON Lines data: its
// result, or the error of an event AWS would refuse, with its line
// number. Blank lines are skipped.
func testEventLines(env *cliEnv, p *pattern.Pattern, data []byte) {
	m := pattern.NewMatcher([]*pattern.Pattern{p})
	var s pattern.Scratch
	var dst []int
	for n := 1; len(data) > 0; n++ {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		got, err := m.MatchJSON(line, &s, dst[:0])
		dst = got
		if err != nil {
			fmt.Fprintf(env.stdout, "{\"Error\": %s, \"Line\": %d}\n", strconv.Quote(oneLine(err.Error())), n)
			continue
		}
		fmt.Fprintf(env.stdout, "{\"Result\": %t}\n", len(got) > 0)
	}
}

// readSpec reads an input given as inline JSON (when inline is allowed),
// "-" for standard input, or a file path.
func readSpec(env *cliEnv, spec string, inline bool) ([]byte, error) {
	if t := strings.TrimLeft(spec, " \t\r\n"); inline && (strings.HasPrefix(t, "{") || strings.HasPrefix(t, "[")) {
		return []byte(spec), nil
	}
	if spec == "-" {
		return readBounded(env.stdin, "standard input")
	}
	f, err := os.Open(spec)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil {
		if st.IsDir() {
			return nil, fmt.Errorf("%s is a directory", spec)
		}
		if st.Mode().IsRegular() && st.Size() > maxInputBytes {
			return nil, fmt.Errorf("%s is %d bytes, over the %d MiB input limit", spec, st.Size(), maxInputBytes>>20)
		}
	}
	return readBounded(f, spec)
}

func readBounded(r io.Reader, name string) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxInputBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxInputBytes {
		return nil, fmt.Errorf("%s is over the %d MiB input limit", name, maxInputBytes>>20)
	}
	return b, nil
}

// oneLine keeps a message on one line (AWS messages can carry Jackson's
// location on a second line; ours do not, but events are caller data).
func oneLine(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r", " "), "\n", " ")
}
