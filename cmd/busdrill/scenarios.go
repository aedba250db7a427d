package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/busdrill/busdrill/internal/yamlstrict"
	"github.com/busdrill/busdrill/scenarios"
)

var scenariosCmd = &command{
	name:    "scenarios",
	summary: "list, show, validate scenarios; print the format's JSON Schema",
	usage: `Usage: busdrill scenarios <list|show|validate|schema> [arguments]

  list              the built-in scenario library, one line each
  show SCENARIO     the scenario with its topology written out in full (the
                    reference shorthand expanded into accounts, buses,
                    policies, rules and targets)
  validate FILE...  check scenario files; every problem is reported at its
                    file, line and column with the field path
  schema            the JSON Schema of the scenario format, for editors

SCENARIO is a file or the name of a built-in scenario.
'busdrill help scenarios SUBCOMMAND' shows a subcommand's help.
Exit status: 0 all good, 2 an invalid scenario or bad usage.`,
	subs: []*command{
		{name: "list", summary: "list the built-in scenario library", usage: `Usage: busdrill scenarios list

Prints each built-in scenario's name and the first sentence of its
description. 'busdrill run NAME' runs one; 'busdrill check' runs them all.`},
		{name: "show", summary: "print a scenario with its topology written out in full", usage: `Usage: busdrill scenarios show SCENARIO

Prints the scenario with the reference shorthand expanded into accounts,
buses, policies, rules and targets: the full form, which loads and runs
exactly like the original. SCENARIO is a file or a built-in name.`},
		{name: "validate", summary: "check scenario files and report every problem", usage: `Usage: busdrill scenarios validate FILE... [--force]

Checks each scenario file without running it. Every problem is reported
at its file, line and column with its field path, e.g.

  checkout.yaml:31:14: services[0].account: unknown account "delivry"; did you mean "delivery"?

A scenario whose plan exceeds busdrill's ceilings (see 'busdrill help
run', --dry-run) is invalid unless --force is given.

Exit status: 0 every file is valid, 2 a file is invalid.`},
		{name: "schema", summary: "print the scenario format's JSON Schema", usage: `Usage: busdrill scenarios schema

Prints the JSON Schema of the scenario format (docs/scenario.schema.json),
for editors: add "# yaml-language-server: $schema=PATH" to a scenario.`},
	},
}

func init() {
	scenariosCmd.subs[0].run = runScenariosList
	scenariosCmd.subs[1].run = runScenariosShow
	scenariosCmd.subs[2].run = runScenariosValidate
	scenariosCmd.subs[3].run = runScenariosSchema
	register(scenariosCmd)
}

func runScenariosList(env *cliEnv, args []string) int {
	c := scenariosCmd.sub("list")
	if code, done := parseFlags(env, c, newFlags(c), args); done {
		return code
	}
	if len(args) > 0 {
		return usageError(env, c, "takes no arguments")
	}
	for _, name := range scenarios.Names() {
		s, err := scenarios.Builtin(name)
		if err != nil {
			fmt.Fprintf(env.stderr, "%s: %v\n", name, err)
			return exitUsage
		}
		fmt.Fprintf(env.stdout, "%-28s %s\n", name, firstSentence(s.Description))
	}
	return exitOK
}

func runScenariosShow(env *cliEnv, args []string) int {
	c := scenariosCmd.sub("show")
	fl := newFlags(c)
	if code, done := parseFlags(env, c, fl, args); done {
		return code
	}
	if fl.NArg() != 1 {
		return usageError(env, c, "give one scenario")
	}
	s, err := loadScenario(fl.Arg(0), scenarios.LoadOptions{Force: true})
	if err != nil {
		fmt.Fprintln(env.stderr, err)
		return exitUsage
	}
	out, err := s.Expanded()
	if err != nil {
		fmt.Fprintln(env.stderr, err)
		return exitUsage
	}
	env.stdout.Write(out)
	return exitOK
}

func runScenariosValidate(env *cliEnv, args []string) int {
	c := scenariosCmd.sub("validate")
	fl := newFlags(c)
	force := fl.Bool("force", false, "")
	if code, done := parseFlags(env, c, fl, args); done {
		return code
	}
	if fl.NArg() == 0 {
		return usageError(env, c, "give one or more files")
	}
	bad := 0
	for _, f := range fl.Args() {
		if _, err := scenarios.LoadFile(f, scenarios.LoadOptions{Force: *force}); err != nil {
			bad++
			fmt.Fprintln(env.stderr, err)
			var es yamlstrict.Errors
			if errors.As(err, &es) {
				fmt.Fprintf(env.stderr, "%s: %d problem%s\n", f, len(es), plural(len(es)))
			}
			continue
		}
		fmt.Fprintf(env.stdout, "%s: ok\n", f)
	}
	if bad > 0 {
		return exitUsage
	}
	return exitOK
}

func runScenariosSchema(env *cliEnv, args []string) int {
	c := scenariosCmd.sub("schema")
	if code, done := parseFlags(env, c, newFlags(c), args); done {
		return code
	}
	if len(args) > 0 {
		return usageError(env, c, "takes no arguments")
	}
	b, err := scenarios.Schema()
	if err != nil {
		fmt.Fprintln(env.stderr, err)
		return exitUsage
	}
	env.stdout.Write(b)
	return exitOK
}

// firstSentence returns the first sentence of a description, on one line.
func firstSentence(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if i := strings.Index(s, ". "); i >= 0 {
		return s[:i+1]
	}
	return s
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
