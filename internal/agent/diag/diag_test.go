package diag_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/whiteglove/whiteglove/internal/agent/diag"
	"github.com/whiteglove/whiteglove/internal/agent/journal"
	"github.com/whiteglove/whiteglove/internal/deviceapi/wire"
)

var t0 = time.Date(2025, 4, 1, 9, 0, 0, 0, time.UTC)

func ev(sec float64, step, item, name, state string) wire.Event {
	return wire.Event{Time: t0.Add(time.Duration(sec * float64(time.Second))), Step: step, ItemID: item, Name: name, State: state}
}

// stateDir makes a device's state directory: a journal of two sessions,
// the state, a manifest, a log — and the key material that must never
// leave the device.
func stateDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	j, err := journal.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	failed := ev(9, "item", "vpn", "Contoso VPN", "failed")
	failed.Error = "exit code 1603"
	for _, e := range []struct {
		session string
		e       wire.Event
	}{
		{"tech", ev(0, "attestation", "", "Securing your hardware", "started")},
		{"tech", ev(0.5, "attestation", "", "Securing your hardware", "succeeded")},
		{"tech", ev(1, "item", "tools", "Contoso Tools", "started")},
		{"tech", ev(4, "item", "tools", "Contoso Tools", "succeeded")},
		{"tech", ev(5, "item", "vpn", "Contoso VPN", "started")},
		{"tech", ev(6, "item", "vpn", "Contoso VPN", "retrying")},
		{"tech", failed},
		{"tech", ev(10, "item", "cert", "Contoso certificate", "started")}, // never ended: power lost
		{"tech", ev(11, "reseal", "", "Reseal", "succeeded")},              // an instant step
	} {
		if _, err := j.Append(e.session, wire.PhaseTechnician, e.e); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := j.Append("user", wire.PhaseUser, ev(100, "item", "notes", "Contoso Notes", "started")); err != nil {
		t.Fatal(err)
	}
	if _, err := j.Append("user", wire.PhaseUser, ev(102, "item", "notes", "Contoso Notes", "succeeded")); err != nil {
		t.Fatal(err)
	}
	j.Close()
	for name, content := range map[string]string{
		"state.json":               `{"stage":"enrolled","ztdId":"z-1"}`,
		"manifest-technician.json": `{"version":3}`,
		"client.log":               "level=INFO msg=hello\n",
		"device-key.pem":           "-----BEGIN EC PRIVATE KEY-----\nSECRET\n-----END EC PRIVATE KEY-----\n",
		"device-cert.der":          "cert",
		"tpm-software.json":        `{"ekKey":"SECRET"}`,
		"tpm-simulator.json":       `{"seed":"SECRET"}`,
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func bundle(t *testing.T, dir string) (string, diag.Report) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "logs", "bundle.zip")
	if err := diag.Write(dir, out, map[string]any{"tpm": "software", "build": 26100}); err != nil {
		t.Fatalf("Write: %v", err)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	rep, err := diag.Read(f, st.Size())
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	return out, rep
}

func TestWriteLeavesKeysOut(t *testing.T) {
	out, _ := bundle(t, stateDir(t))
	zr, err := zip.OpenReader(out)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		if strings.HasSuffix(f.Name, ".pem") || strings.HasPrefix(f.Name, "tpm-") || strings.Contains(f.Name, "key") {
			t.Errorf("the bundle holds %s", f.Name)
		}
		rc, _ := f.Open()
		var b bytes.Buffer
		b.ReadFrom(rc)
		rc.Close()
		if strings.Contains(b.String(), "SECRET") {
			t.Errorf("%s carries key material", f.Name)
		}
	}
	want := "journal.jsonl state.json manifest-technician.json client.log facts.json"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("bundle files %q, want %q", got, want)
	}
	if st, _ := os.Stat(out); st.Mode().Perm() != 0o600 {
		t.Errorf("bundle mode %v, want 0600", st.Mode())
	}
}

func TestReadPairsSteps(t *testing.T) {
	_, rep := bundle(t, stateDir(t))
	if rep.Facts["tpm"] != "software" || rep.State["ztdId"] != "z-1" || len(rep.Damaged) != 0 {
		t.Errorf("facts %v, state %v, damaged %v", rep.Facts, rep.State, rep.Damaged)
	}
	if rep.Sessions["tech"] != wire.PhaseTechnician || rep.Sessions["user"] != wire.PhaseUser {
		t.Errorf("sessions %v", rep.Sessions)
	}
	type want struct {
		session, step, item, state string
		dur                        time.Duration
		err                        string
	}
	wants := []want{
		{"tech", "attestation", "", "succeeded", 500 * time.Millisecond, ""},
		{"tech", "item", "tools", "succeeded", 3 * time.Second, ""},
		{"tech", "item", "vpn", "failed", 4 * time.Second, "exit code 1603"}, // a retry keeps the step open
		{"tech", "item", "cert", "unfinished", 0, ""},
		{"tech", "reseal", "", "succeeded", 0, ""},
		{"user", "item", "notes", "succeeded", 2 * time.Second, ""},
	}
	if len(rep.Steps) != len(wants) {
		for _, s := range rep.Steps {
			t.Logf("%+v", s)
		}
		t.Fatalf("%d steps, want %d", len(rep.Steps), len(wants))
	}
	for i, w := range wants {
		s := rep.Steps[i]
		if s.Session != w.session || s.Step != w.step || s.ItemID != w.item || s.State != w.state || s.Duration() != w.dur || s.Error != w.err {
			t.Errorf("step %d = %s %s %s %s %s %q; want %s %s %s %s %s %q", i,
				s.Session, s.Step, s.ItemID, s.State, s.Duration(), s.Error, w.session, w.step, w.item, w.state, w.dur, w.err)
		}
	}
}

