package motoserver

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Options configure [Launch]. The zero value is the normal configuration.
type Options struct {
	// Python is the interpreter to run. Empty means $BUSDRILL_PYTHON, else
	// "python3" from PATH.
	Python string
	// StartTimeout bounds the wait for moto to answer. Zero means 20 s.
	StartTimeout time.Duration
	// Stock runs moto as shipped: busdrill's caches and its cross-account
	// PutEvents patch off (see the package doc), for measuring stock moto:
	// deliveries then cost about 200 ms per (event × target).
	Stock bool
	// LogRequests keeps werkzeug's one-line-per-request access log in the
	// captured stderr (off by default: it costs time on a small machine).
	LogRequests bool
	// LogDir is where the stderr capture file goes. Empty means os.TempDir();
	// the file is removed by Close unless KeepLog is set.
	LogDir string
	// KeepLog leaves the stderr capture file behind after Close.
	KeepLog bool
}

func (o Options) python() string {
	if o.Python != "" {
		return o.Python
	}
	if p := os.Getenv("BUSDRILL_PYTHON"); p != "" {
		return p
	}
	return "python3"
}

func (o Options) startTimeout() time.Duration {
	if o.StartTimeout > 0 {
		return o.StartTimeout
	}
	return 20 * time.Second
}

// Server is one running moto process, listening on a loopback port.
type Server struct {
	url     string
	port    int
	cmd     *exec.Cmd
	stdin   io.WriteCloser // held open: moto exits when it closes
	logPath string
	keepLog bool
	exited  chan struct{} // closed when the process has been reaped
	waitErr error         // valid after exited is closed

	closeOnce sync.Once
	closeErr  error
}

// Launch starts moto on a free 127.0.0.1 port and waits until it answers.
// The caller must call Close. ctx bounds the start only, not the server's
// life. A port lost to another process between choosing and binding is
// retried with a new port (three attempts).
func Launch(ctx context.Context, opts Options) (*Server, error) {
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		s, err := launchOnce(ctx, opts)
		if err == nil {
			return s, nil
		}
		lastErr = err
		if ctx.Err() != nil || !errors.Is(err, errAddrInUse) {
			break
		}
	}
	return nil, lastErr
}

var errAddrInUse = errors.New("address already in use")

func launchOnce(ctx context.Context, opts Options) (*Server, error) {
	port, err := freePort()
	if err != nil {
		return nil, fmt.Errorf("motoserver: choosing a port: %w", err)
	}
	logFile, err := os.CreateTemp(opts.LogDir, "busdrill-moto-*.log")
	if err != nil {
		return nil, fmt.Errorf("motoserver: creating the stderr capture file: %w", err)
	}
	defer logFile.Close() // the child has its own descriptor

	cmd := exec.Command(opts.python(), "-c", bootstrap, "-H", "127.0.0.1", "-p", strconv.Itoa(port))
	cmd.Env = append(os.Environ(),
		"BUSDRILL_MOTO_WATCH_STDIN=1",
		"PYTHONUNBUFFERED=1",
		"BUSDRILL_MOTO_CACHES="+boolEnv(!opts.Stock),
		"BUSDRILL_MOTO_CROSS_ACCOUNT="+boolEnv(!opts.Stock),
		"BUSDRILL_MOTO_LOG_REQUESTS="+boolEnv(opts.LogRequests),
	)
	cmd.Stdout = logFile
	cmd.Stderr = logFile
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, fmt.Errorf("motoserver: %w", err)
	}
	setProcessGroup(cmd)
	if err := cmd.Start(); err != nil {
		os.Remove(logFile.Name())
		return nil, fmt.Errorf("motoserver: starting %s: %w", opts.python(), err)
	}
	s := &Server{
		url:     "http://127.0.0.1:" + strconv.Itoa(port),
		port:    port,
		cmd:     cmd,
		stdin:   stdin,
		logPath: logFile.Name(),
		keepLog: opts.KeepLog,
		exited:  make(chan struct{}),
	}
	go func() {
		s.waitErr = cmd.Wait()
		close(s.exited)
	}()
	if err := s.waitReady(ctx, opts.startTimeout()); err != nil {
		tail := s.StderrTail(2048)
		s.Close()
		if strings.Contains(tail, "Address already in use") {
			return nil, fmt.Errorf("motoserver: port %d: %w", port, errAddrInUse)
		}
		return nil, fmt.Errorf("motoserver: %w\nmoto stderr (tail):\n%s", err, tail)
	}
	return s, nil
}

