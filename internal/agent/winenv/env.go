package winenv

import (
	"fmt"
	"os"
	"path/filepath"
)

// Env is the emulated Windows side of one device, rooted at a directory.
type Env struct {
	// Root is the absolute, symlink-free root directory.
	Root string
	reg  *Registry
}

// skeleton are the folders a fresh Windows installation has.
var skeleton = []string{
	`Windows\System32\config\systemprofile`, `Windows\Temp`, `Program Files`, `Program Files (x86)`,
	`ProgramData`, `Users\Public`,
}

// Open opens the emulated Windows under root, creating root, the C: drive
// and its standard folders when missing. The registry file is created on
// the first write.
func Open(root string) (*Env, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("opening the Windows environment %s: %w", root, err)
	}
	if err := os.MkdirAll(filepath.Join(abs, "C"), 0o755); err != nil {
		return nil, fmt.Errorf("opening the Windows environment: %w", err)
	}
	if abs, err = filepath.EvalSymlinks(abs); err != nil {
		return nil, fmt.Errorf("opening the Windows environment %s: %w", root, err)
	}
	e := &Env{Root: abs}
	for _, dir := range skeleton {
		if err := os.MkdirAll(filepath.Join(abs, "C", filepath.FromSlash(toSlash(dir))), 0o755); err != nil {
			return nil, fmt.Errorf("opening the Windows environment: %w", err)
		}
	}
	e.reg = &Registry{path: filepath.Join(abs, "registry.json")}
	return e, nil
}

// Registry returns the device's registry. Its HKCU is SYSTEM's; use
// Registry.As for another user's.
func (e *Env) Registry() *Registry { return e.reg }

// drive returns the real directory of the C: drive.
func (e *Env) drive() string { return filepath.Join(e.Root, "C") }

// toSlash turns a Windows relative path into a slash-separated one.
func toSlash(p string) string {
	b := []byte(p)
	for i, c := range b {
		if c == '\\' {
			b[i] = '/'
		}
	}
	return string(b)
}
