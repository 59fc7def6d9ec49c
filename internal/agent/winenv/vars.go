package winenv

import (
	"path/filepath"
	"strings"
)

// Vars returns the environment for installers and scripts run as user (""
// = SYSTEM), as "NAME=value" lines: the Windows path variables with their
// real paths under Root (SystemDrive=Root/C, ProgramFiles=Root/C/Program
// Files …), USERNAME, WHITEGLOVE_ROOT (Root) and WHITEGLOVE_REGISTRY (the
// registry file). An invalid user name (see CheckUser) gives SYSTEM's
// environment with that USERNAME dropped; callers check the name first.
func (e *Env) Vars(user string) []string {
	if CheckUser(user) != nil {
		user = ""
	}
	vars := winVars(user, false)
	out := make([]string, 0, len(varNames)+3)
	for _, name := range varNames {
		out = append(out, name+"="+e.realPath(vars[strings.ToUpper(name)]))
	}
	return append(out, "USERNAME="+userName(user), "WHITEGLOVE_ROOT="+e.Root, "WHITEGLOVE_REGISTRY="+e.reg.path)
}

// realPath maps one of the fixed Windows paths of winVars (C:\…, already
// valid) to its real path, without case folding.
func (e *Env) realPath(winPath string) string {
	rest := strings.TrimPrefix(toSlash(winPath[2:]), "/")
	if rest == "" {
		return e.drive()
	}
	return filepath.Join(e.drive(), filepath.FromSlash(rest))
}
