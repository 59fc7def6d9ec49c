package autopilot

import (
	"regexp"
	"strings"
	"testing"
)

func TestValidateNameTemplate(t *testing.T) {
	good := []string{"", "CONTOSO-%SERIAL%", "PC-%RAND:5%", "%SERIAL%", "A%RAND:14%", "kiosk-01"}
	bad := map[string]string{
		"CONTOSO_%SERIAL%":        "only letters",
		"%RAND:12%":               "digits only",
		"VERYLONGPREFIX-%SERIAL%": "longer than 15",
		"PC-%RAND:0%":             "1 to 15 digits",
		"%SERIAL%%SERIAL%":        "once",
		"ABCDEFGHIJKLMNOP":        "longer than 15",
		"12345":                   "digits only",
	}
	for _, g := range good {
		if err := ValidateNameTemplate(g); err != nil {
			t.Errorf("%q: %v", g, err)
		}
	}
	for b, want := range bad {
		err := ValidateNameTemplate(b)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want error containing %q", b, err, want)
		}
	}
}

func TestApplyNameTemplate(t *testing.T) {
	cases := []struct{ tpl, serial, pattern string }{
		{"CONTOSO-%SERIAL%", "5CG1234XYZ", `^CONTOSO-1234XYZ$`},
		{"PC-%RAND:5%", "x", `^PC-\d{5}$`},
		{"%SERIAL%", "ab 12/34", `^AB1234$`},
		{"%SERIAL%-%RAND:2%", "0123456789ABCDEFGH", `^6789ABCDEFGH-\d{2}$`},
	}
	for _, c := range cases {
		got, err := ApplyNameTemplate(c.tpl, c.serial)
		if err != nil || !regexp.MustCompile(c.pattern).MatchString(got) || len(got) > MaxDeviceName {
			t.Errorf("ApplyNameTemplate(%q, %q) = %q, %v; want %s", c.tpl, c.serial, got, err, c.pattern)
		}
	}
	if _, err := ApplyNameTemplate("%SERIAL%", "123456"); err == nil {
		t.Error("all-digit name accepted")
	}
	if _, err := ApplyNameTemplate("%SERIAL%", "///"); err == nil {
		t.Error("empty serial accepted")
	}
}
