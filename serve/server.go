package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/busdrill/busdrill/internal/clock"
	"github.com/busdrill/busdrill/scenarios"
	"github.com/busdrill/busdrill/serve/wire"
)

// Options configure a server.
type Options struct {
	// Listen is the address, host:port; "" is DefaultListen. Only
	// loopback addresses are accepted unless AllowNonLoopback.
	Listen           string
	AllowNonLoopback bool
	// Region every resource lives in; "" is the scenario's, else
	// us-east-1.
	Region string
	// ControlPlaneLag is how long rule, target and policy changes take to
	// reach the data plane (0 for tests).
	ControlPlaneLag time.Duration
	// Seed derives the model's random streams (default: the scenario's).
	Seed    uint64
	SeedSet bool
	// Accounts maps access keys to accounts (nil: the default rules only).
	Accounts *Accounts
	// Scenario, when set, is preloaded: its topology, its services'
	// stand-ins (see StandIns) and its fault schedule (see Faults).
	Scenario *scenarios.Scenario
	// StandIns plays the scenario's services in their Lambda-like handler
	// targets (for clients that only observe: busdrill run
	// --observe-only, your own consumers).
	StandIns bool
	// Faults selects which of the scenario's faults serve injects on the
	// wall clock: FaultsBackbone (default), FaultsAll or FaultsNone.
	Faults string
	// FaultClock says when the fault schedule's time 0 is: FaultClockTraffic
	// (default, the first order of a busdrill run) or FaultClockStart.
	FaultClock string
	// Clock is the wall clock (nil: the real one); tests use a clock.Manual.
	Clock clock.Clock
	// Log receives one line per notable event (faults applied).
	Log io.Writer
	// AccessLog, when set, receives one line per API call, at the
	// model's instant of the call: "TIME SERVICE OPERATION ACCOUNT CODE"
	// (TIME RFC 3339 with nanoseconds, CODE "-" for success).
	AccessLog io.Writer
}

// DefaultListen is serve's default address.
const DefaultListen = "127.0.0.1:4566"

// MaxRequestBytes bounds a request body: PutEvents' 1 MiB of entries and
// SQS's 1 MiB messages, with the protocols' overhead.
const MaxRequestBytes = 4 << 20

// Server is a running busdrill serve.
type Server struct {
	opts Options
	ln   net.Listener
	http *http.Server
	loop *loop
	b    *backend

	cancel context.CancelFunc
	wg     sync.WaitGroup
	logMu  sync.Mutex
}

// access writes one access-log line.
func (s *Server) access(at time.Time, service, op, account string, err *apiError) {
	if s.opts.AccessLog == nil {
		return
	}
	code := "-"
	if err != nil {
		code = err.Code
	}
	s.logMu.Lock()
	fmt.Fprintf(s.opts.AccessLog, "%s %s %s %s %s\n", at.UTC().Format(time.RFC3339Nano), service, op, account, code)
	s.logMu.Unlock()
}

// New builds a server and its backend (preloading the scenario) without
// listening yet.
func New(opts Options) (*Server, error) {
	if opts.Listen == "" {
		opts.Listen = DefaultListen
	}
	if err := checkListen(opts.Listen, opts.AllowNonLoopback); err != nil {
		return nil, err
	}
	if opts.Clock == nil {
		opts.Clock = clock.Wall
	}
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	switch opts.Faults {
	case "":
		opts.Faults = FaultsBackbone
	case FaultsBackbone, FaultsAll, FaultsNone:
	default:
		return nil, fmt.Errorf("faults %q: want backbone, all or none", opts.Faults)
	}
	switch opts.FaultClock {
	case "":
		opts.FaultClock = FaultClockTraffic
	case FaultClockTraffic, FaultClockStart:
	default:
		return nil, fmt.Errorf("fault clock %q: want traffic or start", opts.FaultClock)
	}
	start := opts.Clock.Now()
	b, err := preload(&opts, start)
	if err != nil {
		return nil, err
	}
	s := &Server{opts: opts, b: b, loop: newLoop(b, opts.Clock, start)}
	s.http = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	return s, nil
}

// checkListen refuses a non-loopback address unless allowed.
func checkListen(addr string, allow bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--listen %q: %v", addr, err)
	}
	if allow {
		return nil
	}
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("--listen %q is not a loopback address; serve has no authentication: pass --allow-non-loopback to listen there anyway", addr)
	}
	return nil
}

// Start listens and serves until Close or ctx ends.
func (s *Server) Start(ctx context.Context) error {
	ln, err := net.Listen("tcp", s.opts.Listen)
	if err != nil {
		return err
	}
	s.ln = ln
	lctx, cancel := context.WithCancel(ctx)
	s.cancel = cancel
	s.wg.Add(2)
	go func() {
		defer s.wg.Done()
		s.loop.run(lctx)
	}()
	go func() {
		defer s.wg.Done()
		if err := s.http.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintf(s.opts.Log, "serve: %v\n", err)
		}
	}()
	return nil
}

// Addr is the address the server listens on (the real port of :0).
func (s *Server) Addr() string { return s.ln.Addr().String() }

// URL is the endpoint URL, http://ADDR.
func (s *Server) URL() string { return "http://" + s.Addr() }

// Close stops the server: the HTTP server first (answering what is under
// way), then the loop.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if s.cancel != nil {
		s.cancel() // ends long polls, so that Shutdown does not wait 20 s
	}
	err := s.http.Shutdown(ctx)
	s.wg.Wait()
	return err
}

