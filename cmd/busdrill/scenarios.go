package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/busdrill/busdrill/internal/yamlstrict"
	"github.com/busdrill/busdrill/scenarios"
)

const scenariosUsage = `Usage: busdrill scenarios <list|show|validate|schema> [arguments]

  list              the built-in scenario library, one line each
  show SCENARIO     the scenario with its topology written out in full (the
                    reference shorthand expanded into accounts, buses,
                    policies, rules and targets)
  validate FILE...  check scenario files; every problem is reported at its
                    file, line and column with the field path
  schema            the JSON Schema of the scenario format, for editors

SCENARIO is a file or the name of a built-in scenario.
Exit status: 0 all good, 2 an invalid scenario or bad usage.`

func init() {
	register(&command{name: "scenarios", summary: "list, show, validate scenarios; print the format's JSON Schema", usage: scenariosUsage, run: runScenarios})
}

func runScenarios(env *cliEnv, args []string) int {
	if len(args) == 0 {
		fmt.Fprintln(env.stderr, scenariosUsage)
		return exitUsage
	}
	sub, rest := args[0], args[1:]
	switch sub {
	case "list":
		if len(rest) > 0 {
			fmt.Fprintln(env.stderr, "busdrill scenarios list: takes no arguments")
			return exitUsage
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
	case "show":
		if len(rest) != 1 {
			fmt.Fprintln(env.stderr, "busdrill scenarios show: give one scenario")
			return exitUsage
		}
		s, err := loadScenario(rest[0])
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
	case "validate":
		if len(rest) == 0 {
			fmt.Fprintln(env.stderr, "busdrill scenarios validate: give one or more files")
			return exitUsage
		}
		bad := 0
		for _, f := range rest {
			if _, err := scenarios.LoadFile(f); err != nil {
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
	case "schema":
		b, err := scenarios.Schema()
		if err != nil {
			fmt.Fprintln(env.stderr, err)
			return exitUsage
		}
		env.stdout.Write(b)
		return exitOK
	}
	fmt.Fprintf(env.stderr, "busdrill scenarios: unknown subcommand %q\n%s\n", sub, scenariosUsage)
	return exitUsage
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
