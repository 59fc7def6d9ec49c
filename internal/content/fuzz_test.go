package content

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzReadPackage feeds arbitrary bytes to ReadPackage: it must never panic,
// every refusal must wrap ErrInvalidPackage, and whatever it accepts must
// extract completely, with nothing outside the destination directory.
// Seeds are in testdata/fuzz/FuzzReadPackage (valid and malicious archives).
func FuzzReadPackage(f *testing.F) {
	lim := Limits{MaxEntries: 64, MaxTotalSize: 4 << 20}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := readPkg(data, lim)
		if err != nil {
			if !errors.Is(err, ErrInvalidPackage) {
				t.Fatalf("error %v does not wrap ErrInvalidPackage", err)
			}
			return
		}
		for _, file := range p.Files {
			if name, _, err := cleanName(file.Name, false); err != nil || name != file.Name {
				t.Fatalf("accepted the name %q", file.Name)
			}
		}
		parent := t.TempDir()
		dst := filepath.Join(parent, "out")
		if err := Extract(t.Context(), p, dst); err != nil {
			t.Fatalf("Extract of an accepted package: %v", err)
		}
		files := 0
		err = filepath.WalkDir(parent, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if path != parent && path != dst && !strings.HasPrefix(path, dst+string(filepath.Separator)) {
				t.Errorf("%s is outside the destination", path)
			}
			switch {
			case d.Type()&fs.ModeSymlink != 0:
				t.Errorf("%s is a symbolic link", path)
			case d.Type().IsRegular():
				files++
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if files != len(p.Files) {
			t.Errorf("extracted %d files, the package lists %d", files, len(p.Files))
		}
		if _, err := os.Stat(filepath.Join(dst, ManifestName)); err != nil {
			t.Errorf("no manifest extracted: %v", err)
		}
	})
}
