package ljson

import (
	"encoding/json"
	"testing"
)

// benchBody is a deployment profile as an admin tool would POST it, in
// standard JSON so that encoding/json can read it too.
const benchBody = `{
    "@odata.type": "#microsoft.graph.azureADWindowsAutopilotDeploymentProfile",
    "displayName": "Autopilot Profile",
    "description": "Default profile for all corporate devices",
    "language": "os-default",
    "extractHardwareHash": true,
    "deviceNameTemplate": "WG-%SERIAL%",
    "deviceType": "windowsPc",
    "enableWhiteGlove": true,
    "roleScopeTagIds": ["0", "1"],
    "outOfBoxExperienceSettings": {
        "@odata.type": "microsoft.graph.outOfBoxExperienceSettings",
        "hidePrivacySettings": true,
        "hideEULA": true,
        "userType": "standard",
        "deviceUsageType": "singleUser",
        "skipKeyboardSelectionPage": false,
        "hideEscapeLink": true
    }
}`

// BenchmarkDecode compares Decode (lenient parse plus schema validation)
// with a plain encoding/json Unmarshal of the same body into a map.
func BenchmarkDecode(b *testing.B) {
	data := []byte(benchBody)
	b.Run("ljson.Decode", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Decode(data, profileSchema); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("ljson.Parse", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Parse(data); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding-json.Unmarshal", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			var m map[string]any
			if err := json.Unmarshal(data, &m); err != nil {
				b.Fatal(err)
			}
		}
	})
}
