package main

import (
	"fmt"
	"runtime"

	"github.com/busdrill/busdrill/internal/version"
)

func init() {
	register(&command{
		name:    "version",
		summary: "print the busdrill version",
		usage:   "Usage: busdrill version",
		run: func(env *cliEnv, args []string) int {
			fmt.Fprintf(env.stdout, "busdrill %s (%s, %s/%s)\n", version.String(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
			return exitOK
		},
	})
}
