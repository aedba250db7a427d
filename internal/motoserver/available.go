package motoserver

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"
)

var available struct {
	once   sync.Once
	ok     bool
	reason string
}

// Available reports whether `python3 -c 'import moto'` succeeds (with
// $BUSDRILL_PYTHON instead of python3 when set), and if not, why. The probe
// runs once per process; a cold first import can take several seconds, so
// it is allowed 30 s.
func Available() (ok bool, reason string) {
	available.once.Do(func() {
		py := Options{}.python()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, py, "-c", "import moto, jsonpath_ng.ext, werkzeug")
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			msg := strings.TrimSpace(out.String())
			if i := strings.LastIndexByte(msg, '\n'); i >= 0 {
				msg = msg[i+1:] // the exception line
			}
			if msg == "" {
				msg = err.Error()
			}
			available.reason = py + ": " + msg
			return
		}
		available.ok = true
		available.reason = py + " imports moto"
	})
	return available.ok, available.reason
}

// inCI reports whether the environment says this is a CI run, where moto
// must be present and its absence is a failure rather than a skip.
func inCI() bool {
	v := strings.ToLower(strings.TrimSpace(os.Getenv("CI")))
	return v == "true" || v == "1"
}
