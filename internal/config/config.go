// Package config reads whiteglove's settings file and merges it with
// environment variables and command-line flags. Precedence, highest first:
// flag, environment (WHITEGLOVE_<NAME>), settings file, default.
package config

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"os"
	"strings"
	"unicode/utf8"
)

// ParseFile parses a settings file: one `name = value` per line, '#'
// comments, blank lines, optional double quotes around the value. Names are
// the long flag names (listen, data, db, …). Duplicate names are an error.
func ParseFile(data []byte) (map[string]string, error) {
	if !utf8.Valid(data) {
		return nil, fmt.Errorf("settings file is not valid UTF-8")
	}
	out := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if line == 1 {
			text = strings.TrimPrefix(text, "\ufeff")
		}
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		name, value, ok := strings.Cut(text, "=")
		if !ok {
			return nil, fmt.Errorf("line %d: expected name = value, found %q", line, text)
		}
		name = strings.TrimSpace(name)
		value = strings.TrimSpace(value)
		if name == "" || strings.ContainsAny(name, " \t\"") {
			return nil, fmt.Errorf("line %d: %q is not a setting name", line, name)
		}
		if strings.HasPrefix(value, `"`) {
			if len(value) < 2 || !strings.HasSuffix(value, `"`) {
				return nil, fmt.Errorf("line %d: unterminated quoted value for %s", line, name)
			}
			value = value[1 : len(value)-1]
		}
		if _, dup := out[name]; dup {
			return nil, fmt.Errorf("line %d: %s is set twice", line, name)
		}
		out[name] = value
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading settings file: %w", err)
	}
	return out, nil
}

// EnvName is the environment variable for a flag: listen → WHITEGLOVE_LISTEN,
// tenant-name → WHITEGLOVE_TENANT_NAME.
func EnvName(flagName string) string {
	return "WHITEGLOVE_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// Apply fills every flag of fs that was not set on the command line from the
// environment, then from the settings file at path (when path is not empty).
// A setting that names no flag is an error, so typos do not pass silently.
func Apply(fs *flag.FlagSet, path string, getenv func(string) string) error {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var file map[string]string
	if path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			return fmt.Errorf("reading settings file: %w", err)
		}
		file, err = ParseFile(data)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		for name := range file {
			if fs.Lookup(name) == nil {
				return fmt.Errorf("%s: unknown setting %q", path, name)
			}
		}
	}
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if err != nil || set[f.Name] {
			return
		}
		if v := getenv(EnvName(f.Name)); v != "" {
			if e := fs.Set(f.Name, v); e != nil {
				err = fmt.Errorf("%s: %w", EnvName(f.Name), e)
			}
			return
		}
		if v, ok := file[f.Name]; ok {
			if e := fs.Set(f.Name, v); e != nil {
				err = fmt.Errorf("%s: setting %s: %w", path, f.Name, e)
			}
		}
	})
	return err
}
