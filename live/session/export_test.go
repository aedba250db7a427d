package session

import (
	"context"

	"github.com/busdrill/busdrill/live/schedule"
)

// WithChaos replaces the scenario's fault schedule of a run with chaos,
// which acts mid-run with the schedule's Env: the tests' way to make
// changes at moments of their choosing.
func WithChaos(o *Options, chaos func(ctx context.Context, env *schedule.Env) error) { o.chaos = chaos }
