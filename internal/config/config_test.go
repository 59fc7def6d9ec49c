package config

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseFile(t *testing.T) {
	cases := []struct {
		name, in string
		want     map[string]string
		err      string
	}{
		{"empty", "", map[string]string{}, ""},
		{"basic", "listen = 0.0.0.0:9000\n# comment\n\ndb=postgres://x\n", map[string]string{"listen": "0.0.0.0:9000", "db": "postgres://x"}, ""},
		{"quoted", `tenant-name = "Contoso Ltd"`, map[string]string{"tenant-name": "Contoso Ltd"}, ""},
		{"bom", "\ufefflisten = a", map[string]string{"listen": "a"}, ""},
		{"equals in value", "db = postgres://u@h/db?sslmode=disable", map[string]string{"db": "postgres://u@h/db?sslmode=disable"}, ""},
		{"no equals", "listen 1", nil, "line 1: expected name = value"},
		{"dup", "a=1\na=2", nil, "line 2: a is set twice"},
		{"unterminated", `a = "x`, nil, "unterminated quoted value"},
		{"bad name", "a b = 1", nil, "is not a setting name"},
		{"empty name", "= 1", nil, "is not a setting name"},
		{"invalid utf8", "a = \xff", nil, "not valid UTF-8"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ParseFile([]byte(c.in))
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("err = %v, want containing %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(c.want) {
				t.Fatalf("got %v, want %v", got, c.want)
			}
			for k, v := range c.want {
				if got[k] != v {
					t.Fatalf("%s = %q, want %q", k, got[k], v)
				}
			}
		})
	}
}

func TestApplyPrecedence(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "whiteglove.conf")
	if err := os.WriteFile(path, []byte("listen = file:1\ndata = file-data\ndb = file-db\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	listen := fs.String("listen", "default", "")
	data := fs.String("data", "default", "")
	db := fs.String("db", "", "")
	other := fs.String("other", "default", "")
	if err := fs.Parse([]string{"--listen", "flag:1"}); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"WHITEGLOVE_DATA": "env-data"}
	if err := Apply(fs, path, func(k string) string { return env[k] }); err != nil {
		t.Fatal(err)
	}
	if *listen != "flag:1" || *data != "env-data" || *db != "file-db" || *other != "default" {
		t.Fatalf("listen=%q data=%q db=%q other=%q", *listen, *data, *db, *other)
	}
}

func TestApplyUnknownSetting(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c")
	if err := os.WriteFile(path, []byte("lisen = x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.String("listen", "", "")
	err := Apply(fs, path, func(string) string { return "" })
	if err == nil || !strings.Contains(err.Error(), `unknown setting "lisen"`) {
		t.Fatalf("err = %v", err)
	}
}

func TestApplyBadValue(t *testing.T) {
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.Bool("demo", false, "")
	err := Apply(fs, "", func(k string) string {
		if k == "WHITEGLOVE_DEMO" {
			return "maybe"
		}
		return ""
	})
	if err == nil || !strings.Contains(err.Error(), "WHITEGLOVE_DEMO") {
		t.Fatalf("err = %v", err)
	}
}

func FuzzParseFile(f *testing.F) {
	for _, s := range []string{"", "a=1", "a = \"b\"\n#c\n", "=", "a=\"", "\ufeffx=y\nx=z"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseFile(data)
		if err == nil {
			for k := range m {
				if k == "" {
					t.Fatal("empty name accepted")
				}
			}
		}
	})
}
