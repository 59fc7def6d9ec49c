package winenv

import (
	"cmp"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// Version is a parsed version: up to four numeric components, missing ones
// zero.
type Version [4]uint64

// ParseVersion parses 1 to 4 dot-separated decimal numbers ("1", "1.2.3.4"),
// surrounding spaces allowed.
func ParseVersion(s string) (Version, error) {
	var v Version
	parts := strings.Split(strings.TrimSpace(s), ".")
	if len(parts) > 4 {
		return v, fmt.Errorf("version %q has more than 4 parts", s)
	}
	for i, p := range parts {
		if p == "" || strings.Trim(p, "0123456789") != "" {
			return v, fmt.Errorf("version %q is not 1 to 4 dot-separated numbers", s)
		}
		n, err := strconv.ParseUint(p, 10, 64)
		if err != nil {
			return v, fmt.Errorf("version %q: part %q is too large", s, p)
		}
		v[i] = n
	}
	return v, nil
}

// Compare returns -1, 0 or +1 as v is below, equal to or above w.
func (v Version) Compare(w Version) int {
	for i := range v {
		if c := cmp.Compare(v[i], w[i]); c != 0 {
			return c
		}
	}
	return 0
}

// String returns the four components, "1.2.0.0".
func (v Version) String() string {
	return fmt.Sprintf("%d.%d.%d.%d", v[0], v[1], v[2], v[3])
}

// CompareVersions compares two version strings numerically per component
// (see ParseVersion).
func CompareVersions(a, b string) (int, error) {
	va, err := ParseVersion(a)
	if err != nil {
		return 0, err
	}
	vb, err := ParseVersion(b)
	if err != nil {
		return 0, err
	}
	return va.Compare(vb), nil
}

// FileVersion returns the version of the file at the real path p, read from
// its sidecar "p.version" (see the package documentation); ok is false when
// there is no sidecar.
func FileVersion(p string) (v Version, ok bool, err error) {
	b, err := os.ReadFile(p + ".version")
	if os.IsNotExist(err) {
		return v, false, nil
	}
	if err != nil {
		return v, false, fmt.Errorf("reading the file version: %w", err)
	}
	line, _, _ := strings.Cut(string(b), "\n")
	if v, err = ParseVersion(strings.TrimSuffix(line, "\r")); err != nil {
		return v, false, fmt.Errorf("reading the file version of %s: %w", p, err)
	}
	return v, true, nil
}
