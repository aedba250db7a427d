package render

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// The HTML report is checked in a real browser: Debian's chromium,
// headless, driven through the DevTools protocol over a pipe
// (--remote-debugging-pipe: NUL-separated JSON on file descriptors 3 and
// 4, so no port is opened and no websocket library is needed). The page is
// opened from disk (file://) and the test fails on any console error or
// uncaught exception, on any request for something other than a file:
// or data: URL, and on a blank page; it saves a full-page screenshot to
// results/browser/ (git-ignored; CI keeps it as an artifact).
//
// When chromium is missing the test installs it with apt-get if it runs as
// root and CI=true or BUSDRILL_INSTALL_CHROMIUM=1; otherwise it is skipped
// (outside CI) or fails (in CI).

func TestReportInBrowser(t *testing.T) {
	bin := chromium(t)
	dir := resultsDir(t, "browser")

	r := drill{seed: 7, rate: 20, traffic: 10 * time.Minute, drain: 2 * time.Minute}.run()
	base := drill{seed: 7, rate: 20, traffic: 10 * time.Minute, drain: 2 * time.Minute, noFaults: true}.run()
	pages := []struct {
		name   string
		render func(*bytes.Buffer) error
	}{
		{"report", func(b *bytes.Buffer) error { return HTML(b, r, Meta{Command: "busdrill run drill --seed 7"}) }},
		{"golden", func(b *bytes.Buffer) error { return HTML(b, golden(t), Meta{}) }},
		{"compare", func(b *bytes.Buffer) error {
			return CompareHTML(b, base, r, Compare(base, r, DefaultTolerances()), Meta{})
		}},
		{"capacity", func(b *bytes.Buffer) error {
			return CapacityHTML(b, capacityFixture(t), Meta{Command: "busdrill capacity launch-day-ramp --seed 1 --next 2"})
		}},
	}
	for _, pg := range pages {
		t.Run(pg.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := pg.render(&buf); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(dir, pg.name+".html")
			if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			res, err := load(t, bin, path)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range res.problems {
				t.Error(p)
			}
			if res.textLength < 200 {
				t.Errorf("blank page: %d characters of text", res.textLength)
			}
			if n := colours(t, res.png); n < 8 {
				t.Errorf("blank page: the screenshot has %d colours", n)
			}
			shot := filepath.Join(dir, pg.name+".png")
			if err := os.WriteFile(shot, res.png, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %d characters, screenshot %s", path, res.textLength, shot)
		})
	}
}

// TestBrowserCheckCatches proves the check fails where it must: a console
// error, an uncaught exception, and a request to a network address
// (loopback port 9, where nothing listens) are each reported.
func TestBrowserCheckCatches(t *testing.T) {
	bin := chromium(t)
	dir := t.TempDir()
	body := strings.Repeat("<p>Some text so that the page is not blank.</p>", 10)
	cases := []struct {
		name, html, want string
	}{
		{"console error", `<script>console.error("boom")</script>` + body, "console error"},
		{"exception", `<script>null.x()</script>` + body, "exception"},
		{"network image", `<img src="http://127.0.0.1:9/x.png">` + body, "http://127.0.0.1:9/x.png"},
		{"network style", `<link rel="stylesheet" href="http://127.0.0.1:9/s.css">` + body, "http://127.0.0.1:9/s.css"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "-")+".html")
			if err := os.WriteFile(path, []byte("<!DOCTYPE html><html><body>"+c.html+"</body></html>"), 0o644); err != nil {
				t.Fatal(err)
			}
			res, err := load(t, bin, path)
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, p := range res.problems {
				found = found || strings.Contains(p, c.want)
			}
			if !found {
				t.Errorf("not caught: want a problem mentioning %q, got %q", c.want, res.problems)
			}
		})
	}
	t.Run("clean", func(t *testing.T) {
		path := filepath.Join(dir, "clean.html")
		os.WriteFile(path, []byte("<!DOCTYPE html><html><body>"+body+"</body></html>"), 0o644)
		res, err := load(t, bin, path)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.problems) > 0 {
			t.Errorf("a clean page reported problems: %q", res.problems)
		}
	})
}

// chromium returns the browser's path, installing Debian's package when
// allowed.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	ci := os.Getenv("CI") == "true"
	allowed := ci || os.Getenv("BUSDRILL_INSTALL_CHROMIUM") == "1"
	switch {
	case allowed && os.Geteuid() == 0:
		t.Log("chromium is missing: installing Debian's chromium package")
		for _, args := range [][]string{{"update"}, {"install", "-y", "chromium"}} {
			cmd := exec.Command("apt-get", args...)
			cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("apt-get %s: %v\n%s", strings.Join(args, " "), err, tail(out))
			}
		}
		p, err := exec.LookPath("chromium")
		if err != nil {
			t.Fatal("chromium installed but not on PATH")
		}
		return p
	case ci:
		t.Fatal("chromium is missing and the test is not root, so it cannot install it: install Debian's chromium package in the CI image")
	}
	t.Skip("chromium is missing: install it (apt-get install chromium), or run as root with BUSDRILL_INSTALL_CHROMIUM=1 to let the test install it")
	return ""
}

