package assemble

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/busdrill/busdrill/topology"
)

// Where locates an element of an imported topology in what it was
// imported from: a place in a template (file, line, column, template path
// and logical id), or a deployed resource (its ARN).
type Where struct {
	File      string `json:"file,omitempty"`
	Line      int    `json:"line,omitempty"`
	Col       int    `json:"column,omitempty"`
	Path      string `json:"path,omitempty"`
	LogicalID string `json:"logical_id,omitempty"`
	ARN       string `json:"arn,omitempty"`
}

// IsZero reports whether w locates nothing.
func (w Where) IsZero() bool { return w == Where{} }

// String renders w for people: "BusStack.template.json:12:5 (FanOutToOrders)"
// or an ARN.
func (w Where) String() string {
	var b strings.Builder
	b.WriteString(w.File)
	if w.Line > 0 {
		b.WriteString(":" + strconv.Itoa(w.Line) + ":" + strconv.Itoa(w.Col))
	}
	if w.LogicalID != "" {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString("(" + w.LogicalID + ")")
	}
	if w.ARN != "" {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(w.ARN)
	}
	return b.String()
}

// Severities of notes (the lint's names: notes become findings).
const (
	// Warning: deliveries the topology leaves out, or a rule or policy
	// that means more or less than what was imported (a target type
	// busdrill does not model, a policy condition it ignores).
	Warning = "warning"
	// Info: what changed only in form (an input transformer not
	// modelled, a statement split per principal).
	Info = "note"
)

// Note is something of the source that the topology does not carry as it
// is: named, never silently dropped or changed.
type Note struct {
	Where Where `json:"where"`
	// Resource is the topology reference it concerns, when there is one
	// ("bus/global/fan-out" for a rule).
	Resource string `json:"resource,omitempty"`
	Severity string `json:"severity"`
	Msg      string `json:"message"`
}

func (n Note) String() string {
	s := n.Where.String()
	if n.Resource != "" {
		s += " " + n.Resource
	}
	return strings.TrimSpace(s) + ": " + n.Msg
}

// Facts are what a source says beyond the topology, for the lint.
type Facts struct {
	// RedriveKnown says whether the source can show a redrive plan for
	// a dead-letter queue (templates can: a consumer or an alarm of the
	// queue; the read-only calls of a live import cannot).
	RedriveKnown bool `json:"redrive_known"`
	// Redrive maps a queue reference to what redrives it or watches it
	// (e.g. "AWS::Lambda::EventSourceMapping Redrive").
	Redrive map[string]string `json:"redrive,omitempty"`
	// Queues holds what a live import read of each queue it saw.
	Queues map[string]QueueFact `json:"queues,omitempty"`
	// Named lists, by logical id, the resources named by their logical id
	// because the template leaves their names to CloudFormation.
	Named []string `json:"named_by_logical_id,omitempty"`
}

// QueueFact is what GetQueueAttributes said about a queue.
type QueueFact struct {
	Exists bool `json:"exists"`
	FIFO   bool `json:"fifo,omitempty"`
	// Messages is ApproximateNumberOfMessages (-1 when unknown).
	Messages int `json:"messages"`
}

// Result is an imported topology with where each element came from.
type Result struct {
	Topology *topology.Topology
	// Where maps topology paths ("buses[1].rules[0].targets[2]", as
	// topology.Problem spells them) to the source of the element.
	Where map[string]Where
	// Notes are what the topology does not carry, in source order.
	Notes []Note
	// Problems are the topology's validation problems (nil when it
	// validates): an import prints nothing then, a lint reports them.
	Problems []topology.Problem
	Facts    Facts
}

// Locate returns the source of the element at a topology path: the
// longest recorded prefix of it.
func (r *Result) Locate(path string) Where {
	for p := path; p != ""; {
		if w, ok := r.Where[p]; ok {
			return w
		}
		i := strings.LastIndexAny(p, ".[")
		if i <= 0 {
			break
		}
		p = p[:i]
	}
	return Where{}
}

// ProblemsError renders the validation problems with their sources, one
// per line, for an import that cannot print an invalid topology.
func (r *Result) ProblemsError() error {
	if len(r.Problems) == 0 {
		return nil
	}
	lines := make([]string, len(r.Problems))
	for i, p := range r.Problems {
		w := r.Locate(p.Path)
		lines[i] = fmt.Sprintf("%s: %s: %s", w, p.Path, p.Msg)
		if w.IsZero() {
			lines[i] = p.String()
		}
	}
	return fmt.Errorf("the imported topology is not valid:\n%s", strings.Join(lines, "\n"))
}

// Summary is what the top of an imported scenario says: where it came
// from (sources, one line each), how to go on, what was not imported as
// the source has it, and which names are logical ids.
func (r *Result) Summary(sources []string) []string {
	c := []string{"Imported by busdrill topology import (Region " + r.Topology.RegionOrDefault() + ") from:"}
	for _, s := range sources {
		c = append(c, "  "+s)
	}
	c = append(c, "Edit the services (what each handler does and emits), the traffic and the expectations;",
		"busdrill scenarios validate checks the file, busdrill run runs it.")
	if len(r.Notes) > 0 {
		c = append(c, "", "Not imported as the source has it:")
		for _, n := range r.Notes {
			c = append(c, "  "+n.Severity+": "+n.String())
		}
	}
	if len(r.Facts.Named) > 0 {
		c = append(c, "", "Named by their logical id (CloudFormation generates the deployed names):")
		c = append(c, wrap(strings.Join(r.Facts.Named, ", "), 96, "  ")...)
	}
	return c
}

// wrap breaks text at spaces into lines of at most width characters
// (a longer word stays whole).
func wrap(text string, width int, indent string) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(text) {
		if line != "" && len(line)+1+len(w) > width {
			lines = append(lines, indent+line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	if line != "" {
		lines = append(lines, indent+line)
	}
	return lines
}
