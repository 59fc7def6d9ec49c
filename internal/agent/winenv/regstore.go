package winenv

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// regFileVersion is the version of the registry file format.
const regFileVersion = 1

// regData is the registry file: its keys in creation order, each with its
// values in creation order.
type regData struct {
	Version int       `json:"version"`
	Keys    []*regKey `json:"keys"`

	index map[string]int // keyID → position in Keys
}

// regKey is one stored key.
type regKey struct {
	Key    string     `json:"key"`
	Values []regValue `json:"values,omitempty"`
}

// regValue is one stored value; Name "" is the default value.
type regValue struct {
	Name string `json:"name"`
	Value
}

// find returns the key with this canonical name, or nil.
func (d *regData) find(canon string) *regKey {
	if i, ok := d.index[keyID(canon)]; ok {
		return d.Keys[i]
	}
	return nil
}

// create returns the key, creating it and its missing ancestors; a new
// key takes the case of its existing ancestors.
func (d *regData) create(canon string) *regKey {
	var k *regKey
	name, prev := "", 0
	for _, p := range parentKeys(canon) {
		if k = d.find(p); k == nil {
			k = &regKey{Key: name + p[prev:]}
			d.index[keyID(p)] = len(d.Keys)
			d.Keys = append(d.Keys, k)
		}
		name, prev = k.Key, len(p)
	}
	return k
}

// reindex rebuilds the index after keys were removed.
func (d *regData) reindex() {
	d.index = make(map[string]int, len(d.Keys))
	for i, k := range d.Keys {
		d.index[keyID(k.Key)] = i
	}
}

// value returns the position of a value in k, or -1.
func (k *regKey) value(name string) int {
	for i, v := range k.Values {
		if keyID(v.Name) == keyID(name) {
			return i
		}
	}
	return -1
}

// load reads the registry file; a missing file is an empty registry.
func (r *Registry) load() (*regData, error) {
	d := &regData{Version: regFileVersion}
	b, err := os.ReadFile(r.path)
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return nil, fmt.Errorf("reading the registry: %w", err)
	default:
		if err := json.Unmarshal(b, d); err != nil {
			return nil, fmt.Errorf("reading the registry %s: %w", r.path, err)
		}
		if d.Version != regFileVersion {
			return nil, fmt.Errorf("reading the registry %s: version %d, this program reads %d", r.path, d.Version, regFileVersion)
		}
	}
	d.reindex()
	if len(d.index) != len(d.Keys) {
		return nil, fmt.Errorf("reading the registry %s: a key is listed twice", r.path)
	}
	return d, nil
}

// save replaces the registry file atomically: a temporary file in the same
// directory, synced, renamed over it, and the directory synced.
func (r *Registry) save(d *regData) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(d); err != nil {
		return fmt.Errorf("writing the registry: %w", err)
	}
	dir := filepath.Dir(r.path)
	tmp, err := os.CreateTemp(dir, ".registry-*.tmp")
	if err != nil {
		return fmt.Errorf("writing the registry: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(buf.Bytes()); err != nil {
		tmp.Close()
		return fmt.Errorf("writing the registry: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("writing the registry: syncing: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing the registry: %w", err)
	}
	if err := os.Rename(tmp.Name(), r.path); err != nil {
		return fmt.Errorf("writing the registry: %w", err)
	}
	if f, err := os.Open(dir); err == nil {
		_ = f.Sync() // some file systems cannot sync directories
		_ = f.Close()
	}
	return nil
}

// read runs fn on the registry under a shared lock.
func (r *Registry) read(fn func(*regData) error) error {
	unlock, err := lockPath(r.path+".lock", false)
	if err != nil {
		return fmt.Errorf("locking the registry: %w", err)
	}
	defer unlock()
	d, err := r.load()
	if err != nil {
		return err
	}
	return fn(d)
}

// update runs fn on the registry under an exclusive lock and saves the
// result when fn succeeds.
func (r *Registry) update(fn func(*regData) error) error {
	unlock, err := lockPath(r.path+".lock", true)
	if err != nil {
		return fmt.Errorf("locking the registry: %w", err)
	}
	defer unlock()
	d, err := r.load()
	if err != nil {
		return err
	}
	if err := fn(d); err != nil {
		return err
	}
	return r.save(d)
}
