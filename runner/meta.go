package runner

import (
	"os"
	"runtime"
	"time"

	"github.com/busdrill/busdrill/internal/version"
	"github.com/busdrill/busdrill/live/drill"
)

// Meta is meta.json: the wall-clock facts of a run, kept out of
// results.json so that results stay reproducible.
type Meta struct {
	Started     string  `json:"started"`
	WallSeconds float64 `json:"wall_seconds"`
	Version     string  `json:"version"`
	Go          string  `json:"go"`
	GOMAXPROCS  int     `json:"gomaxprocs"`
	Host        string  `json:"host"`
	// Command reproduces the run; ScenarioFile is the scenario it ran
	// (a path, or builtin:NAME.yaml).
	Command      string `json:"command"`
	ScenarioFile string `json:"scenario_file,omitempty"`
	// The simulator's cost figures.
	EngineEvents          uint64  `json:"engine_events,omitempty"`
	EngineEventsPerSecond float64 `json:"engine_events_per_second,omitempty"`
	// A live run's identity, journal and statistics.
	RunID   string       `json:"run_id,omitempty"`
	Journal string       `json:"journal,omitempty"`
	Stats   *drill.Stats `json:"live_stats,omitempty"`
}

// newMeta fills the facts every run shares.
func newMeta(started time.Time, elapsed time.Duration, command, file string) Meta {
	m := Meta{
		Started: started.UTC().Format(time.RFC3339), WallSeconds: elapsed.Seconds(),
		Version: version.String(), Go: runtime.Version(), GOMAXPROCS: runtime.GOMAXPROCS(0),
		Command: command, ScenarioFile: file,
	}
	m.Host, _ = os.Hostname()
	return m
}