// ServeHTTP routes a request: /_busdrill/... to the control endpoints,
// X-Amz-Target AWSEvents.* and AmazonSQS.* to EventBridge and SQS, a
// form with Action= to STS.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/_busdrill/") {
		s.control(w, r)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxRequestBytes))
	if err != nil {
		wire.WriteJSONError(w, wire.JSON11, "", "", &wire.Error{Code: "RequestEntityTooLarge", Message: "The request is larger than " + fmt.Sprint(MaxRequestBytes) + " bytes.", Status: 413})
		return
	}
	prefix, op, isJSON := wire.Target(r)
	switch {
	case isJSON && prefix == "AWSEvents":
		s.serveJSON(w, r, "events", op, body, eventsOps, wire.JSON11, "")
	case isJSON && prefix == "AmazonSQS":
		s.serveJSON(w, r, "sqs", op, body, sqsOps, wire.JSON10, "com.amazonaws.sqs")
	case isJSON:
		wire.WriteJSONError(w, wire.JSON11, "", "", wire.UnknownOperation(prefix+"."+op))
	default:
		s.serveQuery(w, r, body)
	}
}

// caller reads who signed the request.
func (s *Server) caller(r *http.Request) (caller, bool) {
	cred, ok := wire.Credential(r)
	if !ok {
		return caller{}, false
	}
	return caller{account: s.opts.Accounts.Account(cred.AccessKey), key: cred.AccessKey, host: r.Host}, true
}

func (s *Server) serveJSON(w http.ResponseWriter, r *http.Request, service, op string, body []byte, ops map[string]operation, ct, ns string) {
	c, signed := s.caller(r)
	if !signed {
		wire.WriteJSONError(w, ct, "", ns, wire.MissingAuth())
		return
	}
	o, ok := ops[op]
	if !ok {
		wire.WriteJSONError(w, ct, "", ns, wire.UnknownOperation(op))
		return
	}
	in, derr := o.decode(body)
	var out any
	var aerr *apiError
	var reqID string
	var at time.Time
	if derr != nil {
		aerr = derr
	}
	ctx := r.Context()
	done := s.loop.do(ctx, func(b *backend, reply func()) {
		reqID, at = b.requestID(), b.wall()
		if aerr == nil {
			aerr = b.full()
		}
		if aerr != nil {
			b.count(service, op, aerr.Code)
			reply()
			return
		}
		replied := false
		o.run(b, c, in, func() bool { return ctx.Err() == nil }, func(x any, e *apiError) {
			if replied {
				return
			}
			replied = true
			out, aerr = x, e
			code := ""
			if e != nil {
				code = e.Code
			}
			b.count(service, op, code)
			reply()
		})
	})
	if !done {
		if ctx.Err() == nil {
			wire.WriteJSONError(w, ct, reqID, ns, &wire.Error{Code: "ServiceUnavailable", Message: "busdrill serve is shutting down.", Status: 503, Receiver: true})
		}
		return
	}
	s.access(at, service, op, c.account, aerr)
	if aerr != nil {
		wire.WriteJSONError(w, ct, reqID, ns, aerr)
		return
	}
	enc, err := marshalJSON(out)
	if err != nil {
		wire.WriteJSONError(w, ct, reqID, ns, internalError(err))
		return
	}
	wire.WriteJSON(w, ct, reqID, enc)
}

func (s *Server) serveQuery(w http.ResponseWriter, r *http.Request, body []byte) {
	form, err := url.ParseQuery(string(body))
	if err != nil || r.Method == http.MethodGet {
		form = r.URL.Query()
	}
	action := form.Get("Action")
	if action == "" {
		wire.WriteXMLError(w, wire.STSNamespace, "", &wire.Error{Code: "UnknownOperationException", Message: "busdrill serve speaks EventBridge (X-Amz-Target AWSEvents.*), SQS (AmazonSQS.*) and STS (Action=...)."})
		return
	}
	c, signed := s.caller(r)
	if !signed {
		wire.WriteXMLError(w, wire.STSNamespace, "", wire.MissingAuth())
		return
	}
	if cred, _ := wire.Credential(r); cred.Service != "" && cred.Service != "sts" {
		// An old SQS client speaks the query protocol: say so plainly.
		wire.WriteXMLError(w, wire.STSNamespace, "", &wire.Error{Code: "InvalidAction",
			Message: "busdrill serve speaks the query protocol for STS only; " + cred.Service + " is served with the JSON protocol (X-Amz-Target), which current SDKs and the AWS CLI v2 use."})
		return
	}
	var out any
	var aerr *apiError
	var reqID string
	var at time.Time
	done := s.loop.do(r.Context(), func(b *backend, reply func()) {
		reqID, at = b.requestID(), b.wall()
		if aerr = b.full(); aerr == nil {
			out, aerr = runSTS(b, c, action, form)
		}
		code := ""
		if aerr != nil {
			code = aerr.Code
		}
		b.count("sts", action, code)
		reply()
	})
	if !done {
		return
	}
	s.access(at, "sts", action, c.account, aerr)
	if aerr != nil {
		wire.WriteXMLError(w, wire.STSNamespace, reqID, aerr)
		return
	}
	wire.WriteXML(w, wire.STSNamespace, action, reqID, out)
}

// Region is the Region the server's resources live in.
func (s *Server) Region() string { return s.opts.Region }
