package winenv

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/whiteglove/whiteglove/internal/apps"
)

// evalFile evaluates a file rule on Path\FileOrFolderName.
func (e *Env) evalFile(r apps.Rule, f Facts, wow64 bool) (bool, string, error) {
	win := strings.TrimRight(r.Path, `\/`) + `\` + r.FileOrFolderName
	p, err := e.path(win, f.User, wow64)
	if err != nil {
		return false, "", err
	}
	fi, statErr := os.Stat(p)
	if statErr != nil && !os.IsNotExist(statErr) {
		return false, "", fmt.Errorf("checking %s: %w", win, statErr)
	}
	exists := statErr == nil
	switch r.Operation {
	case apps.OpExists:
		return exists, fmt.Sprintf("%s %s", win, existence(exists)), nil
	case apps.OpDoesNotExist:
		return !exists, fmt.Sprintf("%s %s", win, existence(exists)), nil
	}
	if !exists {
		return false, win + " does not exist", nil
	}
	var c int
	var observed string
	switch r.Operation {
	case apps.OpModifiedDate, apps.OpCreatedDate:
		want, err := time.Parse(time.RFC3339, strings.TrimSpace(r.Value))
		if err != nil {
			return false, "", fmt.Errorf("the value %q is not an RFC 3339 date-time", r.Value)
		}
		t := fi.ModTime()
		if r.Operation == apps.OpCreatedDate {
			t = createdTime(fi)
		}
		t = t.UTC().Truncate(time.Second)
		c, observed = t.Compare(want), t.Format(time.RFC3339)
	case apps.OpVersion:
		want, err := ParseVersion(r.Value)
		if err != nil {
			return false, "", err
		}
		v, ok, err := FileVersion(p)
		if err != nil {
			return false, "", err
		}
		if !ok || fi.IsDir() {
			return false, win + " has no version (no " + r.FileOrFolderName + ".version next to it)", nil
		}
		c, observed = v.Compare(want), v.String()
	case apps.OpSizeInMB:
		want, err := strconv.ParseInt(strings.TrimSpace(r.Value), 10, 64)
		if err != nil {
			return false, "", fmt.Errorf("the size %q is not a whole number of MB", r.Value)
		}
		if fi.IsDir() {
			return false, win + " is a folder, which has no size", nil
		}
		mb := fi.Size() >> 20
		c, observed = cmpInt(mb, want), strconv.FormatInt(mb, 10)+" MB"
	default:
		return false, "", fmt.Errorf("file rules cannot %q", r.Operation)
	}
	ok, err := holds(r.Operator, c)
	if err != nil {
		return false, "", err
	}
	return ok, fmt.Sprintf("%s of %s: %s %s %s %s", r.Operation, win, observed, opText(r.Operator), r.Value, verdict(ok)), nil
}

func existence(exists bool) string {
	if exists {
		return "exists"
	}
	return "does not exist"
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