func tail(b []byte) string {
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return string(b)
}

// pageResult is what loading a page found.
type pageResult struct {
	problems   []string
	textLength int
	png        []byte
}

// load opens path in headless chromium at a laptop's viewport (1280×800),
// waits for the load event and a short settle, and returns the problems
// seen, the length of the page's text and a full-page screenshot.
func load(t *testing.T, bin, path string) (*pageResult, error) {
	t.Helper()
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	c, err := startBrowser(ctx, t, bin)
	if err != nil {
		return nil, err
	}
	defer c.close()

	var target struct {
		TargetID string `json:"targetId"`
	}
	if err := c.call(ctx, "", "Target.createTarget", map[string]any{"url": "about:blank"}, &target); err != nil {
		return nil, err
	}
	var attached struct {
		SessionID string `json:"sessionId"`
	}
	if err := c.call(ctx, "", "Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true}, &attached); err != nil {
		return nil, err
	}
	s := attached.SessionID
	for _, m := range []string{"Page.enable", "Runtime.enable", "Log.enable", "Network.enable"} {
		if err := c.call(ctx, s, m, nil, nil); err != nil {
			return nil, err
		}
	}
	if err := c.call(ctx, s, "Emulation.setDeviceMetricsOverride",
		map[string]any{"width": 1280, "height": 800, "deviceScaleFactor": 1, "mobile": false}, nil); err != nil {
		return nil, err
	}
	loaded := c.waitFor("Page.loadEventFired")
	url := "file://" + filepath.ToSlash(abs)
	if err := c.call(ctx, s, "Page.navigate", map[string]any{"url": url}, nil); err != nil {
		return nil, err
	}
	for {
		select {
		case <-loaded:
		case <-ctx.Done():
			return nil, errors.New("the page never finished loading")
		}
		// A load event of the initial about:blank may come first.
		var href struct {
			Result struct {
				Value string `json:"value"`
			} `json:"result"`
		}
		loaded = c.waitFor("Page.loadEventFired")
		if err := c.call(ctx, s, "Runtime.evaluate", map[string]any{
			"expression": "document.readyState === 'complete' ? location.href : ''", "returnByValue": true}, &href); err != nil {
			return nil, err
		}
		if href.Result.Value == url {
			break
		}
	}
	// Let late requests and errors arrive.
	time.Sleep(700 * time.Millisecond)

	res := &pageResult{}
	var eval struct {
		Result struct {
			Value int `json:"value"`
		} `json:"result"`
	}
	if err := c.call(ctx, s, "Runtime.evaluate", map[string]any{
		"expression": "document.body ? document.body.innerText.trim().length : 0", "returnByValue": true}, &eval); err != nil {
		return nil, err
	}
	res.textLength = eval.Result.Value
	var metrics struct {
		Content struct {
			Width, Height float64
		} `json:"cssContentSize"`
	}
	if err := c.call(ctx, s, "Page.getLayoutMetrics", nil, &metrics); err != nil {
		return nil, err
	}
	var shot struct {
		Data string `json:"data"`
	}
	if err := c.call(ctx, s, "Page.captureScreenshot", map[string]any{
		"format": "png", "captureBeyondViewport": true,
		"clip": map[string]any{"x": 0, "y": 0, "width": 1280, "height": min(metrics.Content.Height, 16000), "scale": 1},
	}, &shot); err != nil {
		return nil, err
	}
	if res.png, err = base64.StdEncoding.DecodeString(shot.Data); err != nil {
		return nil, err
	}
	res.problems = c.problems()
	return res, nil
}

// cdp is a minimal DevTools protocol client over chromium's debugging
// pipe.
type cdp struct {
	cmd *exec.Cmd
	in  *os.File // we write commands
	out *os.File // we read replies and events

	mu       sync.Mutex
	nextID   int
	pending  map[int]chan cdpMessage
	waiters  map[string][]chan struct{}
	found    []string
	stderr   bytes.Buffer
	readDone chan struct{}
}

type cdpMessage struct {
	ID        int             `json:"id,omitempty"`
	Method    string          `json:"method,omitempty"`
	SessionID string          `json:"sessionId,omitempty"`
	Params    json.RawMessage `json:"params,omitempty"`
	Result    json.RawMessage `json:"result,omitempty"`
	Error     *struct {
		Message string `json:"message"`
	} `json:"error,omitempty"`
}

func startBrowser(ctx context.Context, t *testing.T, bin string) (*cdp, error) {
	cmdR, cmdW, err := os.Pipe() // chromium reads commands on fd 3
	if err != nil {
		return nil, err
	}
	evR, evW, err := os.Pipe() // and writes replies on fd 4
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, bin,
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
		"--no-default-browser-check", "--disable-extensions", "--disable-sync", "--hide-scrollbars", "--mute-audio",
		"--user-data-dir="+t.TempDir(), "--remote-debugging-pipe", "about:blank")
	cmd.ExtraFiles = []*os.File{cmdR, evW}
	c := &cdp{cmd: cmd, in: cmdW, out: evR, pending: map[int]chan cdpMessage{}, waiters: map[string][]chan struct{}{}, readDone: make(chan struct{})}
	cmd.Stderr = &c.stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", bin, err)
	}
	cmdR.Close()
	evW.Close()
	go c.read()
	return c, nil
}

