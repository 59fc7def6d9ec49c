package winenv

import (
	"errors"
	"fmt"
	"strings"
)

// Hive names as the registry stores them.
const (
	hklm = "HKEY_LOCAL_MACHINE"
	hku  = "HKEY_USERS"
	hkcc = "HKEY_CURRENT_CONFIG"
)

// systemSID is the HKEY_USERS subkey of SYSTEM, whose HKCU it is.
const systemSID = "S-1-5-18"

// hiveAliases maps upper-case hive spellings to the stored prefix.
// HKEY_CLASSES_ROOT is kept where Windows keeps the machine's classes.
var hiveAliases = map[string]string{
	"HKLM": hklm, hklm: hklm,
	"HKU": hku, hku: hku,
	"HKCC": hkcc, hkcc: hkcc,
	"HKCR": hklm + `\SOFTWARE\Classes`, "HKEY_CLASSES_ROOT": hklm + `\SOFTWARE\Classes`,
}

// maxKeyName is the longest key name component Windows allows.
const maxKeyName = 255

// CanonicalKey returns the stored form of a registry key for user (""
// = SYSTEM): the hive spelled out in upper case (HKLM → HKEY_LOCAL_MACHINE,
// HKCU → HKEY_USERS\<user> (HKEY_USERS\S-1-5-18 for SYSTEM), HKCR →
// HKEY_LOCAL_MACHINE\SOFTWARE\Classes), components separated by single
// backslashes, no leading or trailing backslash. Component case is kept;
// keys compare ignoring case (see keyID). It fails for an unknown hive,
// a remote key (\\machine\…), a component longer than 255 characters or
// one with a control character.
func CanonicalKey(key, user string) (string, error) {
	if err := CheckUser(user); err != nil {
		return "", err
	}
	k := strings.TrimSpace(key)
	if strings.HasPrefix(k, `\\`) {
		return "", fmt.Errorf("registry key %q: remote registries are not supported", key)
	}
	var parts []string
	for _, c := range strings.Split(k, `\`) {
		switch {
		case c == "":
		case len(c) > maxKeyName:
			return "", fmt.Errorf("registry key %q: a name is longer than %d characters", key, maxKeyName)
		case strings.ContainsFunc(c, func(r rune) bool { return r < 0x20 || r == 0x7f }):
			return "", fmt.Errorf("registry key %q contains a control character", key)
		default:
			parts = append(parts, c)
		}
	}
	if len(parts) == 0 {
		return "", errors.New("the registry key is empty")
	}
	hive := strings.ToUpper(parts[0])
	var prefix string
	switch hive {
	case "HKCU", "HKEY_CURRENT_USER":
		prefix = hku + `\` + systemSID
		if user != "" {
			prefix = hku + `\` + user
		}
	default:
		var ok bool
		if prefix, ok = hiveAliases[hive]; !ok {
			return "", fmt.Errorf("registry key %q: %q is not a hive (HKLM, HKCU, HKCR, HKU, HKCC or their long names)", key, parts[0])
		}
	}
	return strings.Join(append([]string{prefix}, parts[1:]...), `\`), nil
}

// keyID is the case-insensitive identity of a canonical key or value name.
func keyID(s string) string { return strings.ToUpper(s) }

// isHive reports whether a canonical key is a hive root (which cannot be
// deleted).
func isHive(canon string) bool {
	switch keyID(canon) {
	case hklm, hku, hkcc:
		return true
	}
	return false
}

// parentKeys returns a canonical key's ancestors and itself, shortest
// first ("HKEY_LOCAL_MACHINE", "HKEY_LOCAL_MACHINE\SOFTWARE", …).
func parentKeys(canon string) []string {
	var out []string
	for i := 0; i < len(canon); i++ {
		if canon[i] == '\\' {
			out = append(out, canon[:i])
		}
	}
	return append(out, canon)
}