func TestPrintFailuresFirst(t *testing.T) {
	_, rep := bundle(t, stateDir(t))
	var b bytes.Buffer
	diag.Print(&b, rep)
	out := b.String()
	if !strings.HasPrefix(out, "FAILURES (2)\n") {
		t.Fatalf("report does not start with its failures:\n%s", out)
	}
	failures := out[:strings.Index(out, "SESSION")]
	for _, s := range []string{`"Contoso VPN": failed — exit code 1603`, `"Contoso certificate": unfinished`} {
		if !strings.Contains(failures, s) {
			t.Errorf("failures lack %s:\n%s", s, failures)
		}
	}
	if strings.Contains(failures, "Contoso Tools") {
		t.Errorf("a success is listed as a failure:\n%s", failures)
	}
	tech, user := strings.Index(out, "SESSION tech (technician phase)"), strings.Index(out, "SESSION user (user phase) — 2s")
	if tech < 0 || user < tech {
		t.Errorf("sessions missing or out of order:\n%s", out)
	}
	if !strings.Contains(out, "3s  item        succeeded  Contoso Tools") {
		t.Errorf("a step's duration is not shown:\n%s", out)
	}

	var clean bytes.Buffer
	diag.Print(&clean, diag.Report{Steps: []diag.Step{{Session: "s", Step: "item", State: "succeeded", Start: t0, End: t0.Add(time.Second)}}, Sessions: map[string]string{"s": "user"}})
	if !strings.HasPrefix(clean.String(), "No failures.") {
		t.Errorf("clean report:\n%s", clean.String())
	}
}

func TestReadDamaged(t *testing.T) {
	for _, c := range []struct {
		name    string
		files   map[string]string
		damaged []string
		steps   int
	}{
		{"bad journal line", map[string]string{"journal.jsonl": `{"session":"s","phase":"user","event":{"step":"a","state":"succeeded"}}` + "\nnot json\n"}, []string{"journal.jsonl line 2"}, 1},
		{"bad facts", map[string]string{"facts.json": "{"}, []string{"facts.json"}, 0},
		{"bad state", map[string]string{"state.json": "[1"}, []string{"state.json"}, 0},
		{"unknown files are ignored", map[string]string{"other.bin": "\x00"}, nil, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			zw := zip.NewWriter(&buf)
			for name, content := range c.files {
				w, _ := zw.Create(name)
				w.Write([]byte(content))
			}
			zw.Close()
			rep, err := diag.Read(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(rep.Damaged, ",") != strings.Join(c.damaged, ",") || len(rep.Steps) != c.steps {
				t.Errorf("damaged %v, %d steps; want %v, %d", rep.Damaged, len(rep.Steps), c.damaged, c.steps)
			}
		})
	}
	if _, err := diag.Read(bytes.NewReader([]byte("not a zip")), 9); err == nil {
		t.Error("Read accepted a file that is not a zip")
	}
	if _, err := diag.Read(bytes.NewReader(nil), diag.MaxBundle+1); err == nil {
		t.Error("Read accepted a bundle over the size limit")
	}
}

// FuzzRead reads arbitrary bytes as a bundle (and as a bundle's journal):
// it must never panic, and Print must not either.
func FuzzRead(f *testing.F) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("journal.jsonl")
	b, _ := json.Marshal(journal.Record{Session: "s", Phase: "technician", Event: ev(0, "item", "a", "A", "started")})
	w.Write(append(b, '\n'))
	zw.Close()
	f.Add(buf.Bytes())
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte{})
	f.Add(append(b, '\n'))
	f.Fuzz(func(t *testing.T, data []byte) {
		if rep, err := diag.Read(bytes.NewReader(data), int64(len(data))); err == nil {
			diag.Print(&bytes.Buffer{}, rep)
		}
		// The same bytes as the journal of a bundle.
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, _ := zw.Create("journal.jsonl")
		w.Write(data)
		zw.Close()
		rep, err := diag.Read(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
		if err != nil {
			t.Fatalf("a well-formed zip was refused: %v", err)
		}
		diag.Print(&bytes.Buffer{}, rep)
	})
}
