// Command busdrill drills cross-account Amazon EventBridge backbones: it
// checks event patterns, simulates a backbone in virtual time from a seed,
// drives load and faults, and measures latency, loss and idempotency.
//
// Each command lives in its own file and registers itself in commands
// (cli.go holds the dispatcher, help and flag parsing every command
// shares). The files are thin: parse flags, call the packages, print, and
// return an exit code. Exit codes are a contract (see exitcode.go).
package main

import (
	"io"
	"os"
)

// cliEnv is the process environment a command may touch. Tests run
// commands in-process with buffers in place of the standard streams.
type cliEnv struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	// getenv reads an environment variable.
	getenv func(string) string
}

func main() {
	env := &cliEnv{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}
	os.Exit(run(env, os.Args[1:]))
}
