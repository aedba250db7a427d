package journal_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/busdrill/busdrill/live/journal"
)

// fixedClock returns 2026-11-22T10:00:00Z, then one second later each call.
func fixedClock() func() time.Time {
	t := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	return func() time.Time {
		t = t.Add(time.Second)
		return t
	}
}

func openTemp(t *testing.T) (*journal.Journal, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "journal.jsonl")
	j, err := journal.Open(path, journal.Options{RunID: "r1", Now: fixedClock()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	return j, path
}

func disableIntent(rule string) journal.Record {
	return journal.Record{
		Account: "orders", AccountID: "222222222222", Region: "eu-west-1",
		Action:   "events:DisableRule",
		Resource: "arn:aws:events:eu-west-1:222222222222:rule/local/" + rule,
		Inverse:  ptr(journal.EnableRuleCall("local", rule)),
	}
}

func ptr[T any](v T) *T { return &v }

// The on-disk format is the documented one, byte for byte.
func TestAppendFormat(t *testing.T) {
	j, path := openTemp(t)
	rec, err := j.Append(disableIntent("consume"))
	if err != nil {
		t.Fatal(err)
	}
	if rec.Seq != 1 || rec.Kind != journal.Intent || rec.RunID != "r1" || rec.V != 1 {
		t.Errorf("returned record %+v", rec)
	}
	if err := j.MarkApplied(rec.Seq, "DisableRule returned 200"); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	want := `{"v":1,"seq":1,"time":"2026-11-22T10:00:01Z","run_id":"r1","kind":"intent","account":"orders","account_id":"222222222222","region":"eu-west-1","action":"events:DisableRule","resource":"arn:aws:events:eu-west-1:222222222222:rule/local/consume","inverse":{"action":"events:EnableRule","params":{"Name":"consume","EventBusName":"local"}}}
{"v":1,"seq":2,"time":"2026-11-22T10:00:02Z","run_id":"r1","kind":"applied","ref":1,"note":"DisableRule returned 200"}
`
	if string(data) != want {
		t.Errorf("journal file:\n%s\nwant:\n%s", data, want)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
}

// Sequence numbers continue across processes (reopen).
func TestReopenContinuesSeq(t *testing.T) {
	j, path := openTemp(t)
	for _, r := range []string{"a", "b"} {
		if _, err := j.Append(disableIntent(r)); err != nil {
			t.Fatal(err)
		}
	}
	j.Close()
	j2, err := journal.Open(path, journal.Options{RunID: "r2"})
	if err != nil {
		t.Fatal(err)
	}
	defer j2.Close()
	rec, err := j2.Append(disableIntent("c"))
	if err != nil {
		t.Fatal(err)
	}
	if rec.Seq != 3 || rec.RunID != "r2" {
		t.Errorf("after reopen: seq %d run %s, want 3 r2", rec.Seq, rec.RunID)
	}
	recs, err := journal.Read(path)
	if err != nil || len(recs) != 3 {
		t.Fatalf("Read = %d records, %v", len(recs), err)
	}
}

// A crash inside Append leaves an incomplete last line: Read ignores it,
// Open cuts it off so the next record starts on a fresh line.
func TestTornLastLine(t *testing.T) {
	j, path := openTemp(t)
	if _, err := j.Append(disableIntent("a")); err != nil {
		t.Fatal(err)
	}
	j.Close()
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"v":1,"seq":2,"time":"2026-11-22T10:00:02Z","run_id":"r1","kind":"inte`)
	f.Close()

	recs, err := journal.Read(path)
	if err != nil || len(recs) != 1 {
		t.Fatalf("Read = %d records, %v; want 1, nil", len(recs), err)
	}
	j2, err := journal.Open(path, journal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer j2.Close()
	if j2.TornBytes() == 0 {
		t.Error("TornBytes = 0")
	}
	if rec, err := j2.Append(disableIntent("b")); err != nil || rec.Seq != 2 {
		t.Fatalf("Append after torn tail: seq %d, %v", rec.Seq, err)
	}
	if recs, err := journal.Read(path); err != nil || len(recs) != 2 {
		t.Fatalf("Read = %d records, %v; want 2", len(recs), err)
	}
}

// A damaged line in the middle is an error naming file and line.
func TestDamagedJournal(t *testing.T) {
	tests := []struct{ comment, line, want string }{
		{"garbage", "not json", ":2: invalid character"},
		{"an unknown field", `{"v":1,"seq":2,"kind":"restored","ref":1,"surprise":true}`, `unknown field "surprise"`},
		{"a newer format", `{"v":2,"seq":2,"kind":"restored","ref":1}`, "format version 2 is newer"},
		{"an intent without an inverse", `{"v":1,"seq":2,"kind":"intent","account":"a","action":"x","resource":"arn"}`, "needs an Inverse"},
	}
	for _, tt := range tests {
		path := filepath.Join(t.TempDir(), "j.jsonl")
		rec := disableIntent("a")
		rec.V, rec.Seq, rec.Kind = 1, 1, journal.Intent
		good, _ := json.Marshal(rec)
		os.WriteFile(path, []byte(string(good)+"\n"+tt.line+"\n"), 0o600)
		_, err := journal.Read(path)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: Read error = %v, want %q", tt.comment, err, tt.want)
		}
		if _, err := journal.Open(path, journal.Options{}); err == nil {
			t.Errorf("%s: Open accepted a damaged journal", tt.comment)
		}
	}
}

// Only one process (open file) at a time.
func TestExclusiveLock(t *testing.T) {
	_, path := openTemp(t)
	if _, err := journal.Open(path, journal.Options{}); err == nil || !strings.Contains(err.Error(), "in use") {
		t.Errorf("second Open = %v, want in use", err)
	}
}

func TestAppendValidates(t *testing.T) {
	j, _ := openTemp(t)
	bad := []struct {
		comment string
		rec     journal.Record
	}{
		{"no inverse", journal.Record{Account: "a", Action: "events:DisableRule", Resource: "arn"}},
		{"no resource", journal.Record{Account: "a", Action: "events:DisableRule", Inverse: ptr(journal.EnableRuleCall("b", "r"))}},
		{"unknown inverse", journal.Record{Account: "a", Action: "x", Resource: "arn", Inverse: &journal.Call{Action: "events:Frobnicate"}}},
		{"PutPermission without a policy", journal.Record{Account: "a", Action: "x", Resource: "arn",
			Inverse: &journal.Call{Action: journal.PutPermission, Params: journal.Params{EventBusName: "b"}}}},
		{"deleting the default bus", journal.Record{Account: "a", Action: "x", Resource: "arn", Inverse: ptr(journal.DeleteEventBusCall("default"))}},
		{"a marker without ref", journal.Record{Kind: journal.Restored}},
	}
	for _, tt := range bad {
		if _, err := j.Append(tt.rec); err == nil {
			t.Errorf("%s: accepted", tt.comment)
		}
	}
	if n := len(j.Records()); n != 0 {
		t.Errorf("%d invalid records were written", n)
	}
}

func TestRestorePolicyCall(t *testing.T) {
	if c := journal.RestorePolicyCall("global", nil); c.Action != journal.RemovePermission || !c.Params.RemoveAllPermissions {
		t.Errorf("no prior policy: %v", c)
	}
	p := `{"Version":"2012-10-17","Statement":[]}`
	if c := journal.RestorePolicyCall("global", &p); c.Action != journal.PutPermission || *c.Params.Policy != p {
		t.Errorf("prior policy: %v", c)
	}
}
