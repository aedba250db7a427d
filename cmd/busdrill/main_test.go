package main

import (
	"flag"
	"os"
	"os/exec"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files of the CLI tests")

// cliEnvVar makes the test binary behave as busdrill itself: tests that
// need a real process (signals, exit codes, peak memory) run it again
// with this variable set and busdrill's arguments.
const cliEnvVar = "BUSDRILL_TEST_AS_CLI"

func TestMain(m *testing.M) {
	if os.Getenv(cliEnvVar) == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// cliCommand is busdrill as a child process (the test binary, see
// TestMain), in dir, with args.
func cliCommand(t *testing.T, dir string, args ...string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), cliEnvVar+"=1")
	return cmd
}
