package main

import "fmt"

func init() {
	register(&command{
		name:    "help",
		summary: "show help for busdrill or one of its commands",
		usage:   "Usage: busdrill help [command]",
		run:     runHelp,
	})
}

func runHelp(env *cliEnv, args []string) int {
	if len(args) == 0 {
		printUsage(env.stdout)
		return exitOK
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(env.stderr, "busdrill help: unknown command %q\n", args[0])
		return exitUsage
	}
	fmt.Fprintf(env.stdout, "busdrill %s: %s\n\n%s\n", c.name, c.summary, c.usage)
	return exitOK
}
