package apps

import (
	"strings"
	"unicode/utf8"

	"github.com/whiteglove/whiteglove/internal/apperr"
)

// normalize checks a script's own properties: a name, a .ps1 file name,
// content within MaxScriptBytes, a known run-as account.
func (sc *Script) normalize() error {
	sc.DisplayName = strings.TrimSpace(sc.DisplayName)
	if sc.DisplayName == "" {
		return apperr.Invalid("displayName is required")
	}
	if err := maxLen("displayName", sc.DisplayName, MaxDisplayNameLen); err != nil {
		return err
	}
	if err := maxLen("description", sc.Description, MaxDescriptionLen); err != nil {
		return err
	}
	sc.FileName = strings.TrimSpace(sc.FileName)
	if !strings.HasSuffix(strings.ToLower(sc.FileName), ".ps1") || len(sc.FileName) < 5 || strings.ContainsAny(sc.FileName, `\/:*?"<>|`) {
		return apperr.Invalid("fileName must name a PowerShell script file such as Configure.ps1, not %q", sc.FileName)
	}
	if err := maxLen("fileName", sc.FileName, MaxFileNameLen); err != nil {
		return err
	}
	switch {
	case len(sc.Content) == 0:
		return apperr.Invalid("scriptContent is required: the PowerShell script, base64-encoded")
	case len(sc.Content) > MaxScriptBytes:
		return apperr.Invalid("the script is %d bytes; at most %d are allowed", len(sc.Content), MaxScriptBytes)
	case !utf8.Valid(trimBOM(sc.Content)) && !isUTF16(sc.Content):
		return apperr.Invalid("scriptContent must be a text script (UTF-8 or UTF-16 with a byte order mark) once base64-decoded")
	}
	if err := oneOf("runAsAccount", &sc.RunAsAccount, RunAsSystem, RunAsSystem, RunAsUser); err != nil {
		return err
	}
	tags, err := normalizeTags(sc.RoleScopeTagIDs)
	sc.RoleScopeTagIDs = tags
	return err
}

func trimBOM(b []byte) []byte {
	if len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
		return b[3:]
	}
	return b
}

func isUTF16(b []byte) bool {
	return len(b) >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF))
}
