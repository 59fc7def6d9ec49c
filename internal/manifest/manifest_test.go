package manifest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/whiteglove/whiteglove/internal/assign"
	"github.com/whiteglove/whiteglove/internal/autopilot"
	"github.com/whiteglove/whiteglove/internal/directory"
	"github.com/whiteglove/whiteglove/internal/esp"
	"github.com/whiteglove/whiteglove/internal/targeting"
)

// fakeStore holds a few devices in memory; it stands in for the database
// so the concurrent computation can be exercised under -race (the SQL
// paths are covered by internal/server's tests on both databases).
type fakeStore struct {
	devs   []autopilot.Device
	groups map[string][]string
	stored map[string]Stored
	put    []Manifest
}

func (f *fakeStore) Manifest(context.Context, string) (Manifest, error)           { return Manifest{}, nil }
func (f *fakeStore) ManifestTx(ctx context.Context, fn func(Tx) error) error      { return fn(f) }
func (f *fakeStore) AutopilotDevices(context.Context) ([]autopilot.Device, error) { return f.devs, nil }
func (f *fakeStore) AutopilotDevice(_ context.Context, id string) (autopilot.Device, error) {
	for _, d := range f.devs {
		if d.ID == id {
			return d, nil
		}
	}
	return autopilot.Device{}, fmt.Errorf("no %s", id)
}
func (f *fakeStore) AutopilotDevicesForEntra(context.Context, string) ([]autopilot.Device, error) {
	return nil, nil
}
func (f *fakeStore) AutopilotDevicesForUser(context.Context, string) ([]autopilot.Device, error) {
	return nil, nil
}
func (f *fakeStore) User(context.Context, string) (directory.User, error) {
	return directory.User{}, nil
}
func (f *fakeStore) Users(context.Context) ([]directory.User, error) { return nil, nil }
func (f *fakeStore) AllMemberships(context.Context) (map[string][]string, error) {
	return f.groups, nil
}
func (f *fakeStore) MembershipsOf(_ context.Context, ids []string) (map[string][]string, error) {
	out := map[string][]string{}
	for _, id := range ids {
		out[id] = f.groups[id]
	}
	return out, nil
}
func (f *fakeStore) LockState(context.Context) (string, error) { return "", nil }
func (f *fakeStore) SetState(context.Context, string) error    { return nil }
func (f *fakeStore) StoredManifests(context.Context, []string) (map[string]Stored, error) {
	return f.stored, nil
}
func (f *fakeStore) PutManifests(_ context.Context, ms []Manifest) error {
	f.put = append(f.put, ms...)
	for _, m := range ms {
		f.stored[m.DeviceID] = Stored{Version: m.Version, Digest: m.Digest}
	}
	return nil
}
func (f *fakeStore) DeleteManifests(context.Context, []string) error  { return nil }
func (f *fakeStore) TakeDirty(context.Context, int) ([]string, error) { return nil, nil }

type staticCatalog struct{ c *targeting.Catalog }

func (s staticCatalog) Catalog(context.Context) (*targeting.Catalog, error) { return s.c, nil }

func TestRecomputeManyDevicesConcurrentlyAndVersions(t *testing.T) {
	f := &fakeStore{groups: map[string][]string{}, stored: map[string]Stored{}}
	for i := 0; i < 3000; i++ {
		d := autopilot.Device{ID: fmt.Sprintf("d%04d", i), EntraObjectID: fmt.Sprintf("e%04d", i)}
		f.devs = append(f.devs, d)
		f.groups[d.EntraObjectID] = []string{fmt.Sprintf("g%d", i%3)}
	}
	items := []targeting.Item{{ID: "app", Name: "App", Kind: targeting.KindApp, AppType: targeting.AppWin32, Context: targeting.ContextSystem, Tracked: true, Supported: true,
		Assignments: []targeting.Assignment{{Intent: "required", Target: assign.Target{Kind: assign.Group, GroupID: "g1"}}}}}
	s := New(f, staticCatalog{targeting.NewCatalog(items)}, nil, nil, nil)
	rules := testRules(t)
	for _, bulk := range []bool{false, true} {
		f.put = nil
		f.stored = map[string]Stored{}
		if _, err := s.recomputeWith(context.Background(), f, f.devs, bulk, rules); err != nil {
			t.Fatal(err)
		}
		if len(f.put) != 3000 {
			t.Fatalf("bulk=%v: stored %d manifests", bulk, len(f.put))
		}
		with := 0
		for _, m := range f.put {
			if m.Version != 1 {
				t.Fatalf("first version = %d", m.Version)
			}
			if len(m.Phases[0].Items) == 1 {
				with++
			}
		}
		if with != 1000 {
			t.Fatalf("bulk=%v: %d devices got the app, want 1000", bulk, with)
		}
		// Unchanged content: nothing is written again.
		f.put = nil
		if _, err := s.recomputeWith(context.Background(), f, f.devs, bulk, rules); err != nil {
			t.Fatal(err)
		}
		if len(f.put) != 0 {
			t.Fatalf("bulk=%v: %d unchanged manifests rewritten", bulk, len(f.put))
		}
	}
	if !strings.HasPrefix(f.devs[0].ID, "d") {
		t.Fatal("fixture broken")
	}
}

func testRules(t *testing.T) *esp.Rules {
	t.Helper()
	r, err := esp.NewRules([]esp.Profile{{ID: "default", Default: true, Settings: esp.DefaultSettings()}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
