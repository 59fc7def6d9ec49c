package hwinfo

import (
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// sysFS reads files under a root directory.
type sysFS struct{ root string }

// path returns the real path of rel ("sys/class/…").
func (fs sysFS) path(rel string) string { return filepath.Join(fs.root, filepath.FromSlash(rel)) }

// read returns the trimmed contents of rel, or "" when it cannot be read.
func (fs sysFS) read(rel string) string {
	s, _ := fs.readErr(rel)
	return s
}

// readErr returns the trimmed, cleaned contents of rel.
func (fs sysFS) readErr(rel string) (string, error) {
	b, err := os.ReadFile(fs.path(rel))
	if err != nil {
		return "", err
	}
	return clean(b), nil
}

// raw returns the contents of rel as they are, or "" when it cannot be
// read.
func (fs sysFS) raw(rel string) string {
	b, _ := os.ReadFile(fs.path(rel))
	return string(b)
}

// list returns the names in the directory rel, or nil.
func (fs sysFS) list(rel string) []string {
	entries, err := os.ReadDir(fs.path(rel))
	if err != nil {
		return nil
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// exists reports whether rel exists.
func (fs sysFS) exists(rel string) bool {
	_, err := os.Stat(fs.path(rel))
	return err == nil
}

// clean makes a sysfs value something the hash can carry: the first line,
// trimmed, invalid UTF-8 read as Latin-1, characters outside printable
// Latin-1 replaced by '?'.
func clean(b []byte) string {
	s := string(b)
	if !utf8.ValidString(s) {
		r := make([]rune, len(b))
		for i, c := range b {
			r[i] = rune(c)
		}
		s = string(r)
	}
	s, _, _ = strings.Cut(s, "\n")
	s = strings.TrimSpace(s)
	s = strings.Map(func(r rune) rune {
		if (r >= 0x20 && r < 0x7f) || (r >= 0xa0 && r <= 0xff) {
			return r
		}
		return '?'
	}, s)
	return strings.TrimSpace(s)
}
