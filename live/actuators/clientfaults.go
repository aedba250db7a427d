package actuators

import (
	"context"
	"math/rand/v2"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
	"github.com/busdrill/busdrill/event"
)

// ClientFaults injects faults into PutEvents on the client side, through
// smithy middleware on the SDK clients: nothing in the account changes,
// so nothing is journaled, and what the publisher experiences is what
// production clients would.
//
//   - Throttle (whole calls): with probability ThrottleCalls a PutEvents
//     call fails with ThrottlingException (HTTP 400) before it is sent.
//     The middleware sits inside the SDK's retry loop, so the retryer
//     backs off and retries exactly as it would for AWS's own throttling,
//     and spends its retry quota.
//   - Throttle (entries): with probability ThrottleEntries each entry
//     fails with ErrorCode ThrottlingException in a partial failure; the
//     other entries are sent. The publisher resends the failed ones.
//   - Duplicates: with probability Duplicate a successful call is made a
//     second time with the same entries, as a client retry of a request
//     that had in fact succeeded does: every entry is published twice,
//     under two event ids.
//
// Set the probabilities at any time (the chaos schedule does); zero turns
// a fault off. Draws come from a PCG seeded with Seed.
type ClientFaults struct {
	mu                                        sync.Mutex
	throttleCalls, throttleEntries, duplicate float64
	r                                         *rand.Rand
	// Counters.
	ThrottledCalls, ThrottledEntries, Duplicated int64
}

// NewClientFaults returns faults that are all off.
func NewClientFaults(seed uint64) *ClientFaults {
	return &ClientFaults{r: rand.New(rand.NewPCG(seed, 0x6275736472696c6c))}
}

// Set sets the three probabilities.
func (f *ClientFaults) Set(throttleCalls, throttleEntries, duplicate float64) {
	f.mu.Lock()
	f.throttleCalls, f.throttleEntries, f.duplicate = throttleCalls, throttleEntries, duplicate
	f.mu.Unlock()
}

// Probabilities returns the probabilities in force.
func (f *ClientFaults) Probabilities() (throttleCalls, throttleEntries, duplicate float64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.throttleCalls, f.throttleEntries, f.duplicate
}

// Off turns every fault off.
func (f *ClientFaults) Off() { f.Set(0, 0, 0) }

// Counts returns the counters.
func (f *ClientFaults) Counts() (throttledCalls, throttledEntries, duplicated int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.ThrottledCalls, f.ThrottledEntries, f.Duplicated
}

func (f *ClientFaults) draw(p float64) bool {
	if p <= 0 {
		return false
	}
	return f.r.Float64() < p
}

// APIOption installs the middleware in a client's stack; add it to
// eventbridge.Options.APIOptions (see [WithFaults]).
func (f *ClientFaults) APIOption(stack *middleware.Stack) error {
	if err := stack.Initialize.Add(middleware.InitializeMiddlewareFunc("busdrill.ClientFaults",
		f.initialize), middleware.After); err != nil {
		return err
	}
	return stack.Finalize.Insert(middleware.FinalizeMiddlewareFunc("busdrill.ClientThrottle", f.finalize),
		"Retry", middleware.After)
}

// WithFaults returns a copy of an EventBridge client with the faults
// installed.
func WithFaults(c *eventbridge.Client, f *ClientFaults) *eventbridge.Client {
	opts := c.Options()
	opts.APIOptions = append(append([]func(*middleware.Stack) error(nil), opts.APIOptions...), f.APIOption)
	return eventbridge.New(opts)
}

// finalize runs inside the retry loop: whole-call throttling.
func (f *ClientFaults) finalize(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (
	middleware.FinalizeOutput, middleware.Metadata, error,
) {
	if middleware.GetOperationName(ctx) == "PutEvents" {
		f.mu.Lock()
		hit := f.draw(f.throttleCalls)
		if hit {
			f.ThrottledCalls++
		}
		f.mu.Unlock()
		if hit {
			return middleware.FinalizeOutput{}, middleware.Metadata{}, &smithy.GenericAPIError{
				Code: event.CodeThrottling, Message: "Rate exceeded (busdrill client-side fault)", Fault: smithy.FaultClient,
			}
		}
	}
	return next.HandleFinalize(ctx, in)
}

// initialize runs outside the retry loop: entry throttling and duplicates.
func (f *ClientFaults) initialize(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (
	middleware.InitializeOutput, middleware.Metadata, error,
) {
	pe, ok := in.Parameters.(*eventbridge.PutEventsInput)
	if !ok {
		return next.HandleInitialize(ctx, in)
	}
	f.mu.Lock()
	pThrottle, pDup := f.throttleEntries, f.duplicate
	var fail []bool
	nFail := 0
	if pThrottle > 0 {
		fail = make([]bool, len(pe.Entries))
		for i := range fail {
			fail[i] = f.draw(pThrottle)
			if fail[i] {
				nFail++
			}
		}
		f.ThrottledEntries += int64(nFail)
	}
	dup := f.draw(pDup)
	f.mu.Unlock()

	send := pe
	if nFail > 0 {
		cp := *pe
		cp.Entries = make([]ebtypes.PutEventsRequestEntry, 0, len(pe.Entries)-nFail)
		for i, e := range pe.Entries {
			if !fail[i] {
				cp.Entries = append(cp.Entries, e)
			}
		}
		send = &cp
	}
	var out middleware.InitializeOutput
	var md middleware.Metadata
	var sent *eventbridge.PutEventsOutput
	if len(send.Entries) > 0 {
		in.Parameters = send
		var err error
		out, md, err = next.HandleInitialize(ctx, in)
		if err != nil {
			return out, md, err
		}
		sent, _ = out.Result.(*eventbridge.PutEventsOutput)
		if dup && sent != nil {
			if _, _, err := next.HandleInitialize(ctx, in); err == nil {
				f.mu.Lock()
				f.Duplicated++
				f.mu.Unlock()
			}
		}
	}
	if nFail == 0 {
		return out, md, nil
	}
	merged := &eventbridge.PutEventsOutput{Entries: make([]ebtypes.PutEventsResultEntry, len(pe.Entries))}
	if sent != nil {
		merged.ResultMetadata = sent.ResultMetadata
		merged.FailedEntryCount = sent.FailedEntryCount
	}
	k := 0
	for i := range pe.Entries {
		if fail[i] {
			merged.Entries[i] = ebtypes.PutEventsResultEntry{ErrorCode: aws.String(event.CodeThrottling),
				ErrorMessage: aws.String("Rate exceeded (busdrill client-side fault)")}
			merged.FailedEntryCount++
			continue
		}
		if sent != nil && k < len(sent.Entries) {
			merged.Entries[i] = sent.Entries[k]
		}
		k++
	}
	out.Result = merged
	return out, md, nil
}
