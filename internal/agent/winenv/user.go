package winenv

import (
	"fmt"
	"strings"
)

// systemProfile is the profile folder of the SYSTEM account.
const systemProfile = `C:\Windows\System32\config\systemprofile`

// CheckUser returns an error unless user is "" (SYSTEM) or a name that can
// be a Windows profile folder and a registry key: at most 64 characters,
// no control characters, none of \ / : * ? " < > | [ ] ; = , + %, not
// starting or ending with a space or dot.
func CheckUser(user string) error {
	switch {
	case user == "":
		return nil
	case len(user) > 64:
		return fmt.Errorf("user name %.20q… is longer than 64 bytes", user)
	case strings.ContainsFunc(user, func(r rune) bool { return r < 0x20 || r == 0x7f }) ||
		strings.ContainsAny(user, `\/:*?"<>|[];=,+%`):
		return fmt.Errorf("user name %q contains a character Windows does not allow in one", user)
	case strings.Trim(user, " .") != user:
		return fmt.Errorf("user name %q starts or ends with a space or dot", user)
	}
	return nil
}

// profile returns the Windows path of the user's profile folder.
func profile(user string) string {
	if user == "" {
		return systemProfile
	}
	return `C:\Users\` + user
}

// userName is %USERNAME% for the user.
func userName(user string) string {
	if user == "" {
		return "SYSTEM"
	}
	return user
}

// winVars returns the Windows path variables for user, by upper-case name,
// with their Windows values. wow64 gives the 32-bit view on 64-bit Windows,
// where %ProgramFiles% is C:\Program Files (x86).
func winVars(user string, wow64 bool) map[string]string {
	p := profile(user)
	temp := p + `\AppData\Local\Temp`
	if user == "" {
		temp = `C:\Windows\Temp`
	}
	pf := `C:\Program Files`
	if wow64 {
		pf = `C:\Program Files (x86)`
	}
	return map[string]string{
		"SYSTEMDRIVE": `C:`, "SYSTEMROOT": `C:\Windows`, "WINDIR": `C:\Windows`,
		"PROGRAMFILES": pf, "PROGRAMFILES(X86)": `C:\Program Files (x86)`, "PROGRAMW6432": `C:\Program Files`,
		"COMMONPROGRAMFILES": pf + `\Common Files`,
		"PROGRAMDATA":        `C:\ProgramData`, "ALLUSERSPROFILE": `C:\ProgramData`, "PUBLIC": `C:\Users\Public`,
		"USERPROFILE": p, "APPDATA": p + `\AppData\Roaming`, "LOCALAPPDATA": p + `\AppData\Local`,
		"TEMP": temp, "TMP": temp, "USERNAME": userName(user),
	}
}

// varNames are the variables in the spelling Windows uses, for Vars.
var varNames = []string{
	"SystemDrive", "SystemRoot", "windir", "ProgramFiles", "ProgramFiles(x86)", "ProgramW6432",
	"CommonProgramFiles", "ProgramData", "ALLUSERSPROFILE", "PUBLIC", "USERPROFILE", "APPDATA",
	"LOCALAPPDATA", "TEMP", "TMP",
}
