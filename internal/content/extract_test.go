package content

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

func TestExtract(t *testing.T) {
	for format, build := range map[string]func(testing.TB, []tEntry) []byte{"zip": buildZip, "tar.gz": buildTarGz} {
		t.Run(format, func(t *testing.T) {
			entries := with(tEntry{name: "empty/", kind: 'd'})
			data := build(t, entries)
			p, err := readPkg(data, Limits{})
			if err != nil {
				t.Fatal(err)
			}
			parent := t.TempDir()
			dst := filepath.Join(parent, "app")
			if err := Extract(t.Context(), p, dst); err != nil {
				t.Fatal(err)
			}
			for _, e := range entries {
				path := filepath.Join(dst, filepath.FromSlash(e.name))
				if e.kind == 'd' {
					if info, err := os.Stat(path); err != nil || !info.IsDir() {
						t.Errorf("directory %s: %v", e.name, err)
					}
					continue
				}
				if got, err := os.ReadFile(path); err != nil || string(got) != e.body {
					t.Errorf("file %s: %q, %v", e.name, got, err)
				}
			}
			if names := dirNames(t, parent); len(names) != 1 || names[0] != "app" {
				t.Errorf("parent holds %v, want only app", names)
			}
			if err := Extract(t.Context(), p, dst); !errors.Is(err, fs.ErrExist) {
				t.Errorf("Extract over an existing directory = %v", err)
			}
		})
	}
}

func TestExtractChangedArchiveLeavesNothing(t *testing.T) {
	es := validEntries()
	es[2].stored, es[2].body = true, "UNIQUE-MARKER-installer"
	data := buildZip(t, es)
	p, err := readPkg(data, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	// The archive changes under the Package (readPkg's reader shares data).
	data[bytes.Index(data, []byte("UNIQUE-MARKER"))] ^= 0xff
	parent := t.TempDir()
	err = Extract(t.Context(), p, filepath.Join(parent, "app"))
	if !errors.Is(err, ErrInvalidPackage) {
		t.Fatalf("Extract of a changed archive = %v", err)
	}
	t.Log(err)
	if names := dirNames(t, parent); len(names) != 0 {
		t.Errorf("parent holds %v after a failed Extract", names)
	}
	if err := Extract(t.Context(), Package{}, filepath.Join(parent, "x")); err == nil {
		t.Error("Extract of a zero Package succeeded")
	}
}
