package main

import (
	"fmt"
	"runtime"

	"github.com/busdrill/busdrill/internal/version"
)

var versionCmd = &command{
	name:    "version",
	summary: "print the busdrill version",
	usage:   "Usage: busdrill version\n\nPrints busdrill's version, the Go version it was built with, and the platform.",
}

func init() {
	versionCmd.run = func(env *cliEnv, args []string) int {
		if code, done := parseFlags(env, versionCmd, newFlags(versionCmd), args); done {
			return code
		}
		if len(args) > 0 {
			return usageError(env, versionCmd, "takes no arguments")
		}
		fmt.Fprintf(env.stdout, "busdrill %s (%s, %s/%s)\n", version.String(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
		return exitOK
	}
	register(versionCmd)
}
