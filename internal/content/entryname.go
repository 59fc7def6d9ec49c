package content

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// maxNameLen bounds an entry's name in bytes.
const maxNameLen = 1024

// cleanName validates an archive entry name and returns it without a
// leading "./" (common in tar files) or a directory's trailing "/". root is
// true for the archive root itself ("./"), which is skipped. Names must be
// relative, use "/", be clean (no "", "." or ".." element) and be valid
// Windows file names, since devices extract packages on Windows.
func cleanName(raw string, dir bool) (name string, root bool, err error) {
	name = raw
	for strings.HasPrefix(name, "./") {
		name = name[2:]
	}
	if dir {
		name = strings.TrimSuffix(name, "/")
	}
	if name == "" || name == "." {
		if dir {
			return "", true, nil
		}
		return "", false, fmt.Errorf("a file has no name")
	}
	switch {
	case !utf8.ValidString(name):
		return "", false, fmt.Errorf("the name is not valid UTF-8")
	case strings.HasPrefix(name, "/"):
		return "", false, fmt.Errorf("absolute path: names must be relative to the package root")
	case strings.Contains(name, `\`):
		return "", false, fmt.Errorf(`backslash in the name: separate directories with "/"`)
	case len(name) > maxNameLen:
		return "", false, fmt.Errorf("the name is longer than %d bytes", maxNameLen)
	}
	elems := strings.Split(name, "/")
	for _, e := range elems {
		if e == ".." {
			return "", false, fmt.Errorf(`".." would escape the package root`)
		}
	}
	for _, e := range elems {
		if err := checkElem(e); err != nil {
			return "", false, err
		}
	}
	return name, false, nil
}

// checkElem validates one path element as a Windows file name.
func checkElem(e string) error {
	if e == "" || e == "." {
		return fmt.Errorf(`empty or "." path element: write the path without them`)
	}
	for _, r := range e {
		if r < 0x20 || r == 0x7f || strings.ContainsRune(`:*?"<>|`, r) {
			return fmt.Errorf("character %q is not allowed in Windows file names", r)
		}
	}
	if last := e[len(e)-1]; last == '.' || last == ' ' {
		return fmt.Errorf("%q ends with a dot or space, which Windows drops", e)
	}
	base, _, _ := strings.Cut(strings.ToUpper(e), ".")
	switch strings.TrimRight(base, " ") {
	case "CON", "PRN", "AUX", "NUL",
		"COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
		"LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9":
		return fmt.Errorf("%q is a reserved device name on Windows", e)
	}
	return nil
}

// tree records the names seen in an archive, compared ignoring case as
// Windows does, to refuse duplicates and a name that is both a file and a
// directory.
type tree struct {
	isDir    map[string]bool // upper-cased name → directory
	explicit map[string]bool // names that had an entry of their own
}

func newTree() *tree {
	return &tree{isDir: map[string]bool{}, explicit: map[string]bool{}}
}

// add records an entry, with its parent directories.
func (t *tree) add(name string, dir bool) error {
	key := strings.ToUpper(name)
	if wasDir, seen := t.isDir[key]; seen {
		switch {
		case t.explicit[key]:
			return fmt.Errorf("duplicate entry (names are compared ignoring case, as on Windows)")
		case !dir:
			return fmt.Errorf("it is a file here but a directory in another entry")
		case !wasDir:
			return fmt.Errorf("it is a directory here but a file in another entry")
		}
	}
	for i := len(name) - 1; i > 0; i-- {
		if name[i] != '/' {
			continue
		}
		parent := strings.ToUpper(name[:i])
		if wasDir, seen := t.isDir[parent]; seen {
			if !wasDir {
				return fmt.Errorf("its parent %q is a file", name[:i])
			}
			break
		}
		t.isDir[parent] = true
	}
	t.isDir[key] = dir
	t.explicit[key] = true
	return nil
}
