package main

import "fmt"

func init() {
	register(&command{
		name:    "help",
		summary: "show help for busdrill or one of its commands",
		usage: `Usage: busdrill help [COMMAND [SUBCOMMAND]]

Prints the help of a command or subcommand ('busdrill help aws plan'),
the same as 'busdrill COMMAND [SUBCOMMAND] --help' or '-h'. Without a
command, lists them all.`,
		run: runHelp,
	})
}

func runHelp(env *cliEnv, args []string) int {
	if len(args) == 0 {
		printUsage(env.stdout)
		return exitOK
	}
	switch args[0] {
	case "-h", "--help":
		return printHelp(env, commands["help"], nil)
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(env.stderr, "busdrill help: unknown command %q%s\n", clip(args[0], 40), didYouMean(args[0], commandNames()))
		return exitUsage
	}
	return printHelp(env, c, args[1:])
}
