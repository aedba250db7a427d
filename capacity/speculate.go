package capacity

import (
	"context"
	"sync"
)

// A next step's search knows its first two rates in advance (HintPair:
// just below and just above the rate the headroom predicts), and each is
// a probe of several seconds at a high rate. The second runs on another
// core while the first runs: if the search then asks for it (the first
// passed), its result is ready; if not, it is dropped. The answer is the
// same either way: a probe is a pure function of the scenario and the
// rate, and the search asks for rates in the same order.
type speculation struct {
	rate   float64
	cancel context.CancelFunc
	done   chan struct{}
	once   sync.Once
	r      *run
	err    error
}

// speculate starts the probe at the second rate of cfg's hint pair.
func speculate(ctx context.Context, subj *Subject, cfg SearchConfig) *speculation {
	_, second := HintPair(cfg)
	ctx, cancel := context.WithCancel(ctx)
	s := &speculation{rate: second, cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(s.done)
		s.r, s.err = subj.probe(ctx, second)
	}()
	return s
}

// probe is subj.probe at rate, served by the speculation when it ran
// that rate (a nil speculation serves nothing).
func (s *speculation) probe(ctx context.Context, subj *Subject, rate float64) (*run, error) {
	if s == nil || rate != s.rate {
		return subj.probe(ctx, rate)
	}
	used := false
	s.once.Do(func() { used = true })
	if !used {
		return subj.probe(ctx, rate)
	}
	<-s.done
	if s.err != nil && ctx.Err() == nil {
		// Stopped for another reason than ours: run it again here.
		return subj.probe(ctx, rate)
	}
	return s.r, s.err
}

// wait stops the speculative probe if it is still running and nobody
// asked for it, and waits for its goroutine.
func (s *speculation) wait() {
	if s == nil {
		return
	}
	s.once.Do(s.cancel)
	<-s.done
	s.cancel()
}
