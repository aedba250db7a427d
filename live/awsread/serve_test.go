package awsread

import (
	"context"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/busdrill/busdrill/internal/motoserver"
	"github.com/busdrill/busdrill/live/config"
	"github.com/busdrill/busdrill/scenarios"
	"github.com/busdrill/busdrill/serve"
	"github.com/busdrill/busdrill/topology"
	"github.com/busdrill/busdrill/topology/lint"
)

// TestImportRoundTripThroughServe: a scenario deployed into busdrill serve
// (which creates every kind of resource, log and handler targets included)
// imports back to the scenario's topology, through the read-only calls
// alone. What the read-only calls cannot see is left out of the
// comparison and said here: archives (ListArchives is not among them).
func TestImportRoundTripThroughServe(t *testing.T) {
	motoserver.IsolateAWSEnv(t)
	for _, name := range []string{"reference", "autonomous-subsystems", "hop-limit-chain", "event-age-exhausted-with-dlq", "dlq-redrive"} {
		t.Run(name, func(t *testing.T) {
			sc, err := scenarios.Builtin(name)
			if err != nil {
				t.Fatal(err)
			}
			srv, err := serve.New(serve.Options{Listen: "127.0.0.1:0", Scenario: sc})
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			if err := srv.Start(ctx); err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			cfg := config.Rehearsal(sc.Topology)
			cfg.EndpointURL = srv.URL()
			res, err := Import(ctx, cfg, Options{OrgID: sc.Topology.Accounts[0].OrgID,
				Credentials: credentials.NewStaticCredentialsProvider("AKIAROUNDTRIP", "secret", "")})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Problems) > 0 {
				t.Fatalf("problems %v", res.Problems)
			}
			// The lint finds the same problems in the deployed backbone as
			// in the scenario (the serve-deployed hop-limit chain's
			// refused hop, the autonomous subsystems' self-delivery, ...).
			if g, w := findings(lint.Run(lint.FromImport(res, "serve"))), findings(lint.Run(lint.Input{Topology: sc.Topology})); !slices.Equal(g, w) {
				t.Errorf("lint of the import: %v\nlint of the scenario: %v", g, w)
			}
			got, want := *res.Topology, *sc.Topology
			want.Archives = nil
			normalize(&got)
			normalize(&want)
			if !reflect.DeepEqual(got, want) {
				g, _ := json.MarshalIndent(got, "", " ")
				w, _ := json.MarshalIndent(want, "", " ")
				t.Errorf("the topology read back from serve differs (notes %v):\n--- got\n%s\n--- want\n%s", res.Notes, g, w)
			}
		})
	}
}

// normalize writes what means the same one way: the order the API lists
// things in (accounts by id, buses, rules, queues and handlers by name),
// a rule's default state, the default Region.
func normalize(t *topology.Topology) {
	t.Region = t.RegionOrDefault()
	slices.SortFunc(t.Accounts, func(a, b topology.Account) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(t.Queues, func(a, b topology.Queue) int { return strings.Compare(a.Ref(), b.Ref()) })
	slices.SortFunc(t.Handlers, func(a, b topology.Handler) int { return strings.Compare(a.Ref(), b.Ref()) })
	slices.SortFunc(t.Buses, func(a, b topology.Bus) int { return strings.Compare(a.Ref(), b.Ref()) })
	for i := range t.Buses {
		b := &t.Buses[i]
		slices.SortFunc(b.Rules, func(x, y topology.Rule) int { return strings.Compare(x.Name, y.Name) })
		slices.SortFunc(b.Policy, func(x, y topology.Statement) int { return strings.Compare(x.Sid, y.Sid) })
		for j := range b.Rules {
			if b.Rules[j].State == "" {
				b.Rules[j].State = topology.Enabled
			}
		}
	}
}

// findings lists a report's findings as check@resource, sorted, leaving
// out what only one of the two sources can know (redrive plans, queue
// facts, import notes).
func findings(r *lint.Report) []string {
	var out []string
	for _, f := range r.Findings {
		switch f.Check {
		case "dlq-no-redrive", "queue-unusable", "not-imported":
			continue
		}
		out = append(out, f.Check+"@"+f.Resource)
	}
	slices.Sort(out)
	return out
}
