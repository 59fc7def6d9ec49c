package winenv

import (
	"cmp"
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/whiteglove/whiteglove/internal/apps"
)

// evalDetectionScript runs a detection script: the app is installed when
// it exits 0 and writes something to stdout, as Intune judges it.
func (e *Env) evalDetectionScript(ctx context.Context, r apps.Rule, f Facts) (bool, string, error) {
	exit, stdout, _, err := e.RunScript(ctx, r.ScriptContent, f)
	if err != nil {
		return false, "", err
	}
	switch {
	case exit != 0:
		return false, fmt.Sprintf("the detection script exited with %d", exit), nil
	case strings.TrimSpace(stdout) == "":
		return false, "the detection script exited with 0 but wrote nothing to stdout", nil
	}
	return true, "the detection script exited with 0 and wrote to stdout", nil
}

// evalRequirementScript runs a requirement script (as SYSTEM unless
// RunAsAccount is RunAsUser) and compares the last non-empty line of its
// output with the rule's value; a non-zero exit fails the requirement.
func (e *Env) evalRequirementScript(ctx context.Context, r apps.Rule, f Facts) (bool, string, error) {
	if r.RunAsAccount != apps.RunAsUser {
		f.User = ""
	}
	exit, stdout, _, err := e.RunScript(ctx, r.ScriptContent, f)
	if err != nil {
		return false, "", err
	}
	if exit != 0 {
		return false, fmt.Sprintf("the requirement script exited with %d", exit), nil
	}
	out := lastLine(stdout)
	c, err := compareOutput(r.Operation, out, r.Value)
	if err != nil {
		return false, "the requirement script's output " + err.Error(), nil
	}
	ok, err := holds(r.Operator, c)
	if err != nil {
		return false, "", err
	}
	return ok, fmt.Sprintf("the requirement script's output: %q %s %q %s", out, opText(r.Operator), r.Value, verdict(ok)), nil
}

// lastLine returns the last non-blank line of s, trimmed.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

// compareOutput compares a script's output with a rule value by operation.
func compareOutput(op, got, want string) (int, error) {
	switch op {
	case apps.OpString:
		return strings.Compare(got, want), nil
	case apps.OpInteger:
		g, err1 := strconv.ParseInt(got, 10, 64)
		w, err2 := strconv.ParseInt(strings.TrimSpace(want), 10, 64)
		if err1 != nil || err2 != nil {
			return 0, fmt.Errorf("%q or value %q is not an integer", got, want)
		}
		return cmp.Compare(g, w), nil
	case apps.OpFloat:
		g, err1 := strconv.ParseFloat(got, 64)
		w, err2 := strconv.ParseFloat(strings.TrimSpace(want), 64)
		if err1 != nil || err2 != nil {
			return 0, fmt.Errorf("%q or value %q is not a number", got, want)
		}
		return cmp.Compare(g, w), nil
	case apps.OpVersion:
		c, err := CompareVersions(got, want)
		if err != nil {
			return 0, fmt.Errorf("%q: %w", got, err)
		}
		return c, nil
	case apps.OpDateTime:
		g, err1 := time.Parse(time.RFC3339, got)
		w, err2 := time.Parse(time.RFC3339, strings.TrimSpace(want))
		if err1 != nil || err2 != nil {
			return 0, fmt.Errorf("%q or value %q is not an RFC 3339 date-time", got, want)
		}
		return g.Compare(w), nil
	case apps.OpBoolean:
		g, err1 := strconv.ParseBool(got)
		w, err2 := strconv.ParseBool(strings.TrimSpace(want))
		if err1 != nil || err2 != nil {
			return 0, fmt.Errorf("%q or value %q is not true or false", got, want)
		}
		if g == w {
			return 0, nil
		}
		return 1, nil
	}
	return 0, fmt.Errorf("cannot be compared by %q", op)
}
