// Command busdrill drills cross-account Amazon EventBridge backbones: it
// checks event patterns, simulates a backbone in virtual time from a seed,
// drives load and faults, and measures latency, loss and idempotency.
//
// Each subcommand lives in its own file and registers itself in commands.
// The files are thin: parse flags, call the packages, print, and return an
// exit code. Exit codes are a contract (see exitcode.go).
package main

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// command is one subcommand of busdrill. A command that has subcommands of
// its own (pattern test, scenarios validate) dispatches them itself.
type command struct {
	name    string
	summary string
	// usage is the full help text printed by `busdrill help NAME`.
	usage string
	run   func(env *cliEnv, args []string) int
}

// cliEnv is the process environment a command may touch. Tests run
// commands in-process with buffers in place of the standard streams.
type cliEnv struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	// getenv reads an environment variable.
	getenv func(string) string
}

var commands = map[string]*command{}

func register(c *command) {
	if _, dup := commands[c.name]; dup {
		panic("busdrill: command registered twice: " + c.name)
	}
	commands[c.name] = c
}

func main() {
	env := &cliEnv{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}
	os.Exit(run(env, os.Args[1:]))
}

// run dispatches args to a subcommand and returns the process exit code.
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
		fmt.Fprintf(env.stderr, "busdrill: unknown command %q\n", name)
		if s := suggest(name); s != "" {
			fmt.Fprintf(env.stderr, "Did you mean %q?\n", s)
		}
		fmt.Fprintln(env.stderr, "Run 'busdrill help' for the list of commands.")
		return exitUsage
	}
	return c.run(env, args[1:])
}

func sortedCommands() []*command {
	out := make([]*command, 0, len(commands))
	for _, c := range commands {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

func printUsage(w io.Writer) {
	fmt.Fprint(w, "busdrill drills cross-account Amazon EventBridge event backbones.\n\nUsage:\n  busdrill <command> [arguments]\n\nCommands:\n")
	for _, c := range sortedCommands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, "\nRun 'busdrill help <command>' for details on a command.\n")
}

// suggest returns the registered command closest to a mistyped name, or "".
func suggest(name string) string {
	for _, c := range sortedCommands() {
		if strings.HasPrefix(c.name, name) || strings.HasPrefix(name, c.name) {
			return c.name
		}
	}
	return ""
}
