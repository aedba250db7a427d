package journal

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/busdrill/busdrill/internal/readfile"
)

// Options configure [Open].
type Options struct {
	// RunID is stamped on records that do not carry one.
	RunID string
	// Now is the clock for record times; nil means time.Now (live mode runs
	// on the wall clock). Times are stored in UTC.
	Now func() time.Time
}

// Journal is an open journal file. One process at a time may hold it open
// (an exclusive advisory lock, on Unix); its methods are safe for
// concurrent use.
type Journal struct {
	mu      sync.Mutex
	f       *os.File
	path    string
	opts    Options
	nextSeq int64
	records []Record // everything in the file, in order
	unlock  func()
	torn    int64 // bytes of an incomplete last line cut off at Open
}

// Open opens the journal at path for appending, creating it (and syncing
// its directory) if needed. It reads what is there, so sequence numbers
// continue, and cuts off an incomplete last line: a record whose Append had
// not returned, whose mutation therefore never ran. A malformed complete
// line is an error: the journal is damaged and restore must not guess.
func Open(path string, opts Options) (*Journal, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	_, statErr := os.Stat(path)
	created := errors.Is(statErr, os.ErrNotExist)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	unlock, err := lockFile(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("journal %s: %w", path, err)
	}
	j := &Journal{f: f, path: path, opts: opts, unlock: unlock, nextSeq: 1}
	fail := func(err error) (*Journal, error) {
		unlock()
		f.Close()
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxJournalBytes+1))
	if err != nil {
		return fail(fmt.Errorf("journal %s: %w", path, err))
	}
	if len(data) > MaxJournalBytes {
		return fail(fmt.Errorf("journal %s: more than %d bytes: not a journal of busdrill's", path, MaxJournalBytes))
	}
	recs, complete, err := parse(path, data)
	if err != nil {
		return fail(err)
	}
	if complete < len(data) {
		j.torn = int64(len(data) - complete)
		if err := f.Truncate(int64(complete)); err != nil {
			return fail(fmt.Errorf("journal %s: cutting off a torn last line: %w", path, err))
		}
		if err := f.Sync(); err != nil {
			return fail(fmt.Errorf("journal %s: %w", path, err))
		}
	}
	if _, err := f.Seek(int64(complete), io.SeekStart); err != nil {
		return fail(fmt.Errorf("journal %s: %w", path, err))
	}
	j.records = recs
	for _, r := range recs {
		if r.Seq >= j.nextSeq {
			j.nextSeq = r.Seq + 1
		}
	}
	if created {
		if err := syncDir(filepath.Dir(path)); err != nil {
			return fail(fmt.Errorf("journal %s: syncing the directory: %w", path, err))
		}
	}
	return j, nil
}

// Path is the journal's file name.
func (j *Journal) Path() string { return j.path }

// TornBytes is how many bytes of an incomplete last line Open cut off.
func (j *Journal) TornBytes() int64 { return j.torn }

// Records returns a copy of every record, in file order.
func (j *Journal) Records() []Record {
	j.mu.Lock()
	defer j.mu.Unlock()
	return append([]Record(nil), j.records...)
}

// Append writes rec as one line and fsyncs the file, and only then returns.
// This is the write-ahead rule: call Append with the intent BEFORE making
// the mutation, and make the mutation only if Append returned nil. Append
// fills in V, Seq, Time and RunID (if empty) and Kind (Intent if empty),
// and returns the record as written.
//
// An intent's Inverse must restore the state observed before the mutation,
// not blindly invert the action: to disable a rule that is already
// disabled, journal nothing (or an inverse that is a no-op), never
// EnableRule.
func (j *Journal) Append(rec Record) (Record, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.appendLocked(rec)
}

func (j *Journal) appendLocked(rec Record) (Record, error) {
	if j.f == nil {
		return Record{}, errors.New("journal: closed")
	}
	if rec.Kind == "" {
		rec.Kind = Intent
	}
	if rec.RunID == "" {
		rec.RunID = j.opts.RunID
	}
	rec.V = FormatVersion
	rec.Seq = j.nextSeq
	rec.Time = j.opts.Now().UTC()
	if err := rec.validate(); err != nil {
		return Record{}, fmt.Errorf("journal: %w", err)
	}
	line, err := json.Marshal(rec)
	if err != nil {
		return Record{}, fmt.Errorf("journal: %w", err)
	}
	line = append(line, '\n')
	if _, err := j.f.Write(line); err != nil {
		return Record{}, fmt.Errorf("journal %s: write: %w", j.path, err)
	}
	if err := j.f.Sync(); err != nil {
		return Record{}, fmt.Errorf("journal %s: fsync: %w", j.path, err)
	}
	j.nextSeq++
	j.records = append(j.records, rec)
	return rec, nil
}

// MarkApplied appends an Applied record for the intent with this seq: the
// mutation call returned success. Optional; see [Applied].
func (j *Journal) MarkApplied(seq int64, note string) error {
	_, err := j.Append(Record{Kind: Applied, Ref: seq, Note: note})
	return err
}

// Close releases the lock and closes the file.
func (j *Journal) Close() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.f == nil {
		return nil
	}
	j.unlock()
	err := j.f.Close()
	j.f = nil
	return err
}

// MaxJournalBytes bounds a journal read back: a run journals a few
// records per probe and fault, far below it.
const MaxJournalBytes = 64 << 20

// Read returns every record in the journal at path, ignoring an incomplete
// last line (see [Open]). It takes no lock and may run while another
// process appends.
func Read(path string) ([]Record, error) {
	data, err := readfile.Read(path, MaxJournalBytes)
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	recs, _, err := parse(path, data)
	return recs, err
}

// parse decodes complete lines and returns the records and the length of
// the complete part of data (up to and including its last newline).
func parse(path string, data []byte) ([]Record, int, error) {
	complete := bytes.LastIndexByte(data, '\n') + 1
	var recs []Record
	sc := bufio.NewScanner(bytes.NewReader(data[:complete]))
	sc.Buffer(make([]byte, 0, 64*1024), 16*1024*1024)
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		var r Record
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&r); err != nil {
			return nil, 0, fmt.Errorf("journal %s:%d: %w", path, line, err)
		}
		if r.V > FormatVersion {
			return nil, 0, fmt.Errorf("journal %s:%d: format version %d is newer than this busdrill (%d)", path, line, r.V, FormatVersion)
		}
		if err := r.validate(); err != nil {
			return nil, 0, fmt.Errorf("journal %s:%d: %w", path, line, err)
		}
		recs = append(recs, r)
	}
	if err := sc.Err(); err != nil {
		return nil, 0, fmt.Errorf("journal %s: %w", path, err)
	}
	return recs, complete, nil
}

// syncDir fsyncs a directory so a newly created file's entry is durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return err
	}
	return nil
}
