//go:build !unix

package motoserver

import (
	"os"
	"os/exec"
)

// On systems without process groups only the moto process itself is
// signalled (and the stdin watch in the bootstrap still ends it when the
// parent goes away).

var (
	termSignal = os.Kill
	killSignal = os.Kill
)

func setProcessGroup(cmd *exec.Cmd) {}

func signalGroup(cmd *exec.Cmd, sig os.Signal) {
	if cmd.Process != nil {
		_ = cmd.Process.Signal(sig)
	}
}

func groupAlive(pgid int) bool { return false }