func (c *cdp) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = c.call(ctx, "", "Browser.close", nil, nil)
	c.in.Close()
	done := make(chan struct{})
	go func() { c.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		c.cmd.Process.Kill()
		<-done
	}
	c.out.Close()
}

func (c *cdp) read() {
	defer close(c.readDone)
	br := bufio.NewReader(c.out)
	for {
		raw, err := br.ReadBytes(0)
		if err != nil {
			return
		}
		var m cdpMessage
		if json.Unmarshal(raw[:len(raw)-1], &m) != nil {
			continue
		}
		c.mu.Lock()
		if m.ID != 0 {
			if ch, ok := c.pending[m.ID]; ok {
				ch <- m
				delete(c.pending, m.ID)
			}
		} else {
			c.event(m)
			for _, ch := range c.waiters[m.Method] {
				close(ch)
			}
			delete(c.waiters, m.Method)
		}
		c.mu.Unlock()
	}
}

// event records what makes a page fail. Called with c.mu held.
func (c *cdp) event(m cdpMessage) {
	switch m.Method {
	case "Runtime.consoleAPICalled":
		var p struct {
			Type string `json:"type"`
			Args []struct {
				Value       any    `json:"value"`
				Description string `json:"description"`
			} `json:"args"`
		}
		json.Unmarshal(m.Params, &p)
		if p.Type == "error" || p.Type == "assert" {
			var parts []string
			for _, a := range p.Args {
				if a.Value != nil {
					parts = append(parts, fmt.Sprint(a.Value))
				} else {
					parts = append(parts, a.Description)
				}
			}
			c.found = append(c.found, "console error: "+strings.Join(parts, " "))
		}
	case "Runtime.exceptionThrown":
		var p struct {
			Details struct {
				Text      string `json:"text"`
				Exception struct {
					Description string `json:"description"`
				} `json:"exception"`
			} `json:"exceptionDetails"`
		}
		json.Unmarshal(m.Params, &p)
		c.found = append(c.found, "uncaught exception: "+p.Details.Text+" "+p.Details.Exception.Description)
	case "Log.entryAdded":
		var p struct {
			Entry struct {
				Level, Source, Text, URL string
			} `json:"entry"`
		}
		json.Unmarshal(m.Params, &p)
		if p.Entry.Level == "error" {
			c.found = append(c.found, fmt.Sprintf("console error (%s): %s %s", p.Entry.Source, p.Entry.Text, p.Entry.URL))
		}
	case "Network.requestWillBeSent":
		var p struct {
			Request struct {
				URL string `json:"url"`
			} `json:"request"`
		}
		json.Unmarshal(m.Params, &p)
		u := p.Request.URL
		if !strings.HasPrefix(u, "file:") && !strings.HasPrefix(u, "data:") && u != "about:blank" {
			c.found = append(c.found, "network request: "+u)
		}
	}
}

func (c *cdp) problems() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.found...)
}

// waitFor returns a channel closed at the next event of the method.
func (c *cdp) waitFor(method string) <-chan struct{} {
	ch := make(chan struct{})
	c.mu.Lock()
	c.waiters[method] = append(c.waiters[method], ch)
	c.mu.Unlock()
	return ch
}

// call sends a command and decodes its result into out (if not nil).
func (c *cdp) call(ctx context.Context, session, method string, params, out any) error {
	c.mu.Lock()
	c.nextID++
	id := c.nextID
	ch := make(chan cdpMessage, 1)
	c.pending[id] = ch
	c.mu.Unlock()
	msg := map[string]any{"id": id, "method": method}
	if params != nil {
		msg["params"] = params
	}
	if session != "" {
		msg["sessionId"] = session
	}
	b, err := json.Marshal(msg)
	if err != nil {
		return err
	}
	if _, err := c.in.Write(append(b, 0)); err != nil {
		return fmt.Errorf("%s: %w (chromium: %s)", method, err, tail(c.stderr.Bytes()))
	}
	select {
	case m := <-ch:
		if m.Error != nil {
			return fmt.Errorf("%s: %s", method, m.Error.Message)
		}
		if out != nil {
			return json.Unmarshal(m.Result, out)
		}
		return nil
	case <-c.readDone:
		return fmt.Errorf("%s: chromium closed the pipe: %s", method, tail(c.stderr.Bytes()))
	case <-ctx.Done():
		return fmt.Errorf("%s: %w", method, ctx.Err())
	}
}

// colours counts the distinct colours of a PNG, up to 64.
func colours(t *testing.T, b []byte) int {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	seen := map[[4]uint32]bool{}
	bounds := img.Bounds()
	for y := bounds.Min.Y; y < bounds.Max.Y && len(seen) < 64; y += 3 {
		for x := bounds.Min.X; x < bounds.Max.X && len(seen) < 64; x += 3 {
			r, g, b, a := img.At(x, y).RGBA()
			seen[[4]uint32{r, g, b, a}] = true
		}
	}
	return len(seen)
}
