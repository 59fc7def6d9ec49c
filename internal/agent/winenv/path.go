package winenv

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Path maps a Windows path to the real path under Root/C, for user ("" =
// SYSTEM): it expands %VARIABLES% (see the package documentation), accepts
// "\" and "/" as separators, and matches existing components ignoring case.
// It fails for relative paths, drives other than C:, unknown variables,
// "..", characters Windows does not allow in names, and paths that a
// symbolic link would lead out of Root.
func (e *Env) Path(winPath, user string) (string, error) {
	return e.path(winPath, user, false)
}

// path is Path, with the 32-bit view of %ProgramFiles% when wow64.
func (e *Env) path(winPath, user string, wow64 bool) (string, error) {
	if err := CheckUser(user); err != nil {
		return "", fmt.Errorf("mapping the path %q: %w", winPath, err)
	}
	expanded, err := expand(winPath, winVars(user, wow64))
	if err != nil {
		return "", fmt.Errorf("mapping the path %q: %w", winPath, err)
	}
	parts, err := splitWinPath(expanded)
	if err != nil {
		return "", fmt.Errorf("mapping the path %q: %w", winPath, err)
	}
	real, err := e.resolve(parts)
	if err != nil {
		return "", fmt.Errorf("mapping the path %q: %w", winPath, err)
	}
	return real, nil
}

// expand replaces %NAME% with vars[upper(NAME)].
func expand(s string, vars map[string]string) (string, error) {
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '%')
		if i < 0 {
			b.WriteString(s)
			return b.String(), nil
		}
		j := strings.IndexByte(s[i+1:], '%')
		if j < 0 {
			return "", errors.New(`a "%" has no closing "%"`)
		}
		name := s[i+1 : i+1+j]
		v, ok := vars[strings.ToUpper(name)]
		if !ok {
			return "", fmt.Errorf("unknown variable %%%s%%", name)
		}
		b.WriteString(s[:i])
		b.WriteString(v)
		s = s[i+j+2:]
	}
}

// splitWinPath checks an absolute C: path and returns its components
// below the drive.
func splitWinPath(p string) ([]string, error) {
	p = toSlash(p)
	if len(p) < 2 || p[1] != ':' || !('a' <= p[0]|0x20 && p[0]|0x20 <= 'z') {
		return nil, errors.New(`not an absolute path: it must start with C:\ or a variable such as %ProgramFiles%`)
	}
	if p[0]|0x20 != 'c' {
		return nil, fmt.Errorf("drive %c: is not emulated; only C: exists", p[0]&^0x20)
	}
	rest := p[2:]
	if rest != "" && rest[0] != '/' {
		return nil, errors.New(`a drive-relative path (C:name) is not allowed; write C:\name`)
	}
	var parts []string
	for _, c := range strings.Split(rest, "/") {
		switch {
		case c == "" || c == ".":
		case c == "..":
			return nil, errors.New(`".." is not allowed`)
		case strings.ContainsFunc(c, func(r rune) bool { return r < 0x20 }) || strings.ContainsAny(c, `<>:"|?*`):
			return nil, fmt.Errorf("%q contains a character Windows does not allow in names", c)
		default:
			parts = append(parts, c)
		}
	}
	return parts, nil
}

// resolve joins parts below the drive, matching existing entries ignoring
// case, and checks that no symbolic link leads out of Root.
func (e *Env) resolve(parts []string) (string, error) {
	cur, exists := e.drive(), true
	for _, p := range parts {
		next := filepath.Join(cur, p)
		if exists {
			if _, err := os.Lstat(next); err != nil {
				if name, ok := foldMatch(cur, p); ok {
					next = filepath.Join(cur, name)
				} else {
					exists = false
				}
			}
		}
		if exists {
			real, err := filepath.EvalSymlinks(next)
			switch {
			case err != nil:
				return "", fmt.Errorf("%s is a broken symbolic link", next)
			case !within(e.Root, real):
				return "", fmt.Errorf("%s is a symbolic link out of the emulated drive", next)
			}
		}
		cur = next
	}
	return cur, nil
}

// foldMatch finds an entry of dir whose name equals name ignoring case.
func foldMatch(dir, name string) (string, bool) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", false
	}
	for _, en := range entries {
		if strings.EqualFold(en.Name(), name) {
			return en.Name(), true
		}
	}
	return "", false
}

// within reports whether path is root or below it.
func within(root, path string) bool {
	rel, err := filepath.Rel(root, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}
