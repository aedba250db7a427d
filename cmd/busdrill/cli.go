package main

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/spf13/pflag"

	"github.com/busdrill/busdrill/internal/suggest"
)

// command is one command or subcommand of busdrill ("run", "aws plan").
// A command with subcommands dispatches to them by its first argument;
// its own run, when set, takes the arguments that name no subcommand
// ("busdrill report RESULTS.json").
type command struct {
	name    string
	summary string
	// usage is the full help text: printed by 'busdrill help NAME...',
	// NAME... --help and NAME... -h, on standard output, exit 0.
	usage string
	run   func(env *cliEnv, args []string) int
	subs  []*command
	// parent is set by register for subcommands.
	parent *command
}

// path is the command's name as typed: "aws plan".
func (c *command) path() string {
	if c.parent == nil {
		return c.name
	}
	return c.parent.path() + " " + c.name
}

// sub returns the subcommand named name, or nil.
func (c *command) sub(name string) *command {
	for _, s := range c.subs {
		if s.name == name {
			return s
		}
	}
	return nil
}

var commands = map[string]*command{}

// register adds a top-level command and links its subcommands.
func register(c *command) {
	if _, dup := commands[c.name]; dup {
		panic("busdrill: command registered twice: " + c.name)
	}
	link(c)
	commands[c.name] = c
}

func link(c *command) {
	for _, s := range c.subs {
		s.parent = c
		link(s)
	}
}

// run dispatches args to a command and returns the process exit code.
func run(env *cliEnv, args []string) int {
	if len(args) == 0 {
		printUsage(env.stderr)
		return exitUsage
	}
	name := args[0]
	switch name {
	case "-h", "--help":
		name = "help"
	case "-v", "--version":
		name = "version"
	}
	c, ok := commands[name]
	if !ok {
		fmt.Fprintf(env.stderr, "busdrill: unknown command %q%s\n", name, didYouMean(name, commandNames()))
		fmt.Fprintln(env.stderr, "Run 'busdrill help' for the list of commands.")
		return exitUsage
	}
	return dispatch(env, c, args[1:])
}

// dispatch runs c, or the subcommand its first argument names.
func dispatch(env *cliEnv, c *command, args []string) int {
	if len(c.subs) == 0 {
		return c.run(env, args)
	}
	if len(args) == 0 {
		if c.run != nil {
			return c.run(env, args)
		}
		fmt.Fprintln(env.stderr, c.usage)
		return exitUsage
	}
	switch args[0] {
	case "-h", "--help", "help":
		return printHelp(env, c, args[1:])
	}
	if s := c.sub(args[0]); s != nil {
		return dispatch(env, s, args[1:])
	}
	if c.run != nil {
		return c.run(env, args)
	}
	var names []string
	for _, s := range c.subs {
		names = append(names, s.name)
	}
	fmt.Fprintf(env.stderr, "busdrill %s: unknown subcommand %q%s (one of: %s)\nRun 'busdrill help %s' for usage.\n",
		c.path(), clip(args[0], 40), didYouMean(args[0], names), strings.Join(names, ", "), c.path())
	return exitUsage
}

// printHelp prints the help of c, or of the subcommand path names.
func printHelp(env *cliEnv, c *command, path []string) int {
	for _, name := range path {
		s := c.sub(name)
		if s == nil {
			fmt.Fprintf(env.stderr, "busdrill help: %q has no subcommand %q\n", c.path(), clip(name, 40))
			return exitUsage
		}
		c = s
	}
	fmt.Fprintf(env.stdout, "busdrill %s: %s\n\n%s\n", c.path(), c.summary, c.usage)
	return exitOK
}

