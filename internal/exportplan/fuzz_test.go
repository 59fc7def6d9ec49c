package exportplan

import "testing"

// FuzzLoad feeds one collection's JSON to the collection parser and every
// mapper: whatever the bytes, nothing panics.
func FuzzLoad(f *testing.F) {
	f.Add([]byte(`{"value":[{"id":"x","@odata.type":"#microsoft.graph.win32LobApp","size":1e400,"assignments":[{"target":{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":7}}]}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		items, err := ParseCollection(b)
		if err != nil {
			return
		}
		for _, o := range items {
			_, _ = mapUser(o)
			_, _ = mapDevice(o)
			_, _ = mapGroup(o)
			_, _ = mapIdentity(o)
			_, _ = mapProfile(o)
			_, _, _ = mapEnrollment(o)
			_, _ = mapApp(o)
			_, _ = mapPolicy(o)
			_, _ = mapScript(o)
			_ = label(o)
		}
	})
}
