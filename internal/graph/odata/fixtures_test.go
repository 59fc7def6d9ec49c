package odata

import (
	"sort"
	"time"
)

// testSchema resembles a windowsAutopilotDeviceIdentity / device mix.
var testSchema = Schema{
	"id":                       Guid,
	"displayName":              String,
	"serialNumber":             String,
	"model":                    String,
	"mail":                     String,
	"accountEnabled":           Bool,
	"physicalIds":              StringCollection,
	"groupTypes":               StringCollection,
	"state/deviceImportStatus": Enum,
	"createdDateTime":          DateTime,
	"size":                     Int,
	"score":                    Float,
}

func mustTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

// sampleEntities returns three devices keyed by short name.
func sampleEntities() map[string]Entity {
	return map[string]Entity{
		"d1": MapEntity{
			"id":              "0D2F1F4E-6A8B-4C1D-9E2F-3A4B5C6D7E8F",
			"displayName":     "Contoso Laptop 01",
			"serialNumber":    "SN-001",
			"model":           "Surface",
			"mail":            nil,
			"accountEnabled":  true,
			"physicalIds":     []string{"[ZTDID]abc", "[OrderId]x"},
			"groupTypes":      []string{},
			"state":           map[string]any{"deviceImportStatus": "complete"},
			"createdDateTime": mustTime("2024-01-02T03:04:05Z"),
			"size":            3,
			"score":           1.5,
		},
		"d2": MapEntity{
			"id":                       "11111111-2222-3333-4444-555555555555",
			"displayName":              "O'Brien's Desktop",
			"serialNumber":             "sn-002",
			"mail":                     "ops@contoso.com",
			"accountEnabled":           false,
			"physicalIds":              []any{"[GID]g1"},
			"groupTypes":               []string{"DynamicMembership", "Unified"},
			"state/deviceImportStatus": "error",
			"createdDateTime":          mustTime("2023-06-01T00:00:00+02:00"),
			"size":                     int64(10),
			"score":                    2,
		},
		"d3": MapEntity{
			"id":          "33333333-3333-3333-3333-333333333333",
			"displayName": "Ärger Gerät",
		},
	}
}

// matching returns the sorted names of the sample entities f matches.
func matching(f *Filter, ents map[string]Entity) []string {
	out := []string{}
	for name, e := range ents {
		if f.Match(e) {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}
