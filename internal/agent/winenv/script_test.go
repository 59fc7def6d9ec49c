package winenv

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestRunScript(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name        string
		script      string
		user        string
		exit        int
		out, errOut string
	}{
		{"output", "echo hello; echo oops >&2; exit 7", "", 7, "hello\n", "oops\n"},
		{"vars", `echo "$ProgramFiles|$USERNAME|$WHITEGLOVE_ROOT"`, "ann", 0, filepath.Join(e.Root, "C", "Program Files") + "|ann|" + e.Root + "\n", ""},
		{"working dir is fresh", `ls -A | wc -l | tr -d ' '`, "", 0, "0\n", ""},
		{"reg file", `test -n "$WHITEGLOVE_REGISTRY" && echo ok`, "", 0, "ok\n", ""},
		{"capped", `i=0; while [ $i -lt 3000 ]; do echo 0123456789012345678901234567890123456789; i=$((i+1)); done`, "", 0, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			exit, out, errOut, err := e.RunScript(context.Background(), []byte(tt.script), Facts{User: tt.user})
			if err != nil {
				t.Fatal(err)
			}
			if tt.name == "capped" {
				if len(out) != maxOutput {
					t.Errorf("stdout is %d bytes, want %d", len(out), maxOutput)
				}
				return
			}
			if exit != tt.exit || out != tt.out || errOut != tt.errOut {
				t.Errorf("RunScript = %d, %q, %q; want %d, %q, %q", exit, out, errOut, tt.exit, tt.out, tt.errOut)
			}
		})
	}
	entries, _ := os.ReadDir(filepath.Join(e.Root, "tmp"))
	if len(entries) != 0 {
		t.Errorf("left behind in tmp: %v", entries)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if exit, _, _, err := e.RunScript(ctx, []byte("sleep 10"), Facts{}); err == nil || exit != -1 {
		t.Errorf("a timed-out script gave %d, %v", exit, err)
	}
	if _, _, _, err := e.RunScript(context.Background(), []byte("true"), Facts{User: "a/b"}); err == nil || !strings.Contains(err.Error(), "user name") {
		t.Errorf("a bad user: %v", err)
	}
}

func TestVersion(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"1", "1.0.0.0", 0},
		{"1.2", "1.10", -1},
		{"2.0.0.1", "2", 1},
		{" 1.2.3.4 ", "1.2.3.4", 0},
		{"10.0.26100", "10.0.19045.1", 1},
		{"18446744073709551615", "1", 1},
	}
	for _, tt := range tests {
		if got, err := CompareVersions(tt.a, tt.b); err != nil || got != tt.want {
			t.Errorf("CompareVersions(%q, %q) = %d, %v; want %d", tt.a, tt.b, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "1.", ".1", "1..2", "1.2.3.4.5", "a", "1.-2", "1.2b", "18446744073709551616", "+1"} {
		if v, err := ParseVersion(bad); err == nil {
			t.Errorf("ParseVersion(%q) = %v", bad, v)
		}
	}
}

func TestFileVersion(t *testing.T) {
	e := newEnv(t)
	p := writeFile(t, e, "a.exe", "x")
	if _, ok, err := FileVersion(p); ok || err != nil {
		t.Errorf("no sidecar: %v, %v", ok, err)
	}
	writeFile(t, e, "a.exe.version", "1.2.3.4\r\nignored")
	if v, ok, err := FileVersion(p); !ok || err != nil || v.String() != "1.2.3.4" {
		t.Errorf("FileVersion = %v, %v, %v", v, ok, err)
	}
	writeFile(t, e, "a.exe.version", "one")
	if _, _, err := FileVersion(p); err == nil {
		t.Error("a bad sidecar was accepted")
	}
}

// FuzzVersionCompare checks that comparison is an order consistent with
// the canonical form.
func FuzzVersionCompare(f *testing.F) {
	f.Add("1.2.3.4", "1.2.3")
	f.Add("1.10", "1.9")
	f.Add("0", "0.0.0.0")
	f.Add("18446744073709551615.1", "1.x")
	f.Fuzz(func(t *testing.T, a, b string) {
		c, err := CompareVersions(a, b)
		if err != nil {
			return
		}
		back, _ := CompareVersions(b, a)
		if back != -c {
			t.Fatalf("Compare(%q, %q) = %d but Compare(%q, %q) = %d", a, b, c, b, a, back)
		}
		va, _ := ParseVersion(a)
		if self, err := CompareVersions(va.String(), a); err != nil || self != 0 {
			t.Fatalf("%q and its canonical form %q differ", a, va)
		}
	})
}
