// Package diag writes and reads a device's diagnostics bundle: a zip with
// the journal (the named timeline), the state, the manifests, the client
// log and system and TPM facts — never a key. `whiteglove diagnose` prints
// the timeline from it with names and durations, failures first.
package diag

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/whiteglove/whiteglove/internal/agent/journal"
)

// Files taken from the state directory when present. Keys and TPM state
// are never included.
var included = []string{"journal.jsonl", "state.json", "manifest-technician.json", "manifest-user.json", "client.log"}

// MaxFile caps each file in the bundle (the newest part of a log is kept).
const MaxFile = 16 << 20

// Write writes the bundle for the state directory dir to path, with facts
// (anything JSON-encodable: system, TPM, OS) as facts.json.
func Write(dir, path string, facts any) error {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range included {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("reading %s: %w", name, err)
		}
		if len(b) > MaxFile {
			b = b[len(b)-MaxFile:]
		}
		w, err := zw.Create(name)
		if err != nil {
			return err
		}
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	fb, err := json.MarshalIndent(facts, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding facts: %w", err)
	}
	w, err := zw.Create("facts.json")
	if err != nil {
		return err
	}
	if _, err := w.Write(fb); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	return journal.WriteFile(path, buf.Bytes(), 0o600)
}

// Step is one named step with its duration.
type Step struct {
	Session  string
	Phase    string
	Name     string
	Step     string
	ItemID   string
	Category string
	Start    time.Time
	End      time.Time
	State    string
	Detail   string
	Error    string
}

// Duration of the step (zero for an instant or unfinished one).
func (s Step) Duration() time.Duration {
	if s.End.IsZero() || s.Start.IsZero() {
		return 0
	}
	return s.End.Sub(s.Start)
}

// Report is what a bundle says.
type Report struct {
	Steps    []Step
	Facts    map[string]any
	State    map[string]any
	Damaged  []string          // what could not be read
	Sessions map[string]string // session → phase
}

// MaxBundle is the largest bundle Read accepts.
const MaxBundle = 256 << 20

// Read reads a bundle.
func Read(r io.ReaderAt, size int64) (Report, error) {
	if size > MaxBundle {
		return Report{}, fmt.Errorf("the bundle is larger than %d MiB", MaxBundle>>20)
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return Report{}, fmt.Errorf("the file is not a diagnostics zip: %w", err)
	}
	rep := Report{Sessions: map[string]string{}}
	var recs []journal.Record
	for _, f := range zr.File {
		if f.UncompressedSize64 > MaxFile+1024 {
			rep.Damaged = append(rep.Damaged, f.Name+" (too large)")
			continue
		}
		rc, err := f.Open()
		if err != nil {
			rep.Damaged = append(rep.Damaged, f.Name)
			continue
		}
		b, err := io.ReadAll(io.LimitReader(rc, MaxFile+1024))
		rc.Close()
		if err != nil {
			rep.Damaged = append(rep.Damaged, f.Name)
			continue
		}
		switch f.Name {
		case "journal.jsonl":
			sc := bufio.NewScanner(bytes.NewReader(b))
			sc.Buffer(make([]byte, 64<<10), MaxFile+1024)
			line := 0
			for sc.Scan() {
				line++
				var rec journal.Record
				if json.Unmarshal(sc.Bytes(), &rec) != nil {
					rep.Damaged = append(rep.Damaged, fmt.Sprintf("journal.jsonl line %d", line))
					continue
				}
				recs = append(recs, rec)
			}
			if err := sc.Err(); err != nil {
				rep.Damaged = append(rep.Damaged, fmt.Sprintf("journal.jsonl after line %d: %v", line, err))
			}
		case "facts.json":
			if json.Unmarshal(b, &rep.Facts) != nil {
				rep.Damaged = append(rep.Damaged, f.Name)
			}
		case "state.json":
			if json.Unmarshal(b, &rep.State) != nil {
				rep.Damaged = append(rep.Damaged, f.Name)
			}
		}
	}
	rep.Steps = steps(recs)
	for _, r := range recs {
		rep.Sessions[r.Session] = r.Phase
	}
	return rep, nil
}

// steps pairs each "started" record with the next record that ends the
// same step of the same item in the same session.
func steps(recs []journal.Record) []Step {
	var out []Step
	open := map[string]int{}
	for _, r := range recs {
		e := r.Event
		key := r.Session + "\x00" + e.Step + "\x00" + e.ItemID + "\x00" + e.Name
		if e.State == "started" {
			open[key] = len(out)
			out = append(out, Step{Session: r.Session, Phase: r.Phase, Name: e.Name, Step: e.Step, ItemID: e.ItemID, Category: e.Category,
				Start: e.Time, State: "unfinished", Detail: e.Detail})
			continue
		}
		if i, ok := open[key]; ok {
			out[i].End, out[i].State = e.Time, e.State
			if e.Detail != "" {
				out[i].Detail = e.Detail
			}
			out[i].Error = e.Error
			if e.State != "retrying" {
				delete(open, key)
			}
			continue
		}
		out = append(out, Step{Session: r.Session, Phase: r.Phase, Name: e.Name, Step: e.Step, ItemID: e.ItemID, Category: e.Category,
			Start: e.Time, End: e.Time, State: e.State, Detail: e.Detail, Error: e.Error})
	}
	return out
}

// Print writes the report: failures first, then each session's timeline.
func Print(w io.Writer, rep Report) {
	var failed []Step
	for _, s := range rep.Steps {
		if s.State == "failed" || s.State == "unfinished" {
			failed = append(failed, s)
		}
	}
	if len(failed) > 0 {
		fmt.Fprintf(w, "FAILURES (%d)\n", len(failed))
		for _, s := range failed {
			fmt.Fprintf(w, "  %s %s %q: %s%s\n", s.Start.Format("2006-01-02 15:04:05"), s.Step, s.Name, s.State, suffix(" — ", s.Error))
		}
		fmt.Fprintln(w)
	} else {
		fmt.Fprintln(w, "No failures.")
		fmt.Fprintln(w)
	}
	order := []string{}
	seen := map[string]bool{}
	for _, s := range rep.Steps {
		if !seen[s.Session] {
			seen[s.Session] = true
			order = append(order, s.Session)
		}
	}
	for _, sess := range order {
		var ss []Step
		for _, s := range rep.Steps {
			if s.Session == sess {
				ss = append(ss, s)
			}
		}
		sort.SliceStable(ss, func(i, j int) bool { return ss[i].Start.Before(ss[j].Start) })
		total := ss[len(ss)-1].End.Sub(ss[0].Start)
		if ss[len(ss)-1].End.IsZero() {
			total = 0
		}
		fmt.Fprintf(w, "SESSION %s (%s phase) — %s\n", sess, rep.Sessions[sess], total.Round(time.Millisecond))
		for _, s := range ss {
			fmt.Fprintf(w, "  %s  %9s  %-11s %-10s %s%s%s\n", s.Start.Format("15:04:05.000"), s.Duration().Round(time.Millisecond),
				s.Step, s.State, s.Name, suffix(" — ", s.Detail), suffix(" — error: ", s.Error))
		}
		fmt.Fprintln(w)
	}
	if len(rep.Damaged) > 0 {
		fmt.Fprintf(w, "Could not read: %s\n", strings.Join(rep.Damaged, ", "))
	}
}

func suffix(sep, s string) string {
	if s == "" {
		return ""
	}
	return sep + s
}
