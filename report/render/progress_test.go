package render

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestProgressDisabledIsSilent(t *testing.T) {
	var buf bytes.Buffer
	p := NewProgress(&buf, false)
	p.Update(time.Second, time.Minute, 10, 5)
	p.Live(time.Second, time.Minute, 10, time.Second, 0)
	p.Done()
	if buf.Len() != 0 {
		t.Errorf("a disabled progress line wrote %q", buf.String())
	}
	if IsTerminal(&buf) {
		t.Error("a buffer is not a terminal")
	}
}

func TestProgressDraws(t *testing.T) {
	var buf bytes.Buffer
	p := NewProgress(&buf, true)
	p.Update(90*time.Second, 3*time.Minute, 1234, 1200)
	time.Sleep(2 * redraw)
	p.Update(120*time.Second, 3*time.Minute, 1500, 1450)
	out := buf.String()
	for _, want := range []string{"2m of 3m virtual", "1,500 orders sent", "1,450 completed", "66%"} {
		if !strings.Contains(out, want) {
			t.Errorf("progress line lacks %q: %q", want, out)
		}
	}
	p.Done()
	p.Done()
	p.Update(time.Minute, time.Minute, 1, 1) // after Done: nothing
}
