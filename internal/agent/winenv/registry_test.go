package winenv

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
)

func TestCanonicalKey(t *testing.T) {
	tests := []struct{ in, user, want string }{
		{`HKLM\SOFTWARE\Contoso`, "", `HKEY_LOCAL_MACHINE\SOFTWARE\Contoso`},
		{`hkey_local_machine\Software\Contoso\`, "", `HKEY_LOCAL_MACHINE\Software\Contoso`},
		{`  HKLM\\SOFTWARE\\\Contoso `, "", `HKEY_LOCAL_MACHINE\SOFTWARE\Contoso`},
		{`HKCU\Software\X`, "", `HKEY_USERS\S-1-5-18\Software\X`},
		{`HKEY_CURRENT_USER\Software\X`, "ann", `HKEY_USERS\ann\Software\X`},
		{`HKU\ann\Software`, "", `HKEY_USERS\ann\Software`},
		{`HKCR\.txt`, "", `HKEY_LOCAL_MACHINE\SOFTWARE\Classes\.txt`},
		{`HKLM`, "", `HKEY_LOCAL_MACHINE`},
		{`HKLM\a/b`, "", `HKEY_LOCAL_MACHINE\a/b`},
	}
	for _, tt := range tests {
		if got, err := CanonicalKey(tt.in, tt.user); err != nil || got != tt.want {
			t.Errorf("CanonicalKey(%q, %q) = %q, %v; want %q", tt.in, tt.user, got, err, tt.want)
		}
	}
	for _, bad := range []string{``, `\`, `SOFTWARE\X`, `HKXX\a`, `\\pc\HKLM\a`, "HKLM\\a\x01b", `HKLM\` + strings.Repeat("a", 256)} {
		if got, err := CanonicalKey(bad, ""); err == nil {
			t.Errorf("CanonicalKey(%q) = %q, want an error", bad, got)
		}
	}
}

func TestRegistry(t *testing.T) {
	e := newEnv(t)
	r := e.Registry()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(r.Set(`HKLM\SOFTWARE\Contoso\App`, "Version", Value{"reg_sz", "1.2.3"}))
	must(r.Set(`hklm\software\CONTOSO\app`, "Count", Value{RegDWORD, "0x10"}))
	must(r.Set(`HKLM\SOFTWARE\Contoso\App`, "", Value{RegSZ, "default"}))
	must(r.Set(`HKCU\Software\Contoso`, "Theme", Value{RegSZ, "dark"}))
	must(r.As("ann").Set(`HKCU\Software\Contoso`, "Theme", Value{RegSZ, "light"}))
	tests := []struct {
		reg        *Registry
		key, name  string
		want       Value
		wantExists bool
	}{
		{r, `HKEY_LOCAL_MACHINE\SOFTWARE\CONTOSO\APP`, "VERSION", Value{RegSZ, "1.2.3"}, true},
		{r, `HKLM\SOFTWARE\Contoso\App`, "count", Value{RegDWORD, "16"}, true},
		{r, `HKLM\SOFTWARE\Contoso\App`, "", Value{RegSZ, "default"}, true},
		{r, `HKLM\SOFTWARE\Contoso\App`, "Missing", Value{}, false},
		{r, `HKLM\SOFTWARE\Nope`, "Version", Value{}, false},
		{r, `HKCU\Software\Contoso`, "Theme", Value{RegSZ, "dark"}, true},
		{r.As("ann"), `HKCU\Software\Contoso`, "Theme", Value{RegSZ, "light"}, true},
		{r, `HKEY_USERS\ann\Software\Contoso`, "Theme", Value{RegSZ, "light"}, true},
		{r.As("bob"), `HKCU\Software\Contoso`, "Theme", Value{}, false},
	}
	for _, tt := range tests {
		v, ok, err := tt.reg.Get(tt.key, tt.name)
		if err != nil || ok != tt.wantExists || v != tt.want {
			t.Errorf("Get(%q, %q) as %q = %+v, %v, %v; want %+v, %v", tt.key, tt.name, tt.reg.user, v, ok, err, tt.want, tt.wantExists)
		}
	}
	for key, want := range map[string]bool{`HKLM\SOFTWARE`: true, `HKLM\software\contoso`: true, `HKLM\SOFTWARE\Contoso\App`: true, `HKLM\SOFTWARE\Contoso\App\X`: false, `HKLM`: true} {
		if got, err := r.KeyExists(key); err != nil || got != want {
			t.Errorf("KeyExists(%q) = %v, %v", key, got, err)
		}
	}
	// Case of existing parents is kept; persistence across Open.
	must(r.Set(`HKLM\software\contoso\APP\Sub`, "x", Value{RegSZ, "y"}))
	e2, err := Open(e.Root)
	must(err)
	info, ok, err := e2.Registry().Key(`HKLM\SOFTWARE\Contoso\App`)
	if err != nil || !ok || info.Key != `HKEY_LOCAL_MACHINE\SOFTWARE\Contoso\App` || len(info.Values) != 3 ||
		len(info.Subkeys) != 1 || info.Subkeys[0] != `HKEY_LOCAL_MACHINE\SOFTWARE\Contoso\App\Sub` {
		t.Errorf("Key = %+v, %v, %v", info, ok, err)
	}
	must(e2.Registry().DeleteValue(`HKLM\SOFTWARE\Contoso\App`, "COUNT"))
	if err := r.DeleteValue(`HKLM\SOFTWARE\Contoso\App`, "Count"); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleting a missing value: %v", err)
	}
	must(r.DeleteKey(`HKLM\SOFTWARE\CONTOSO`))
	if ok, _ := r.KeyExists(`HKLM\SOFTWARE\Contoso\App\Sub`); ok {
		t.Error("a subkey survived DeleteKey")
	}
	if ok, _ := r.KeyExists(`HKLM\SOFTWARE`); !ok {
		t.Error("DeleteKey removed the parent")
	}
	if err := r.DeleteKey(`HKLM\SOFTWARE\Contoso`); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleting a missing key: %v", err)
	}
	if err := r.DeleteKey(`HKLM`); err == nil {
		t.Error("deleted a hive")
	}
}

func TestRegistryValues(t *testing.T) {
	r := newEnv(t).Registry()
	tests := []struct {
		in   Value
		want string // "" = error
	}{
		{Value{RegDWORD, "4294967295"}, "4294967295"},
		{Value{RegDWORD, "4294967296"}, ""},
		{Value{RegDWORD, "x"}, ""},
		{Value{RegQWORD, "0xFFFFFFFFFFFFFFFF"}, "18446744073709551615"},
		{Value{RegBinary, "0a0B"}, "0A0B"},
		{Value{RegBinary, "abc"}, ""},
		{Value{RegMultiSZ, "a\x00b"}, "a\x00b"},
		{Value{RegExpandSZ, "%ProgramFiles%"}, "%ProgramFiles%"},
		{Value{RegSZ, "a\x00"}, ""},
		{Value{"REG_NONE", ""}, ""},
	}
	for _, tt := range tests {
		err := r.Set(`HKLM\T`, "v", tt.in)
		if tt.want == "" {
			if err == nil {
				t.Errorf("Set(%+v) accepted", tt.in)
			}
			continue
		}
		v, _, gerr := r.Get(`HKLM\T`, "v")
		if err != nil || gerr != nil || v.Data != tt.want {
			t.Errorf("Set(%+v) → %+v, %v, %v; want %q", tt.in, v, err, gerr, tt.want)
		}
	}
}

func TestRegistryConcurrentWriters(t *testing.T) {
	e := newEnv(t)
	const writers, each = 8, 15
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Each writer opens its own Env, as separate processes would.
			env, err := Open(e.Root)
			if err != nil {
				t.Error(err)
				return
			}
			for i := range each {
				if err := env.Registry().Set(fmt.Sprintf(`HKLM\SOFTWARE\W%d`, w%3), fmt.Sprintf("v%d-%d", w, i), Value{RegDWORD, fmt.Sprint(i)}); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	for w := range writers {
		for i := range each {
			if _, ok, err := e.Registry().Get(fmt.Sprintf(`HKLM\SOFTWARE\W%d`, w%3), fmt.Sprintf("v%d-%d", w, i)); !ok || err != nil {
				t.Fatalf("value v%d-%d lost: %v", w, i, err)
			}
		}
	}
}

// FuzzRegistryKey checks that canonical keys are fixed points, start with
// a hive, and compare the same whatever the case of the input.
func FuzzRegistryKey(f *testing.F) {
	for _, s := range []string{`HKLM\SOFTWARE\Contoso`, `hkcu\x\\y\`, `HKCR\.txt`, `HKEY_USERS`, `\\pc\HKLM`, `HKLM\ß\ſ`, "HKLM\\\x7f"} {
		f.Add(s, "")
	}
	f.Add(`HKCU\Software`, "ann")
	f.Fuzz(func(t *testing.T, key, user string) {
		c, err := CanonicalKey(key, user)
		if err != nil {
			return
		}
		again, err := CanonicalKey(c, user)
		if err != nil || again != c {
			t.Fatalf("CanonicalKey(%q) = %q, then %q, %v", key, c, again, err)
		}
		if !strings.HasPrefix(c, hklm) && !strings.HasPrefix(c, hku) && !strings.HasPrefix(c, hkcc) {
			t.Fatalf("CanonicalKey(%q) = %q has no hive", key, c)
		}
		if strings.Contains(c, `\\`) || strings.HasSuffix(c, `\`) {
			t.Fatalf("CanonicalKey(%q) = %q", key, c)
		}
		if up, err := CanonicalKey(strings.ToUpper(key), user); err == nil && keyID(up) != keyID(c) && !strings.Contains(strings.ToUpper(key), `\\`) {
			if strings.HasPrefix(keyID(key), "HKCU") || strings.HasPrefix(keyID(key), "HKEY_CURRENT_USER") {
				return // the user name is not upper-cased
			}
			t.Fatalf("%q and its upper case differ: %q, %q", key, c, up)
		}
	})
}