func boolEnv(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// freePort asks the kernel for an unused loopback port. Another process can
// take it before moto binds it; Launch retries when that happens.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// waitReady polls GET /moto-api/ (moto's dashboard page: cheap and free of
// side effects) until it answers 200, the process exits, or time runs out.
func (s *Server) waitReady(ctx context.Context, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	client := &http.Client{Timeout: time.Second}
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.url+"/moto-api/", nil)
		resp, err := client.Do(req)
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-s.exited:
			return fmt.Errorf("moto exited before answering: %v", s.waitErr)
		case <-ctx.Done():
			return fmt.Errorf("moto did not answer on %s within %s", s.url, timeout)
		case <-tick.C:
		}
	}
}

// URL is the base URL, "http://127.0.0.1:PORT", for SDK endpoints.
func (s *Server) URL() string { return s.url }

// Port is the loopback port moto listens on.
func (s *Server) Port() int { return s.port }

// PID is the moto process id; it is also its process group id on Unix.
func (s *Server) PID() int { return s.cmd.Process.Pid }

// LogPath is the file that captures moto's stdout and stderr.
func (s *Server) LogPath() string { return s.logPath }

// Reset wipes every account's state in moto (POST /moto-api/reset).
func (s *Server) Reset(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url+"/moto-api/reset", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("motoserver: reset: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("motoserver: reset: HTTP %d: %s\nmoto stderr (tail):\n%s",
			resp.StatusCode, bytes.TrimSpace(body), s.StderrTail(2048))
	}
	return nil
}

// StderrTail returns at most the last n bytes moto wrote to stdout/stderr,
// starting at a line boundary when possible.
func (s *Server) StderrTail(n int) string {
	f, err := os.Open(s.logPath)
	if err != nil {
		return "(no moto log: " + err.Error() + ")"
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return "(no moto log: " + err.Error() + ")"
	}
	off := st.Size() - int64(n)
	if off < 0 {
		off = 0
	}
	buf := make([]byte, st.Size()-off)
	if _, err := f.ReadAt(buf, off); err != nil && err != io.EOF {
		return "(reading moto log: " + err.Error() + ")"
	}
	if off > 0 {
		if i := bytes.IndexByte(buf, '\n'); i >= 0 && i < len(buf)-1 {
			buf = buf[i+1:]
		}
	}
	if len(bytes.TrimSpace(buf)) == 0 {
		return "(empty)"
	}
	return string(buf)
}

// Close stops moto: SIGTERM to its process group, then SIGKILL to the group
// if it has not exited within 5 s, and always a final SIGKILL sweep of the
// group so no descendant survives. It waits for the process to be reaped.
// Close is idempotent.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		s.stdin.Close()
		signalGroup(s.cmd, termSignal)
		select {
		case <-s.exited:
		case <-time.After(5 * time.Second):
			signalGroup(s.cmd, killSignal)
			select {
			case <-s.exited:
			case <-time.After(5 * time.Second):
				s.closeErr = fmt.Errorf("motoserver: pid %d did not exit after SIGKILL", s.PID())
			}
		}
		// Sweep: the leader is gone, stragglers in its group may not be. While
		// any member lives the group id cannot be handed to a new process, and
		// once none does the call finds nothing (ESRCH, ignored).
		signalGroup(s.cmd, killSignal)
		if !s.keepLog && s.closeErr == nil {
			os.Remove(s.logPath)
		}
	})
	return s.closeErr
}
