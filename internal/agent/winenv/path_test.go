package winenv

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPath(t *testing.T) {
	e := newEnv(t)
	writeFile(t, e, "Program Files/Contoso/App.exe", "x")
	c := filepath.Join(e.Root, "C")
	tests := []struct {
		in, user, want, wantErr string
	}{
		{`C:\Program Files\Contoso\App.exe`, "", c + "/Program Files/Contoso/App.exe", ""},
		{`c:/program files/contoso/app.exe`, "", c + "/Program Files/Contoso/App.exe", ""},
		{`%ProgramFiles%\Contoso`, "", c + "/Program Files/Contoso", ""},
		{`%PROGRAMFILES(X86)%\x`, "", c + "/Program Files (x86)/x", ""},
		{`%SystemDrive%\`, "", c, ""},
		{`C:`, "", c, ""},
		{`%SystemRoot%\System32`, "", c + "/Windows/System32", ""},
		{`%windir%`, "", c + "/Windows", ""},
		{`%ProgramData%\Contoso\.\cfg`, "", c + "/ProgramData/Contoso/cfg", ""},
		{`%USERPROFILE%`, "", c + "/Windows/System32/config/systemprofile", ""},
		{`%USERPROFILE%\Desktop`, "ann", c + "/Users/ann/Desktop", ""},
		{`%APPDATA%\x`, "ann", c + "/Users/ann/AppData/Roaming/x", ""},
		{`%LocalAppData%\x`, "ann", c + "/Users/ann/AppData/Local/x", ""},
		{`%TEMP%`, "", c + "/Windows/Temp", ""},
		{`%TEMP%`, "ann", c + "/Users/ann/AppData/Local/Temp", ""},
		{`%PUBLIC%\Desktop`, "", c + "/Users/Public/Desktop", ""},
		{`C:\\a\\\b\`, "", c + "/a/b", ""},
		{`D:\data`, "", "", "drive D:"},
		{`\\server\share\x`, "", "", "not an absolute path"},
		{`relative\path`, "", "", "not an absolute path"},
		{`C:relative`, "", "", "drive-relative"},
		{`C:\a\..\..\etc\passwd`, "", "", `".."`},
		{`%ProgramFiles%\..\..\..\etc`, "", "", `".."`},
		{`C:\a\b:stream`, "", "", "does not allow"},
		{`%NOPE%\x`, "", "", "unknown variable %NOPE%"},
		{`%ProgramFiles\x`, "", "", `no closing`},
		{`%USERPROFILE%`, `..\..`, "", "user name"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := e.Path(tt.in, tt.user)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Path = %q, %v; want an error with %q", got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != filepath.FromSlash(tt.want) {
				t.Fatalf("Path = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestPathSymlinkOut(t *testing.T) {
	e := newEnv(t)
	outside := t.TempDir()
	if err := os.Symlink(outside, filepath.Join(e.Root, "C", "out")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/nonexistent/target", filepath.Join(e.Root, "C", "dangling")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("Windows", filepath.Join(e.Root, "C", "win")); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{`C:\out\x`, `C:\OUT`, `C:\dangling\x`} {
		if got, err := e.Path(p, ""); err == nil {
			t.Errorf("Path(%q) = %q, want an error", p, got)
		}
	}
	if _, err := e.Path(`C:\win\Temp`, ""); err != nil {
		t.Errorf("a link inside the drive: %v", err)
	}
}

func TestVars(t *testing.T) {
	e := newEnv(t)
	vars := map[string]string{}
	for _, kv := range e.Vars("ann") {
		k, v, _ := strings.Cut(kv, "=")
		vars[k] = v
	}
	c := filepath.Join(e.Root, "C")
	for k, want := range map[string]string{
		"SystemDrive": c, "ProgramFiles": filepath.Join(c, "Program Files"), "ProgramFiles(x86)": filepath.Join(c, "Program Files (x86)"),
		"USERPROFILE": filepath.Join(c, "Users", "ann"), "APPDATA": filepath.Join(c, "Users", "ann", "AppData", "Roaming"),
		"USERNAME": "ann", "WHITEGLOVE_ROOT": e.Root, "WHITEGLOVE_REGISTRY": filepath.Join(e.Root, "registry.json"),
		"SystemRoot": filepath.Join(c, "Windows"), "TEMP": filepath.Join(c, "Users", "ann", "AppData", "Local", "Temp"),
	} {
		if vars[k] != want {
			t.Errorf("%s = %q, want %q", k, vars[k], want)
		}
	}
	if sys := e.Vars(""); !strings.Contains(strings.Join(sys, "\n"), "USERNAME=SYSTEM") {
		t.Errorf("SYSTEM vars: %q", sys)
	}
}

// FuzzPath checks that no Windows path maps outside the drive.
func FuzzPath(f *testing.F) {
	for _, s := range []string{`C:\Program Files\x`, `%ProgramFiles%\..\x`, `c:/a/./b`, `D:\x`, `%TEMP%`, `C:\a\..`, `%%`, "C:\\a\x00b", `C:\…\é`} {
		f.Add(s, "")
	}
	f.Add(`%USERPROFILE%\x`, "ann")
	f.Add(`%USERPROFILE%`, "..")
	e := newEnv(f)
	drive := filepath.Join(e.Root, "C")
	f.Fuzz(func(t *testing.T, p, user string) {
		got, err := e.Path(p, user)
		if err != nil {
			return
		}
		if got != drive && !strings.HasPrefix(got, drive+string(filepath.Separator)) {
			t.Fatalf("Path(%q, %q) = %q, outside %s", p, user, got, drive)
		}
		if filepath.Clean(got) != got {
			t.Fatalf("Path(%q, %q) = %q, not clean", p, user, got)
		}
	})
}
