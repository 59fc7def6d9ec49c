// Package exportplan plans a device from an export of a real Intune
// tenant, without a running service: `whiteglove plan --from-export DIR`.
//
// DIR holds one file per Graph collection, each exactly the body a Graph
// list call returns with its pages merged into one "value" array (see
// README.md for the calls). Load reads the files, writes them into a fresh
// temporary embedded SQLite tenant through whiteglove's own services
// (directory, Autopilot, ESP, apps), and Tenant.Plan runs the same planner
// the service runs, so the rules are identical. Properties whiteglove does
// not model are ignored: an export is what Graph returns, not a request.
package exportplan

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Collection files, as named in DIR.
const (
	FileApps           = "mobileApps.json"
	FilePolicies       = "deviceConfigurations.json"
	FileScripts        = "deviceManagementScripts.json"
	FileEnrollment     = "deviceEnrollmentConfigurations.json"
	FileProfiles       = "windowsAutopilotDeploymentProfiles.json"
	FileGroups         = "groups.json"
	FileDevices        = "devices.json"
	FileUsers          = "users.json"
	FileIdentities     = "windowsAutopilotDeviceIdentities.json"
	maxCollectionBytes = 1 << 30
)

// Files lists every collection file Read looks for.
var Files = []string{FileApps, FilePolicies, FileScripts, FileEnrollment, FileProfiles, FileGroups, FileDevices, FileUsers, FileIdentities}

// Object is one item of a collection, decoded with json.Number for numbers.
type Object = map[string]any

// Export is the raw content of an export directory: each collection's
// items, as Graph returned them. A missing file is an empty collection.
type Export struct {
	Apps       []Object // mobileApps?$expand=assignments
	Policies   []Object // deviceConfigurations?$expand=assignments
	Scripts    []Object // deviceManagementScripts?$expand=assignments
	Enrollment []Object // deviceEnrollmentConfigurations?$expand=assignments
	Profiles   []Object // windowsAutopilotDeploymentProfiles?$expand=assignments
	Groups     []Object // groups?$expand=members
	Devices    []Object // devices
	Users      []Object // users
	Identities []Object // windowsAutopilotDeviceIdentities
}

// collection returns the slot of a file name.
func (e *Export) collection(file string) *[]Object {
	switch file {
	case FileApps:
		return &e.Apps
	case FilePolicies:
		return &e.Policies
	case FileScripts:
		return &e.Scripts
	case FileEnrollment:
		return &e.Enrollment
	case FileProfiles:
		return &e.Profiles
	case FileGroups:
		return &e.Groups
	case FileDevices:
		return &e.Devices
	case FileUsers:
		return &e.Users
	case FileIdentities:
		return &e.Identities
	}
	return nil
}

// Read loads every collection file of dir. A missing file is an empty
// collection; a file that is not a Graph collection body is an error
// naming the file.
func Read(dir string) (*Export, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("reading the export: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("reading the export: %s is not a directory", dir)
	}
	e := &Export{}
	for _, name := range Files {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("reading the export: %w", err)
		}
		items, err := ParseCollection(b)
		if err != nil {
			return nil, fmt.Errorf("reading the export: %s: %w", name, err)
		}
		*e.collection(name) = items
	}
	return e, nil
}

// ParseCollection decodes the body of a Graph list call: an object whose
// "value" is an array of objects. A bare array of objects is accepted too
// (what `jq .value` leaves). Other members (@odata.context,
// @odata.nextLink) are ignored; null items are skipped.
func ParseCollection(b []byte) ([]Object, error) {
	if len(b) > maxCollectionBytes {
		return nil, fmt.Errorf("the file is larger than %d bytes", maxCollectionBytes)
	}
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")) // PowerShell's Out-File writes a BOM
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("not JSON: %w", err)
	}
	if dec.More() {
		return nil, errors.New("more than one JSON value: merge the pages into one \"value\" array")
	}
	var raw []any
	switch t := v.(type) {
	case map[string]any:
		val, ok := t["value"]
		if !ok {
			return nil, errors.New(`not a Graph collection: no "value" array`)
		}
		if raw, ok = val.([]any); !ok && val != nil {
			return nil, errors.New(`"value" is not an array`)
		}
	case []any:
		raw = t
	default:
		return nil, errors.New(`not a Graph collection: expected {"value": [...]}`)
	}
	out := make([]Object, 0, len(raw))
	for i, it := range raw {
		switch o := it.(type) {
		case nil:
		case map[string]any:
			out = append(out, o)
		default:
			return nil, fmt.Errorf("value[%d] is not an object", i)
		}
	}
	return out, nil
}
