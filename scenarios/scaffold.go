package scenarios

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/busdrill/busdrill/topology"
	"github.com/busdrill/busdrill/units"
)

// ScaffoldOptions configure Scaffold.
type ScaffoldOptions struct {
	// Name is the scenario's name; "" means "imported".
	Name string
	// Comments are written at the top, each line after "# ".
	Comments []string
	// TopologyOnly writes the topology section alone.
	TopologyOnly bool
}

// Scaffold traffic: small, so the first run of an imported topology takes
// a moment; the user edits it into the experiment they want.
const (
	scaffoldRate     = "10/s"
	scaffoldDuration = "1m"
)

// Scaffold writes a complete scenario around a topology, as busdrill
// topology import prints it: the topology in the full form (handlers
// declared), a service stand-in playing each handler (a sink: it consumes
// and publishes nothing until the user says what it emits), a small
// traffic section publishing orders to the bus most accounts publish to,
// and expectations that hold for a sound topology (the ledger balances,
// nothing is lost). The result is loaded before it is returned: it
// validates, or Scaffold fails with the loader's report.
func Scaffold(t *topology.Topology, o ScaffoldOptions) ([]byte, error) {
	if len(t.Buses) == 0 {
		return nil, errors.New("the topology has no event bus (no bus, rule or bus policy was found): there is no backbone to write a scenario around")
	}
	if o.Name == "" {
		o.Name = "imported"
	}
	f := File{
		Name: o.Name,
		Description: "A scenario around an imported topology. Say what each service does\n" +
			"(processing, emit, relay), shape the traffic, and state the\n" +
			"expectations of the experiment.\n",
		Seed:     1,
		Topology: fullSpec(t),
	}
	seen := map[string]bool{}
	var shared []string
	for _, h := range t.Handlers {
		if seen[h.Name] {
			shared = append(shared, h.Ref())
			continue
		}
		seen[h.Name] = true
		f.Services = append(f.Services, ServiceSpec{Name: h.Name, Account: h.Account})
	}
	bus, origin := trafficBus(t)
	rate, _ := units.ParseRate(scaffoldRate)
	dur, _ := units.ParseDuration(scaffoldDuration)
	f.Traffic = TrafficSpec{Rate: rate, Duration: dur, Bus: bus, Origins: []OriginSpec{{Account: origin}}}
	f.Expect = []ExpectSpec{{That: "ledger.balanced"}, {That: "loss == 0"}}

	comments := o.Comments
	if len(shared) > 0 {
		comments = append(comments, "", "These handlers share a name with another account's and have no service stand-in",
			"(service names are unique); they run with the model's default handler: "+strings.Join(shared, ", "))
	}
	full, err := encodeWithComments(comments, &f)
	if err != nil {
		return nil, err
	}
	if _, err := Load(o.Name+".yaml", full, LoadOptions{}); err != nil {
		return nil, fmt.Errorf("the scaffolded scenario does not load: %w", err)
	}
	if !o.TopologyOnly {
		return full, nil
	}
	return encodeWithComments(comments, &struct {
		Topology TopologySpec `yaml:"topology"`
	}{f.Topology})
}

func encodeWithComments(comments []string, v any) ([]byte, error) {
	var buf bytes.Buffer
	for _, c := range comments {
		if c == "" {
			buf.WriteString("#\n")
			continue
		}
		buf.WriteString("# " + c + "\n")
	}
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// trafficBus picks where the scaffold's orders go, and who sends them: the
// hub (the bus that forwards to the most other accounts and accepts other
// accounts' events), else the first bus other accounts may publish to,
// else the first bus; the sender is the first account, other than the
// bus's owner, that its policy allows (else the owner).
func trafficBus(t *topology.Topology) (bus, origin string) {
	x := topology.NewIndex(t)
	best, bestScore := -1, -1
	for i := range t.Buses {
		b := &t.Buses[i]
		owner, _ := x.Account(b.Account)
		senders := 0
		for j := range t.Accounts {
			if j != owner && topology.PolicyAllows(b.Policy, &t.Accounts[owner], &t.Accounts[j]) {
				senders++
			}
		}
		dests := map[string]bool{}
		for _, r := range b.Rules {
			for _, tg := range r.Targets {
				if a, _, ok := topology.SplitRef(tg.Bus); ok && tg.Kind == topology.KindBus && a != b.Account {
					dests[a] = true
				}
			}
		}
		score := 0
		switch {
		case senders > 0 && len(dests) > 0:
			score = 2 + len(dests)
		case senders > 0:
			score = 1
		}
		if score > bestScore {
			best, bestScore = i, score
		}
	}
	if best < 0 {
		if len(t.Accounts) > 0 {
			return "", t.Accounts[0].Name
		}
		return "", ""
	}
	b := &t.Buses[best]
	owner, _ := x.Account(b.Account)
	for j := range t.Accounts {
		if j != owner && topology.PolicyAllows(b.Policy, &t.Accounts[owner], &t.Accounts[j]) {
			return b.Ref(), t.Accounts[j].Name
		}
	}
	return b.Ref(), b.Account
}
