package journal_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/whiteglove/whiteglove/internal/agent/journal"
	"github.com/whiteglove/whiteglove/internal/deviceapi/wire"
)

func open(t *testing.T, dir string) *journal.Journal {
	t.Helper()
	j, err := journal.Open(dir)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { j.Close() })
	return j
}

func appendAll(t *testing.T, j *journal.Journal, recs ...journal.Record) []journal.Record {
	t.Helper()
	var out []journal.Record
	for _, r := range recs {
		got, err := j.Append(r.Session, r.Phase, r.Event)
		if err != nil {
			t.Fatalf("Append: %v", err)
		}
		out = append(out, got)
	}
	return out
}

func rec(session, step, item, state string) journal.Record {
	return journal.Record{Session: session, Phase: wire.PhaseTechnician, Event: wire.Event{Step: step, ItemID: item, Name: item, State: state}}
}

func TestAppendReplay(t *testing.T) {
	dir := t.TempDir()
	j := open(t, dir)
	when := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
	withTime := rec("s1", "item", "a", "started")
	withTime.Event.Time = when
	got := appendAll(t, j, withTime, rec("s1", "item", "a", "succeeded"), rec("s2", "item", "b", "started"), rec("s1", "item", "c", "started"))

	for i, want := range []int64{1, 2, 1, 3} {
		if got[i].Event.Seq != want {
			t.Errorf("record %d has seq %d, want %d (per session)", i, got[i].Event.Seq, want)
		}
	}
	if !got[0].Event.Time.Equal(when) {
		t.Errorf("a given time was replaced: %s", got[0].Event.Time)
	}
	if got[1].Event.Time.IsZero() || got[1].Event.Time.Location() != time.UTC {
		t.Errorf("a missing time is not filled with UTC now: %v", got[1].Event.Time)
	}
	if j.Path() != filepath.Join(dir, "journal.jsonl") {
		t.Errorf("Path = %s", j.Path())
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}

	again := open(t, dir)
	if rs := again.Records(); len(rs) != 4 || rs[3].Event.ItemID != "c" || rs[2].Session != "s2" {
		t.Fatalf("replayed %+v", rs)
	}
	// Numbering goes on where each session stopped.
	next := appendAll(t, again, rec("s1", "item", "d", "started"), rec("s2", "item", "e", "started"), rec("s3", "item", "f", "started"))
	for i, want := range []int64{4, 2, 1} {
		if next[i].Event.Seq != want {
			t.Errorf("after replay record %d has seq %d, want %d", i, next[i].Event.Seq, want)
		}
	}
	// Records is a copy.
	rs := again.Records()
	rs[0].Session = "changed"
	if again.Records()[0].Session != "s1" {
		t.Error("Records returned the journal's own slice")
	}
}

func TestSinceAndLast(t *testing.T) {
	j := open(t, t.TempDir())
	appendAll(t, j,
		rec("s1", "item", "a", "started"),   // 1
		rec("s1", "detect", "a", "skipped"), // 2
		rec("s1", "item", "a", "failed"),    // 3
		rec("s2", "item", "a", "started"),   // s2 1
		rec("s1", "item", "a", "retrying"),  // 4
		rec("s1", "item", "b", "started"),   // 5
	)
	for _, c := range []struct {
		name    string
		session string
		after   int64
		want    []int64
	}{
		{"all", "s1", 0, []int64{1, 2, 3, 4, 5}},
		{"after 3", "s1", 3, []int64{4, 5}},
		{"after the last", "s1", 5, nil},
		{"other session", "s2", 0, []int64{1}},
		{"unknown session", "nope", 0, nil},
	} {
		t.Run("Since/"+c.name, func(t *testing.T) {
			var got []int64
			for _, r := range j.Since(c.session, c.after) {
				if r.Session != c.session {
					t.Errorf("record of session %s", r.Session)
				}
				got = append(got, r.Event.Seq)
			}
			if !equal(got, c.want) {
				t.Errorf("Since(%s, %d) = %v, want %v", c.session, c.after, got, c.want)
			}
		})
	}
	for _, c := range []struct {
		name, session, item, step string
		ok                        bool
		state                     string
		seq                       int64
	}{
		{"latest of several", "s1", "a", "item", true, "retrying", 4},
		{"by step", "s1", "a", "detect", true, "skipped", 2},
		{"other session", "s2", "a", "item", true, "started", 1},
		{"other item", "s1", "b", "item", true, "started", 5},
		{"none", "s1", "c", "item", false, "", 0},
		{"step of another item", "s1", "b", "detect", false, "", 0},
	} {
		t.Run("Last/"+c.name, func(t *testing.T) {
			e, ok := j.Last(c.session, c.item, c.step)
			if ok != c.ok || e.State != c.state || e.Seq != c.seq {
				t.Errorf("Last = %s #%d, %v; want %s #%d, %v", e.State, e.Seq, ok, c.state, c.seq, c.ok)
			}
		})
	}
}

func equal(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// line is one journal line as Append writes it.
func line(t *testing.T, r journal.Record) string {
	t.Helper()
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b) + "\n"
}

