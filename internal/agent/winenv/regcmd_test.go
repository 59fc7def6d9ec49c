package winenv

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
)

func TestRegCommand(t *testing.T) {
	e := newEnv(t)
	steps := []struct {
		args    string // split on "|"
		user    string
		wantOut string // substring of stdout
		wantErr string // substring of the *ExitError; "" = success
	}{
		{`add|HKLM\SOFTWARE\Contoso|/v|Version|/d|1.2.3|/f`, "", regOK, ""},
		{`ADD|HKLM\SOFTWARE\Contoso|/V|Count|/T|reg_dword|/D|0x2a|/F`, "", regOK, ""},
		{`add|HKLM\SOFTWARE\Contoso|/ve|/d|dflt`, "", regOK, ""},
		{`add|HKLM\SOFTWARE\Contoso|-v|List|-t|REG_MULTI_SZ|-d|a\0b|-f`, "", regOK, ""},
		{`add|HKLM\SOFTWARE\Contoso|/v|Sep|/t|REG_MULTI_SZ|/s|#|/d|a#b|/f`, "", regOK, ""},
		{`add|HKLM\SOFTWARE\Contoso\Sub`, "", regOK, ""},
		{`add|HKCU\Software\Contoso|/v|Theme|/d|dark|/f`, "ann", regOK, ""},
		{`query|HKLM\SOFTWARE\Contoso`, "", "    Version    REG_SZ    1.2.3\n    Count    REG_DWORD    0x2a\n    (Default)    REG_SZ    dflt\n    List    REG_MULTI_SZ    a\\0b\n", ""},
		{`query|HKLM\SOFTWARE\Contoso`, "", "\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Contoso\\Sub\n", ""},
		{`query|hklm\software\contoso|/v|count`, "", "\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Contoso\n    Count    REG_DWORD    0x2a\n\n", ""},
		{`query|HKLM\SOFTWARE|/s`, "", "    Sep    REG_MULTI_SZ    a\\0b", ""},
		{`query|HKCU\Software\Contoso|/v|Theme`, "ann", "dark", ""},
		{`query|HKCU\Software\Contoso`, "", "", regNotFound},
		{`query|HKLM\SOFTWARE\Contoso|/v|Nope`, "", "", regNotFound},
		{`add|HKLM\SOFTWARE\Contoso|/v|Version|/d|2`, "", "", "exists; add /f"},
		{`add|HKLM\SOFTWARE\Contoso|/v|Bad|/t|REG_DWORD|/d|x|/f`, "", "", "not a 32-bit number"},
		{`add|HKLM\SOFTWARE\Contoso|/v|Bad|/t|REG_FOO|/f`, "", "", "unknown value type"},
		{`add|HKLM\SOFTWARE\Contoso|/d|x`, "", "", "Invalid syntax"},
		{`add|HKLM\SOFTWARE\Contoso|/v`, "", "", "needs a value"},
		{`add|HKLM\SOFTWARE\Contoso|/v|a|/ve`, "", "", "exclude each other"},
		{`add|HKLM\SOFTWARE\Contoso|/v|a|/v|b`, "", "", "twice"},
		{`add|HKLM\SOFTWARE\Contoso|stray`, "", "", "unexpected argument"},
		{`add|HKLM\SOFTWARE\Contoso|/x`, "", "", "not an option"},
		{`add|HKXX\a`, "", "", "Invalid key name"},
		{`add`, "", "", "key is missing"},
		{`copy|HKLM\a|HKLM\b`, "", "", "not ADD, QUERY or DELETE"},
		{``, "", "", "Invalid syntax"},
		{`delete|HKLM\SOFTWARE\Contoso|/v|Version`, "", "", "needs /f"},
		{`delete|HKLM\SOFTWARE\Contoso|/v|Version|/f`, "", regOK, ""},
		{`delete|HKLM\SOFTWARE\Contoso|/v|Version|/f`, "", "", regNotFound},
		{`delete|HKLM\SOFTWARE\Contoso|/va|/f`, "", regOK, ""},
		{`query|HKLM\SOFTWARE\Contoso`, "", "\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Contoso\n\nHKEY_LOCAL_MACHINE", ""},
		{`delete|HKLM\SOFTWARE\Contoso|/f`, "", regOK, ""},
		{`query|HKLM\SOFTWARE\Contoso\Sub`, "", "", regNotFound},
		{`delete|HKLM|/f`, "", "", "Access is denied"},
		{`add|HKLM\SOFTWARE\X|/v|a|/d|1|/reg:32|/f`, "", regOK, ""},
		{`query|HKLM\SOFTWARE\WOW6432Node\X|/v|a`, "", "a    REG_SZ    1", ""},
	}
	for _, s := range steps {
		var args []string
		if s.args != "" {
			args = strings.Split(s.args, "|")
		}
		var out bytes.Buffer
		err := RegCommand(context.Background(), e, s.user, args, &out)
		if s.wantErr != "" {
			var ee *ExitError
			if !errors.As(err, &ee) || ee.Code != 1 || !strings.Contains(ee.Msg, s.wantErr) {
				t.Errorf("reg %s: error %v, want an ExitError with %q", s.args, err, s.wantErr)
			}
			continue
		}
		if err != nil || !strings.Contains(out.String(), s.wantOut) {
			t.Errorf("reg %s: %v; output %q, want %q in it", s.args, err, out.String(), s.wantOut)
		}
	}
}

// FuzzRegCommand runs arbitrary argument lists ("|"-separated): they must
// not panic, and every failure must be an *ExitError (the registry file
// itself is healthy).
func FuzzRegCommand(f *testing.F) {
	for _, s := range []string{
		`add|HKLM\SOFTWARE\X|/v|a|/t|REG_DWORD|/d|0x10|/f`, `query|HKLM\SOFTWARE|/s`, `delete|HKLM\SOFTWARE\X|/va|/f`,
		`add|HKCU\x|/ve|/t|REG_BINARY|/d|zz`, `add|HKLM\x|/v|m|/t|REG_MULTI_SZ|/s|,|/d|a,,b|/f`, `query|HKLM|/v`, `delete|HKLM|/f`, `|`,
	} {
		f.Add(s)
	}
	e := newEnv(f)
	f.Fuzz(func(t *testing.T, s string) {
		var out bytes.Buffer
		err := RegCommand(context.Background(), e, "", strings.Split(s, "|"), &out)
		var ee *ExitError
		if err != nil && (!errors.As(err, &ee) || ee.Code != 1 || !strings.HasPrefix(ee.Msg, "ERROR: ")) {
			t.Fatalf("reg %q: %v", s, err)
		}
	})
}