func commandNames() []string {
	out := make([]string, 0, len(commands))
	for n := range commands {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

func printUsage(w io.Writer) {
	fmt.Fprint(w, "busdrill drills cross-account Amazon EventBridge event backbones.\n\nUsage:\n  busdrill <command> [arguments]\n\nCommands:\n")
	for _, n := range commandNames() {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprint(w, "\nRun 'busdrill help <command>' (or 'busdrill <command> --help') for details on a command.\n")
}

// didYouMean is ` (did you mean "x"?)` for the closest of names, or "".
func didYouMean(typed string, names []string) string {
	if s := suggest.Closest(typed, names); s != "" {
		return fmt.Sprintf(" (did you mean %q?)", s)
	}
	return ""
}

// newFlags returns a flag set for c that reports nothing itself: errors
// go through parseFlags, which words them for people.
func newFlags(c *command) *pflag.FlagSet {
	fl := pflag.NewFlagSet(c.path(), pflag.ContinueOnError)
	fl.SetOutput(io.Discard)
	fl.Usage = func() {}
	return fl
}

// parseFlags parses args; done reports that the command must return code
// now: help was asked for (printed, exit 0), or a flag was wrong (one
// line naming it, exit 2).
func parseFlags(env *cliEnv, c *command, fl *pflag.FlagSet, args []string) (code int, done bool) {
	err := fl.Parse(args)
	switch {
	case err == nil:
		return 0, false
	case errors.Is(err, pflag.ErrHelp):
		fmt.Fprintln(env.stdout, c.usage)
		return exitOK, true
	}
	return usageError(env, c, "%s", flagError(fl, err)), true
}

// usageError prints one line about a usage mistake, and where help is.
func usageError(env *cliEnv, c *command, format string, args ...any) int {
	fmt.Fprintf(env.stderr, "busdrill %s: %s\nRun 'busdrill help %s' for usage.\n", c.path(), fmt.Sprintf(format, args...), c.path())
	return exitUsage
}

// flagError words a pflag error for people: the flag, the value as typed
// (clipped), and what the flag takes, with a suggestion for a mistyped
// flag name.
func flagError(fl *pflag.FlagSet, err error) string {
	var (
		notExist *pflag.NotExistError
		required *pflag.ValueRequiredError
		invalid  *pflag.InvalidValueError
		syntax   *pflag.InvalidSyntaxError
	)
	switch {
	case errors.As(err, &invalid):
		f := invalid.GetFlag()
		return fmt.Sprintf("--%s: %q is not %s", f.Name, clip(invalid.GetValue(), 40), flagTakes(f))
	case errors.As(err, &required):
		f := required.GetFlag()
		return fmt.Sprintf("--%s needs a value (%s)", f.Name, flagTakes(f))
	case errors.As(err, &notExist):
		name := notExist.GetSpecifiedName()
		var names []string
		fl.VisitAll(func(f *pflag.Flag) { names = append(names, f.Name) })
		if notExist.GetSpecifiedShortnames() != "" {
			return fmt.Sprintf("unknown flag -%s", clip(name, 40))
		}
		return fmt.Sprintf("unknown flag --%s%s", clip(name, 40), didYouMean(name, names))
	case errors.As(err, &syntax):
		return fmt.Sprintf("bad flag syntax %q", clip(syntax.GetSpecifiedFlag(), 40))
	}
	return clip(err.Error(), 200)
}

// flagTakes says what kind of value a flag takes.
func flagTakes(f *pflag.Flag) string {
	switch f.Value.Type() {
	case "uint64", "uint", "uint32":
		return "a whole number ≥ 0"
	case "int", "int64", "int32":
		return "a whole number"
	case "float64":
		return "a number"
	case "bool":
		return "true or false"
	case "duration":
		return "a duration such as 30s or 5m"
	}
	return "a valid value"
}

// clip shortens s for an error message: a value echoed back is for
// recognising it, and a 10 MB argument must not become a 10 MB line.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && s[cut]&0xC0 == 0x80 { // do not split a UTF-8 sequence
		cut--
	}
	return fmt.Sprintf("%s… (%d bytes)", s[:cut], len(s))
}
