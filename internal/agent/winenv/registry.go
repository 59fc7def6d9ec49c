package winenv

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// ErrNotFound is returned (wrapped) when a registry key or value to delete
// does not exist.
var ErrNotFound = errors.New("the registry key or value does not exist")

// Registry is the emulated registry: a JSON file (Root/registry.json) that
// several processes may use at once. Every operation takes a flock on
// Root/registry.json.lock and reads the file; changes replace it
// atomically. Keys (HKLM\…, HKEY_LOCAL_MACHINE\…, HKCU\… …; see
// CanonicalKey) and value names compare ignoring case; the value name ""
// is the key's default value. A Registry is safe for concurrent use.
type Registry struct {
	path string
	user string // whose HKCU
}

// As returns the registry as user sees it: HKCU is HKEY_USERS\<user> (""
// = SYSTEM, HKEY_USERS\S-1-5-18).
func (r *Registry) As(user string) *Registry {
	return &Registry{path: r.path, user: user}
}

// Path returns the registry file's path.
func (r *Registry) Path() string { return r.path }

// canon canonicalises a key for r's user, wrapping errors with what.
func (r *Registry) canon(what, key string) (string, error) {
	c, err := CanonicalKey(key, r.user)
	if err != nil {
		return "", fmt.Errorf("%s: %w", what, err)
	}
	return c, nil
}

// Set writes a value, creating the key and its parents.
func (r *Registry) Set(key, name string, v Value) error {
	what := fmt.Sprintf("setting registry value %q of %s", name, key)
	c, err := r.canon(what, key)
	if err != nil {
		return err
	}
	if v, err = v.canonical(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if strings.ContainsRune(name, 0) {
		return fmt.Errorf("%s: a value name cannot contain NUL", what)
	}
	return r.update(func(d *regData) error {
		k := d.create(c)
		if i := k.value(name); i >= 0 {
			k.Values[i].Value = v
		} else {
			k.Values = append(k.Values, regValue{Name: name, Value: v})
		}
		return nil
	})
}

// CreateKey creates a key and its parents; an existing key is left as is.
func (r *Registry) CreateKey(key string) error {
	c, err := r.canon("creating a registry key", key)
	if err != nil {
		return err
	}
	return r.update(func(d *regData) error { d.create(c); return nil })
}

// Get reads a value; ok is false when the key or value does not exist.
func (r *Registry) Get(key, name string) (v Value, ok bool, err error) {
	c, err := r.canon("reading a registry value", key)
	if err != nil {
		return Value{}, false, err
	}
	err = r.read(func(d *regData) error {
		if k := d.find(c); k != nil {
			if i := k.value(name); i >= 0 {
				v, ok = k.Values[i].Value, true
			}
		}
		return nil
	})
	return v, ok, err
}

// KeyExists reports whether a key exists. Hive roots always exist.
func (r *Registry) KeyExists(key string) (bool, error) {
	c, err := r.canon("looking up a registry key", key)
	if err != nil {
		return false, err
	}
	if isHive(c) {
		return true, nil
	}
	var ok bool
	err = r.read(func(d *regData) error { ok = d.find(c) != nil; return nil })
	return ok, err
}

// DeleteKey deletes a key with its values and subkeys. It returns
// ErrNotFound (wrapped) when the key does not exist and refuses hive roots.
func (r *Registry) DeleteKey(key string) error {
	c, err := r.canon("deleting a registry key", key)
	if err != nil {
		return err
	}
	if isHive(c) {
		return fmt.Errorf("deleting registry key %s: a hive cannot be deleted", c)
	}
	id := keyID(c)
	return r.update(func(d *regData) error {
		if d.find(c) == nil {
			return fmt.Errorf("deleting registry key %s: %w", c, ErrNotFound)
		}
		d.Keys = slices.DeleteFunc(d.Keys, func(k *regKey) bool {
			kid := keyID(k.Key)
			return kid == id || strings.HasPrefix(kid, id+`\`)
		})
		d.reindex()
		return nil
	})
}

// DeleteValue deletes one value. It returns ErrNotFound (wrapped) when
// the key or value does not exist.
func (r *Registry) DeleteValue(key, name string) error {
	c, err := r.canon("deleting a registry value", key)
	if err != nil {
		return err
	}
	return r.update(func(d *regData) error {
		k := d.find(c)
		i := -1
		if k != nil {
			i = k.value(name)
		}
		if i < 0 {
			return fmt.Errorf("deleting registry value %q of %s: %w", name, c, ErrNotFound)
		}
		k.Values = slices.Delete(k.Values, i, i+1)
		return nil
	})
}

// NamedValue is a value with its name ("" for the default value).
type NamedValue struct {
	Name string
	Value
}

// KeyInfo is a key's contents.
type KeyInfo struct {
	Key     string       // canonical name, in stored case
	Values  []NamedValue // in creation order
	Subkeys []string     // canonical names of the direct subkeys, in creation order
}

// Key returns a key's values and direct subkeys; ok is false when the key
// does not exist.
func (r *Registry) Key(key string) (info KeyInfo, ok bool, err error) {
	c, err := r.canon("reading a registry key", key)
	if err != nil {
		return KeyInfo{}, false, err
	}
	err = r.read(func(d *regData) error {
		k := d.find(c)
		if k == nil && !isHive(c) {
			return nil
		}
		ok, info.Key = true, c
		if k != nil {
			info.Key = k.Key
			for _, v := range k.Values {
				info.Values = append(info.Values, NamedValue(v))
			}
		}
		prefix := keyID(c) + `\`
		for _, s := range d.Keys {
			if rest, found := strings.CutPrefix(keyID(s.Key), prefix); found && !strings.Contains(rest, `\`) {
				info.Subkeys = append(info.Subkeys, s.Key)
			}
		}
		return nil
	})
	return info, ok, err
}
