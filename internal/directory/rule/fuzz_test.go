package rule

import (
	"errors"
	"testing"
	"unicode/utf8"
)

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`(device.devicePhysicalIDs -any (_ -startsWith "[ZTDid]"))`,
		`(device.devicePhysicalIDs -any _ -contains "[ZTDId]")`,
		`(device.devicePhysicalIds -any (_ -eq "[OrderID]:179887111881"))`,
		`(device.physicalIds -contains "[ZTDId]:value")`,
		`device.enrollmentProfileName -eq "OfflineAutopilotprofile-abc"`,
		`(user.department -eq "Sales") and (user.accountEnabled -eq true)`,
		`user.userPrincipalName -startsWith "a" or not (user.department -in ["HR","IT"])`,
		`-not (device.displayName -contains "kiosk")`,
		`device.displayName -match "^k\d+$" -or device.deviceCategory -eq null`,
		`device.devicePhysicalIds -all (_ -startsWith '[' and not _ -eq "x\"y")`,
		`user.proxyAddresses -any (_ -in ["smtp:a", 'SMTP:b'])`,
		`device.displayName -eq "abc`,
		`((device.x`,
		"device.displayName -eq \"\u212a\xff\"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := Parse(s)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("error %T is not *SyntaxError: %v", err, err)
			}
			if se.Column < 1 || se.Column > utf8.RuneCountInString(s)+1 || se.Msg == "" {
				t.Fatalf("bad error for %q: %v", s, err)
			}
			return
		}
		if r.String() != s {
			t.Fatalf("String() = %q, want %q", r.String(), s)
		}
		if r.Subject() != SubjectDevice && r.Subject() != SubjectUser {
			t.Fatalf("Subject() = %d", r.Subject())
		}
		r.Match(Attrs{})
		for _, o := range []Attrs{autopilotDevice, salesUser} {
			set := NewSet()
			set.Put("x", r)
			if got := set.Match(o, r.Subject()); (len(got) == 1) != r.Match(o) {
				t.Fatalf("Set.Match = %v, Match = %v for %q", got, r.Match(o), s)
			}
		}
	})
}
