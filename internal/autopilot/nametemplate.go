package autopilot

import (
	"crypto/rand"
	"fmt"
	"math/big"
	"regexp"
	"strconv"
	"strings"
)

// MaxDeviceName is the longest computer name Windows accepts (NetBIOS).
const MaxDeviceName = 15

var macro = regexp.MustCompile(`(?i)%SERIAL%|%RAND:(\d+)%`)

// ValidateNameTemplate checks a deviceNameTemplate: letters, digits and
// hyphens plus the macros %SERIAL% and %RAND:x%; at most 15 characters once
// %RAND:x% is expanded (a serial is shortened to fit); never all digits.
// An empty template is valid (the device keeps its own name).
func ValidateNameTemplate(t string) error {
	if t == "" {
		return nil
	}
	literal := macro.ReplaceAllString(t, "")
	for _, r := range literal {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
			return fmt.Errorf("deviceNameTemplate %q: only letters, digits, hyphens and the macros %%SERIAL%% and %%RAND:x%% are allowed (found %q)", t, r)
		}
	}
	if strings.Count(strings.ToUpper(t), "%SERIAL%") > 1 {
		return fmt.Errorf("deviceNameTemplate %q: %%SERIAL%% may appear once", t)
	}
	length := len(literal)
	hasSerial := false
	for _, m := range macro.FindAllStringSubmatch(t, -1) {
		if m[1] == "" {
			hasSerial = true
			length++ // at least one serial character
			continue
		}
		n, err := strconv.Atoi(m[1])
		if err != nil || n < 1 || n > MaxDeviceName {
			return fmt.Errorf("deviceNameTemplate %q: %%RAND:x%% needs 1 to 15 digits", t)
		}
		length += n
	}
	if length > MaxDeviceName {
		return fmt.Errorf("deviceNameTemplate %q makes names longer than %d characters", t, MaxDeviceName)
	}
	if !hasSerial && strings.Trim(literal, "0123456789") == "" {
		return fmt.Errorf("deviceNameTemplate %q makes names of digits only, which Windows refuses: add a letter or hyphen", t)
	}
	return nil
}

// ApplyNameTemplate expands a valid template for a device: %SERIAL% becomes
// the serial's letters and digits, shortened from the left so the name fits
// in 15 characters; %RAND:x% becomes x random digits.
func ApplyNameTemplate(t, serial string) (string, error) {
	if err := ValidateNameTemplate(t); err != nil {
		return "", err
	}
	var clean strings.Builder
	for _, r := range serial {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' {
			clean.WriteRune(r)
		}
	}
	var ferr error
	expanded := macro.ReplaceAllStringFunc(t, func(m string) string {
		sub := macro.FindStringSubmatch(m)
		if sub[1] == "" {
			return "\x00" // placeholder for the serial, filled in below
		}
		n, _ := strconv.Atoi(sub[1])
		var b strings.Builder
		for i := 0; i < n; i++ {
			d, err := rand.Int(rand.Reader, big.NewInt(10))
			if err != nil {
				ferr = err
				return ""
			}
			b.WriteByte(byte('0' + d.Int64()))
		}
		return b.String()
	})
	if ferr != nil {
		return "", fmt.Errorf("generating a random device name: %w", ferr)
	}
	if strings.Contains(expanded, "\x00") {
		room := MaxDeviceName - (len(expanded) - 1)
		s := clean.String()
		if s == "" {
			return "", fmt.Errorf("serial number %q has no letters or digits for %%SERIAL%%", serial)
		}
		if len(s) > room {
			s = s[len(s)-room:]
		}
		expanded = strings.Replace(expanded, "\x00", s, 1)
	}
	if strings.Trim(expanded, "0123456789") == "" {
		return "", fmt.Errorf("device name %q would be digits only, which Windows refuses", expanded)
	}
	return strings.ToUpper(expanded), nil
}
