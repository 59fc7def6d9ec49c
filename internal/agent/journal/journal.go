// Package journal is the device client's memory across power loss: an
// append-only, fsynced log of every step, replayed on start, and small
// state files replaced atomically. A step is journaled before it has
// effect and again when it is done, so a restarted client knows exactly
// what ran, what did not, and what to check.
package journal

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/whiteglove/whiteglove/internal/deviceapi/wire"
)

// CrashEnv names the environment variable that makes the client exit
// abruptly right after the Nth journal record is durable (tests of power
// loss; never set it on a real device).
const CrashEnv = "WHITEGLOVE_CRASH_AFTER"

// Record is one journaled step. It is also the timeline event the service
// receives (Event), with the session it belongs to.
type Record struct {
	Session string     `json:"session"`
	Phase   string     `json:"phase"`
	Event   wire.Event `json:"event"`
}

// Journal is the append-only log in one directory.
type Journal struct {
	mu      sync.Mutex
	f       *os.File
	path    string
	records []Record
	seq     map[string]int64 // per session
	crashAt int64
	written int64
}

// Open opens (creating) dir/journal.jsonl and replays it. A torn last line
// (power lost mid-write) is dropped and truncated away.
func Open(dir string) (*Journal, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("creating the state directory: %w", err)
	}
	p := filepath.Join(dir, "journal.jsonl")
	f, err := os.OpenFile(p, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("opening the journal: %w", err)
	}
	j := &Journal{f: f, path: p, seq: map[string]int64{}}
	good, err := j.replay(f)
	if err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Truncate(good); err != nil {
		f.Close()
		return nil, fmt.Errorf("truncating a torn journal record: %w", err)
	}
	if _, err := f.Seek(good, io.SeekStart); err != nil {
		f.Close()
		return nil, err
	}
	if v := os.Getenv(CrashEnv); v != "" {
		j.crashAt, _ = strconv.ParseInt(v, 10, 64)
	}
	return j, nil
}

func (j *Journal) replay(f *os.File) (int64, error) {
	r := bufio.NewReader(f)
	var good int64
	for {
		line, err := r.ReadBytes('\n')
		if errors.Is(err, io.EOF) {
			return good, nil // a line without its newline is torn
		}
		if err != nil {
			return 0, fmt.Errorf("reading the journal: %w", err)
		}
		var rec Record
		if json.Unmarshal(line, &rec) != nil || rec.Session == "" || rec.Event.Seq < 1 || rec.Event.Step == "" {
			return good, nil // damaged: keep what came before
		}
		good += int64(len(line))
		j.records = append(j.records, rec)
		if rec.Event.Seq > j.seq[rec.Session] {
			j.seq[rec.Session] = rec.Event.Seq
		}
	}
}

// Append journals one step of a session, durably, and returns it with its
// sequence number.
func (j *Journal) Append(session, phase string, e wire.Event) (Record, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.seq[session]++
	e.Seq = j.seq[session]
	if e.Time.IsZero() {
		e.Time = time.Now().UTC()
	}
	rec := Record{Session: session, Phase: phase, Event: e}
	b, err := json.Marshal(rec)
	if err != nil {
		j.seq[session]--
		return Record{}, err
	}
	off, err := j.f.Seek(0, io.SeekCurrent)
	if err != nil {
		j.seq[session]--
		return Record{}, fmt.Errorf("writing the journal: %w", err)
	}
	if _, err := j.f.Write(append(b, '\n')); err != nil {
		j.seq[session]--
		j.rollback(off)
		return Record{}, fmt.Errorf("writing the journal: %w", err)
	}
	if err := j.f.Sync(); err != nil {
		j.seq[session]--
		j.rollback(off)
		return Record{}, fmt.Errorf("syncing the journal: %w", err)
	}
	j.records = append(j.records, rec)
	j.written++
	if j.crashAt > 0 && j.written == j.crashAt {
		os.Exit(CrashExitCode)
	}
	return rec, nil
}

// CrashExitCode is the exit status of a crash injected with CrashEnv.
const CrashExitCode = 86

// rollback cuts a record that was not fully written (a full disk), so the
// next one does not land glued to its half.
func (j *Journal) rollback(off int64) {
	if err := j.f.Truncate(off); err == nil {
		_, _ = j.f.Seek(off, io.SeekStart)
	}
}

// Records returns every record so far (a copy).
func (j *Journal) Records() []Record {
	j.mu.Lock()
	defer j.mu.Unlock()
	return append([]Record(nil), j.records...)
}

// Since returns a session's records with seq greater than after.
func (j *Journal) Since(session string, after int64) []Record {
	j.mu.Lock()
	defer j.mu.Unlock()
	var out []Record
	for _, r := range j.records {
		if r.Session == session && r.Event.Seq > after {
			out = append(out, r)
		}
	}
	return out
}

// Last returns the last record of a session for an item and step, if any.
func (j *Journal) Last(session, itemID, step string) (wire.Event, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	for i := len(j.records) - 1; i >= 0; i-- {
		r := j.records[i]
		if r.Session == session && r.Event.ItemID == itemID && r.Event.Step == step {
			return r.Event, true
		}
	}
	return wire.Event{}, false
}

// Path is the journal file.
func (j *Journal) Path() string { return j.path }

// Close closes the file.
func (j *Journal) Close() error { return j.f.Close() }

// WriteFile replaces path with data atomically and durably: a temporary
// file is written and fsynced, renamed over path, and the directory fsynced.
func WriteFile(path string, data []byte, perm os.FileMode) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", filepath.Base(path), err)
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", filepath.Base(path), err)
	}
	if err := f.Chmod(perm); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("syncing %s: %w", filepath.Base(path), err)
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("replacing %s: %w", filepath.Base(path), err)
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// WriteJSON stores v as JSON with WriteFile.
func WriteJSON(path string, v any, perm os.FileMode) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return WriteFile(path, append(b, '\n'), perm)
}

// ReadJSON reads JSON into v; ok is false when the file does not exist.
func ReadJSON(path string, v any) (bool, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("reading %s: %w", filepath.Base(path), err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return false, fmt.Errorf("%s is damaged: %w", filepath.Base(path), err)
	}
	return true, nil
}