func TestDamagedJournal(t *testing.T) {
	r1 := rec("s", "item", "a", "started")
	r1.Event.Seq = 1
	r2 := rec("s", "item", "a", "succeeded")
	r2.Event.Seq = 2
	r3 := rec("s", "item", "b", "started")
	r3.Event.Seq = 3
	whole := line(t, r1) + line(t, r2)
	for _, c := range []struct {
		name     string
		content  string
		keep     int   // records replayed
		size     int   // file size after Open
		nextSeq  int64 // seq of the next append
		nextLine int   // line the next append lands on (1-based)
	}{
		{"empty", "", 0, 0, 1, 1},
		{"whole", whole, 2, len(whole), 3, 3},
		{"torn last line", whole + line(t, r3)[:20], 2, len(whole), 3, 3},
		{"last line without its newline", whole + strings.TrimSuffix(line(t, r3), "\n"), 2, len(whole), 3, 3},
		{"damaged line keeps what came before", line(t, r1) + "{not json}\n" + line(t, r3), 1, len(line(t, r1)), 2, 2},
		{"damaged first line", "garbage\n" + whole, 0, 0, 1, 1},
		{"zero bytes from a lost write", whole + "\x00\x00\x00\x00", 2, len(whole), 3, 3},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			p := filepath.Join(dir, "journal.jsonl")
			if err := os.WriteFile(p, []byte(c.content), 0o600); err != nil {
				t.Fatal(err)
			}
			j := open(t, dir)
			if n := len(j.Records()); n != c.keep {
				t.Fatalf("replayed %d records, want %d", n, c.keep)
			}
			if st, _ := os.Stat(p); st.Size() != int64(c.size) {
				t.Errorf("file is %d bytes after Open, want %d (cut after the last whole record)", st.Size(), c.size)
			}
			// The journal is still appendable, and the new record is a
			// whole line of its own.
			got := appendAll(t, j, rec("s", "item", "z", "started"))
			if got[0].Event.Seq != c.nextSeq {
				t.Errorf("next seq %d, want %d", got[0].Event.Seq, c.nextSeq)
			}
			j.Close()
			b, _ := os.ReadFile(p)
			lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
			if len(lines) != c.nextLine || !strings.Contains(lines[len(lines)-1], `"itemId":"z"`) {
				t.Errorf("file after append:\n%s", b)
			}
			if n := len(open(t, dir).Records()); n != c.keep+1 {
				t.Errorf("reopened with %d records, want %d", n, c.keep+1)
			}
		})
	}
}

func TestWriteFileReadJSON(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "state.json")
	type state struct {
		Stage string `json:"stage"`
		Boots int    `json:"boots"`
	}
	var s state
	ok, err := journal.ReadJSON(p, &s)
	if ok || err != nil {
		t.Fatalf("missing file: ok %v, err %v; want false, nil", ok, err)
	}
	for i, want := range []state{{"oobe", 1}, {"enrolled", 2}} {
		if err := journal.WriteJSON(p, want, 0o600); err != nil {
			t.Fatal(err)
		}
		var got state
		ok, err := journal.ReadJSON(p, &got)
		if !ok || err != nil || got != want {
			t.Fatalf("write %d: read %+v, %v, %v; want %+v", i, got, ok, err, want)
		}
	}
	st, err := os.Stat(p)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, %v; want 0600", st.Mode(), err)
	}
	// No temporary file is left behind.
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		var names []string
		for _, e := range ents {
			names = append(names, e.Name())
		}
		t.Errorf("directory holds %v, want only state.json", names)
	}

	if err := journal.WriteFile(p, []byte("{half"), 0o644); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(p); !bytes.Equal(b, []byte("{half")) {
		t.Errorf("WriteFile wrote %q", b)
	}
	if ok, err := journal.ReadJSON(p, &s); ok || err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Errorf("damaged file: ok %v, err %v; want an error saying it is damaged", ok, err)
	}
	if err := journal.WriteFile(filepath.Join(dir, "missing", "x"), []byte("x"), 0o600); err == nil {
		t.Error("WriteFile into a missing directory succeeded")
	}
}

// FuzzReplay opens a journal over arbitrary bytes: it must never panic,
// must keep only whole records (what it replays is exactly the records of
// the file's valid prefix), and must stay appendable.
func FuzzReplay(f *testing.F) {
	r := journal.Record{Session: "s", Phase: "technician", Event: wire.Event{Seq: 1, Step: "item", ItemID: "a", State: "started"}}
	b, _ := json.Marshal(r)
	good := string(b) + "\n"
	for _, s := range []string{"", good, good + good, good + good[:10], "{}\n", "null\n", "[]\n", "\n\n", good + "x\n" + good, "\x00\xff\n", `{"session":1}` + "\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		p := filepath.Join(dir, "journal.jsonl")
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		j, err := journal.Open(dir)
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		recs := j.Records()
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		kept := data[:st.Size()]
		if !bytes.HasPrefix(data, kept) {
			t.Fatalf("Open changed the bytes it kept")
		}
		if len(kept) > 0 && kept[len(kept)-1] != '\n' {
			t.Fatalf("the kept part does not end with a whole line: %q", kept)
		}
		n := 0
		for _, l := range bytes.SplitAfter(kept, []byte("\n")) {
			if len(l) == 0 {
				continue
			}
			var r journal.Record
			if err := json.Unmarshal(l, &r); err != nil {
				t.Fatalf("kept a line that is not a record: %q: %v", l, err)
			}
			n++
		}
		if n != len(recs) {
			t.Fatalf("replayed %d records from %d kept lines", len(recs), n)
		}
		var max int64
		for _, r := range recs {
			if r.Session == "fuzz" && r.Event.Seq > max {
				max = r.Event.Seq
			}
		}
		got, err := j.Append("fuzz", "technician", wire.Event{Step: "item"})
		if err != nil {
			t.Fatalf("Append after replay: %v", err)
		}
		if got.Event.Seq != max+1 {
			t.Fatalf("seq %d after a replayed maximum of %d", got.Event.Seq, max)
		}
		j.Close()
		again, err := journal.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		defer again.Close()
		if len(again.Records()) != len(recs)+1 {
			t.Fatalf("reopened with %d records, want %d", len(again.Records()), len(recs)+1)
		}
	})
}
