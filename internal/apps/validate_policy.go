package apps

import (
	"encoding/base64"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/whiteglove/whiteglove/internal/apperr"
)

// normalize checks p's own properties and puts them in canonical form; old
// is the stored policy on update (nil on create). A custom settings profile
// that disables the sign-in assistant becomes a SigninAssistant policy and
// back: that kind is derived from the settings.
func (p *Policy) normalize(old *Policy) error {
	p.DisplayName = strings.TrimSpace(p.DisplayName)
	if p.DisplayName == "" {
		return apperr.Invalid("displayName is required")
	}
	if err := maxLen("displayName", p.DisplayName, MaxDisplayNameLen); err != nil {
		return err
	}
	if err := maxLen("description", p.Description, MaxDescriptionLen); err != nil {
		return err
	}
	tags, err := normalizeTags(p.RoleScopeTagIDs)
	if err != nil {
		return err
	}
	p.RoleScopeTagIDs = tags
	if old != nil && family(old.Kind) != family(p.Kind) {
		return apperr.Invalid("a %s policy cannot become a %s policy; create a new one instead", old.Kind, p.Kind)
	}
	custom := p.Kind == CustomSettings || p.Kind == SigninAssistant
	if (len(p.Settings) > 0 && !custom) || (p.Certificate != nil) != (p.Kind == Certificate) ||
		(p.WiFi != nil) != (p.Kind == WiFi) || (p.VPN != nil) != (p.Kind == VPN) {
		return apperr.Invalid("a %s policy must carry its own settings and no others", p.Kind)
	}
	switch p.Kind {
	case CustomSettings, SigninAssistant:
		if err := normalizeOMASettings(p.Settings); err != nil {
			return err
		}
		p.Kind = CustomSettings
		if p.DisablesSigninAssistant() {
			p.Kind = SigninAssistant
		}
		return nil
	case Certificate:
		return p.Certificate.normalize()
	case WiFi:
		return p.WiFi.normalize()
	case VPN:
		return p.VPN.normalize()
	}
	return apperr.Invalid("unknown policy kind %q", p.Kind)
}

// family groups the kinds that share a Graph type.
func family(k PolicyKind) PolicyKind {
	if k == SigninAssistant {
		return CustomSettings
	}
	return k
}

// normalizeOMASettings checks a custom profile's settings: one to
// MaxOMASettings, each valid, no OMA-URI twice.
func normalizeOMASettings(ss []OMASetting) error {
	if len(ss) == 0 {
		return apperr.Invalid("omaSettings needs at least one setting: {\"@odata.type\": \"#microsoft.graph.omaSettingInteger\", \"displayName\": \"…\", \"omaUri\": \"./Device/Vendor/MSFT/Policy/Config/…\", \"value\": 1}")
	}
	if len(ss) > MaxOMASettings {
		return apperr.Invalid("omaSettings holds %d settings; at most %d are allowed", len(ss), MaxOMASettings)
	}
	seen := map[string]int{}
	for i := range ss {
		at := fmt.Sprintf("omaSettings[%d]", i)
		if err := ss[i].normalize(at); err != nil {
			return err
		}
		key := strings.ToLower(ss[i].OMAURI)
		if j, dup := seen[key]; dup {
			return apperr.Invalid("%s: omaUri %s is already set by omaSettings[%d]; a profile sets each OMA-URI once", at, ss[i].OMAURI, j)
		}
		seen[key] = i
	}
	return nil
}

// normalize checks one OMA-URI setting and canonicalizes its value.
func (s *OMASetting) normalize(at string) error {
	if !slices.Contains(OMATypes, s.Type) {
		return apperr.Invalid("%s: unknown setting type %q", at, s.Type)
	}
	s.DisplayName = strings.TrimSpace(s.DisplayName)
	if s.DisplayName == "" {
		return apperr.Invalid("%s.displayName is required", at)
	}
	if err := maxLen(at+".displayName", s.DisplayName, MaxDisplayNameLen); err != nil {
		return err
	}
	if err := maxLen(at+".description", s.Description, MaxDescriptionLen); err != nil {
		return err
	}
	s.OMAURI = strings.TrimSpace(s.OMAURI)
	if !strings.HasPrefix(s.OMAURI, "./") || len(s.OMAURI) < 3 || strings.ContainsAny(s.OMAURI, " \t\r\n\x00") {
		return apperr.Invalid("%s.omaUri must be an OMA-URI such as ./Device/Vendor/MSFT/Policy/Config/Area/Setting, not %q", at, s.OMAURI)
	}
	if err := maxLen(at+".omaUri", s.OMAURI, MaxOMAURILen); err != nil {
		return err
	}
	if s.IsReadOnly && s.Type != OMAInteger {
		return apperr.Invalid("%s.isReadOnly applies to integer settings only", at)
	}
	if err := maxLen(at+".fileName", s.FileName, MaxFileNameLen); err != nil {
		return err
	}
	v, err := canonicalOMAValue(s.Type, s.Value)
	if err != nil {
		return apperr.Invalid("%s.value: %v", at, err)
	}
	s.Value = v
	return nil
}

func canonicalOMAValue(t OMAType, v string) (string, error) {
	if len(v) > MaxOMAValueLen {
		return "", fmt.Errorf("the value is %d bytes; at most %d are allowed", len(v), MaxOMAValueLen)
	}
	switch t {
	case OMAInteger:
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 32)
		if err != nil {
			return "", fmt.Errorf("%q is not a 32-bit integer", v)
		}
		return strconv.FormatInt(n, 10), nil
	case OMABoolean:
		b, err := strconv.ParseBool(strings.TrimSpace(v))
		if err != nil {
			return "", fmt.Errorf("%q is not true or false", v)
		}
		return strconv.FormatBool(b), nil
	case OMAFloatingPoint:
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 32)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return "", fmt.Errorf("%q is not a number", v)
		}
		return strconv.FormatFloat(f, 'g', -1, 32), nil
	case OMADateTime:
		tm, err := time.Parse(time.RFC3339, strings.TrimSpace(v))
		if err != nil {
			return "", fmt.Errorf("%q is not an RFC 3339 date-time", v)
		}
		return tm.UTC().Format(time.RFC3339), nil
	case OMABase64, OMAStringXML:
		if _, err := base64.StdEncoding.DecodeString(v); err != nil || v == "" {
			return "", fmt.Errorf("the value must be base64-encoded and not empty")
		}
	}
	return v, nil
}
