package runner

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/busdrill/busdrill/live/journal"
	"github.com/busdrill/busdrill/scenarios"
	"github.com/busdrill/busdrill/scenarios/livespec"
)

func TestCheckFiles(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"b.yaml", "a.yaml", "notes.txt"} {
		os.WriteFile(filepath.Join(dir, f), []byte("x"), 0o644)
	}
	empty := t.TempDir()
	for _, tc := range []struct {
		comment string
		args    []string
		want    []string // nil with wantErr
		wantErr string
	}{
		{"no argument is the built-in library", nil, nil, ""},
		{"a folder is its *.yaml files, sorted", []string{dir}, []string{filepath.Join(dir, "a.yaml"), filepath.Join(dir, "b.yaml")}, ""},
		{"a file is itself, whatever its name", []string{filepath.Join(dir, "notes.txt")}, []string{filepath.Join(dir, "notes.txt")}, ""},
		{"a folder without scenarios is an error", []string{empty}, nil, "no *.yaml scenario files"},
		{"a missing path is an error", []string{filepath.Join(dir, "missing")}, nil, "no such file"},
	} {
		got, err := CheckFiles(tc.args)
		switch {
		case tc.wantErr != "":
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%s: err %v, want %q", tc.comment, err, tc.wantErr)
			}
		case err != nil:
			t.Errorf("%s: %v", tc.comment, err)
		case tc.args == nil:
			if len(got) != len(scenarios.Names()) || !strings.HasPrefix(got[0], scenarios.BuiltinPrefix) {
				t.Errorf("%s: %v", tc.comment, got)
			}
		case strings.Join(got, ",") != strings.Join(tc.want, ","):
			t.Errorf("%s: %v, want %v", tc.comment, got, tc.want)
		}
	}
}

const testLive = `region: eu-west-1
allowed_accounts: ["111111111111", "222222222222", "333333333333"]
accounts:
  bus: {id: "111111111111"}
  orders: {id: "222222222222"}
  delivery: {id: "333333333333"}
`

func TestLiveSection(t *testing.T) {
	sc, err := scenarios.Builtin("reference")
	if err != nil {
		t.Fatal(err)
	}
	own := &livespec.Config{Region: "eu-central-1"}
	withOwn := *sc
	withOwn.Live = own
	file := filepath.Join(t.TempDir(), "live.yaml")
	os.WriteFile(file, []byte(testLive), 0o644)
	for _, tc := range []struct {
		comment   string
		sc        *scenarios.Scenario
		file      string
		endpoint  string
		region    string
		rehearsal bool
		wantErr   string
	}{
		{"--live wins over the scenario's own section", &withOwn, file, "http://127.0.0.1:4566", "eu-west-1", false, ""},
		{"the scenario's own section wins over a rehearsal", &withOwn, "", "http://127.0.0.1:4566", "eu-central-1", false, ""},
		{"a loopback endpoint without a section rehearses with the scenario's accounts", sc, "", "http://localhost:4566", "us-east-1", true, ""},
		{"a remote endpoint without a section is refused", sc, "", "http://192.0.2.1:4566", "", false, "needs a live section"},
		{"no endpoint and no section is refused", sc, "", "", "", false, "needs a live section"},
		{"a --live file that does not load names the flag", sc, file + ".missing", "", "", false, "--live: "},
	} {
		cfg, creds, rehearsal, err := LiveSection(tc.sc, tc.file, tc.endpoint)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%s: err %v, want %q", tc.comment, err, tc.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.comment, err)
			continue
		}
		if cfg.Region != tc.region || rehearsal != tc.rehearsal || (creds != nil) != tc.rehearsal {
			t.Errorf("%s: region %q, rehearsal %v, credentials %v", tc.comment, cfg.Region, rehearsal, creds != nil)
		}
	}
}

// AWSRestore refuses, before any call, what it must not touch: the
// endpoint sees no request.
func TestAWSRestoreRefusesBeforeAnyCall(t *testing.T) {
	var requests atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		http.Error(w, "no", http.StatusInternalServerError)
	}))
	defer srv.Close()
	cfg, err := livespec.Parse("live.yaml", []byte(testLive))
	if err != nil {
		t.Fatal(err)
	}
	foreign := filepath.Join(t.TempDir(), "journal.jsonl")
	j, err := journal.Open(foreign, journal.Options{RunID: "r"})
	if err != nil {
		t.Fatal(err)
	}
	inverse := journal.EnableRuleCall("global", "to-orders")
	if _, err := j.Append(journal.Record{Account: "elsewhere", AccountID: "999999999999", Region: "eu-west-1",
		Action: "events:DisableRule", Resource: "arn:aws:events:eu-west-1:999999999999:rule/global/to-orders", Inverse: &inverse}); err != nil {
		t.Fatal(err)
	}
	j.Close()
	for _, tc := range []struct {
		comment, journal, want string
	}{
		{"a journal is required", "", "--journal FILE is required"},
		{"a journal that cannot be read", foreign + ".missing", "no such file"},
		{"a record in an account outside the allowlist", foreign, "journal record #1 is in account 999999999999, not in allowed_accounts"},
	} {
		_, err := AWSRestore(context.Background(), AWSOptions{Config: cfg, EndpointURL: srv.URL, Journal: tc.journal})
		var bad *InputError
		if !errors.As(err, &bad) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an InputError containing %q", tc.comment, err, tc.want)
		}
	}
	if n := requests.Load(); n != 0 {
		t.Errorf("%d requests reached the endpoint", n)
	}
}
