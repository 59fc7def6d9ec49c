package winenv

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/whiteglove/whiteglove/internal/apps"
)

// evalRegistry evaluates a registry rule.
func (e *Env) evalRegistry(r apps.Rule, f Facts, wow64 bool) (bool, string, error) {
	reg := e.reg.As(f.User)
	key, err := CanonicalKey(r.KeyPath, f.User)
	if err != nil {
		return false, "", err
	}
	if wow64 {
		key = wow64Key(key)
	}
	what := key
	if r.ValueName != "" {
		what = fmt.Sprintf("%s value %q", key, r.ValueName)
	}
	var exists bool
	var v Value
	if r.ValueName == "" && (r.Operation == apps.OpExists || r.Operation == apps.OpDoesNotExist) {
		exists, err = reg.KeyExists(key)
	} else {
		v, exists, err = reg.Get(key, r.ValueName)
	}
	if err != nil {
		return false, "", err
	}
	switch r.Operation {
	case apps.OpExists:
		return exists, what + " " + existence(exists), nil
	case apps.OpDoesNotExist:
		return !exists, what + " " + existence(exists), nil
	}
	if !exists {
		return false, what + " does not exist", nil
	}
	c, err := compareData(r.Operation, v, r.Value)
	if err != nil {
		return false, fmt.Sprintf("%s: %v", what, err), nil
	}
	ok, err := holds(r.Operator, c)
	if err != nil {
		return false, "", err
	}
	return ok, fmt.Sprintf("%s: %q %s %q %s", what, v.Data, opText(r.Operator), r.Value, verdict(ok)), nil
}

// compareData compares registry data with a rule's value as a string, an
// integer or a version.
func compareData(op string, v Value, want string) (int, error) {
	switch op {
	case apps.OpString:
		return strings.Compare(v.Data, want), nil
	case apps.OpInteger:
		got, err := strconv.ParseInt(strings.TrimSpace(v.Data), 0, 64)
		if err != nil {
			if u, uerr := strconv.ParseUint(strings.TrimSpace(v.Data), 0, 64); uerr == nil {
				return 1, checkInt(want, u) // above every int64
			}
			return 0, fmt.Errorf("%s data %q is not an integer", v.Type, v.Data)
		}
		w, err := strconv.ParseInt(strings.TrimSpace(want), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("the value %q is not an integer", want)
		}
		return cmpInt(got, w), nil
	case apps.OpVersion:
		got, err := ParseVersion(v.Data)
		if err != nil {
			return 0, fmt.Errorf("data %q is not a version", v.Data)
		}
		w, err := ParseVersion(want)
		if err != nil {
			return 0, err
		}
		return got.Compare(w), nil
	}
	return 0, fmt.Errorf("registry rules cannot %q", op)
}

// checkInt reports an error when want is not an integer (the observed
// value u is beyond int64 and thus above it).
func checkInt(want string, _ uint64) error {
	if _, err := strconv.ParseInt(strings.TrimSpace(want), 10, 64); err != nil {
		return fmt.Errorf("the value %q is not an integer", want)
	}
	return nil
}

// wow64Key returns the 32-bit view of a canonical key on 64-bit Windows:
// HKLM\SOFTWARE\X is HKLM\SOFTWARE\WOW6432Node\X.
func wow64Key(canon string) string {
	const sw = hklm + `\SOFTWARE`
	id := keyID(canon)
	if !strings.HasPrefix(id, sw+`\`) || strings.HasPrefix(id, sw+`\WOW6432NODE`) {
		return canon
	}
	return canon[:len(sw)] + `\WOW6432Node` + canon[len(sw):]
}
