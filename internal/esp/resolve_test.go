package esp_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/whiteglove/whiteglove/internal/apperr"
	"github.com/whiteglove/whiteglove/internal/assign"
	"github.com/whiteglove/whiteglove/internal/directory"
	"github.com/whiteglove/whiteglove/internal/esp"
	"github.com/whiteglove/whiteglove/internal/store"
	"github.com/whiteglove/whiteglove/internal/store/sqlstore"
	"github.com/whiteglove/whiteglove/internal/store/storetest"
)

func newGUID(i int) string { return fmt.Sprintf("00000000-0000-4000-8000-%012d", i) }

func target(kind assign.Kind, group string) esp.Assignment {
	return esp.Assignment{Target: assign.Target{Kind: kind, GroupID: group}}
}

func TestResolve(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		const (
			dev, dev2, user, user2 = "dev", "dev2", "user", "user2"
			kioskDevs, salesUsers  = "00000000-0000-4000-8000-00000000000a", "00000000-0000-4000-8000-00000000000b"
			noESP, allStaff        = "00000000-0000-4000-8000-00000000000c", "00000000-0000-4000-8000-00000000000d"
		)
		s := newService(t, db, groups{dev: {kioskDevs}, dev2: {kioskDevs, noESP}, user: {salesUsers, allStaff}, user2: {allStaff}})
		// Priorities: users(1) kiosk(2) everyone(3) licensed(4).
		users := create(t, s, "Sales users")
		kiosk := create(t, s, "Kiosk devices")
		everyone := create(t, s, "All devices")
		licensed := create(t, s, "Licensed users")
		assignOrFail := func(p esp.Profile, as ...esp.Assignment) {
			if _, err := s.Assign(ctx, p.ID, as); err != nil {
				t.Fatal(err)
			}
		}
		assignOrFail(users, target(assign.Group, salesUsers))
		assignOrFail(kiosk, target(assign.Group, kioskDevs), target(assign.ExclusionGroup, noESP))
		assignOrFail(licensed, target(assign.AllLicensedUsers, ""))
		cases := []struct {
			name     string
			in       esp.ResolveInput
			want     string
			via      esp.Via
			excluded []string
			reason   string
		}{
			{"device group beats a higher-priority user profile", esp.ResolveInput{DeviceID: dev, UserID: user}, kiosk.ID, esp.ViaDevice, nil, "group " + kioskDevs},
			{"exclusion removes the device profile; user profile applies", esp.ResolveInput{DeviceID: dev2, UserID: user}, users.ID, esp.ViaUser, []string{kiosk.ID}, "targeted at the user"},
			{"pre-provisioning ignores user-targeted profiles", esp.ResolveInput{DeviceID: dev2, UserID: user, PreProvisioning: true}, "default", esp.ViaDefault, []string{kiosk.ID}, "pre-provisioning ignores"},
			{"all licensed users needs a licence", esp.ResolveInput{DeviceID: "other", UserID: user2}, "default", esp.ViaDefault, nil, "device or the user"},
			{"licensed user", esp.ResolveInput{DeviceID: "other", UserID: user2, UserLicensed: true}, licensed.ID, esp.ViaUser, nil, "all licensed users"},
			{"no user", esp.ResolveInput{DeviceID: "other"}, "default", esp.ViaDefault, nil, "there is no user"},
		}
		check := func(name string, in esp.ResolveInput, want string, via esp.Via, excluded []string, reason string) esp.Resolution {
			t.Helper()
			r, err := s.Resolve(ctx, in)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			got := r.Profile.ID
			if r.Profile.Default {
				got = "default"
			}
			if got != want || r.Via != via || !slices.Equal(r.Excluded, excluded) || !strings.Contains(r.Reason, reason) {
				t.Errorf("%s: got %s via %s excluded %v (%q), want %s via %s excluded %v (%q)", name, r.Profile.DisplayName, r.Via, r.Excluded, r.Reason, want, via, excluded, reason)
			}
			return r
		}
		for _, c := range cases {
			check(c.name, c.in, c.want, c.via, c.excluded, c.reason)
		}
		// All devices at priority 3 now reaches every device not excluded elsewhere.
		assignOrFail(everyone, target(assign.AllDevices, ""))
		check("all devices", esp.ResolveInput{DeviceID: dev2, UserID: user}, everyone.ID, esp.ViaDevice, []string{kiosk.ID}, "via all devices")
		// Moving it above kiosk makes it win for kiosk devices too.
		if err := s.SetPriority(ctx, everyone.ID, 1); err != nil {
			t.Fatal(err)
		}
		check("after setPriority", esp.ResolveInput{DeviceID: dev}, everyone.ID, esp.ViaDevice, nil, "priority 1")
		if _, err := s.Resolve(ctx, esp.ResolveInput{}); err == nil {
			t.Fatal("resolve without a device id succeeded")
		}
	})
}

func TestResolvePreProvisioningNeedsADeviceESP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		const g = "00000000-0000-4000-8000-00000000000a"
		s := newService(t, db, groups{"dev": {g}, "user": {g}})
		def, _ := s.Profiles(ctx)
		in := esp.ResolveInput{DeviceID: "dev", UserID: "user", PreProvisioning: true}
		r, _ := s.Resolve(ctx, in)
		if r.Via != esp.ViaDefault || r.DeviceESP || !strings.Contains(r.Reason, "showInstallationProgress") {
			t.Fatalf("default without progress: %+v", r)
		}
		// The default counts once it shows installation progress.
		if _, err := s.Update(ctx, def[0].ID, func(p *esp.Profile) error { p.ShowInstallationProgress = true; return nil }); err != nil {
			t.Fatal(err)
		}
		if r, _ := s.Resolve(ctx, in); r.Via != esp.ViaDefault || !r.DeviceESP {
			t.Fatalf("default with progress: %+v", r)
		}
		// A device-targeted profile that hides progress wins, and gives no ESP.
		p := create(t, s, "Quiet")
		if _, err := s.Assign(ctx, p.ID, []esp.Assignment{target(assign.Group, g)}); err != nil {
			t.Fatal(err)
		}
		if r, _ := s.Resolve(ctx, in); r.Profile.ID != p.ID || r.DeviceESP || !strings.Contains(r.Reason, "showInstallationProgress") {
			t.Fatalf("quiet device profile: %+v", r)
		}
		if _, err := s.Update(ctx, p.ID, func(p *esp.Profile) error { p.ShowInstallationProgress = true; return nil }); err != nil {
			t.Fatal(err)
		}
		if r, _ := s.Resolve(ctx, in); r.Profile.ID != p.ID || !r.DeviceESP {
			t.Fatalf("device profile: %+v", r)
		}
	})
}

func TestResolveWithDirectoryGroups(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		st := sqlstore.New(db)
		dir := directory.New(st, nil)
		if _, _, err := dir.EnsureTenant(ctx, directory.TenantSettings{DisplayName: "Contoso", Domain: "contoso.example"}); err != nil {
			t.Fatal(err)
		}
		kiosks, err := dir.CreateGroup(ctx, directory.Group{DisplayName: "Kiosks", SecurityEnabled: true, GroupTypes: []string{"DynamicMembership"},
			MembershipRule: `device.devicePhysicalIds -any _ -eq "[OrderID]:Kiosk"`})
		if err != nil {
			t.Fatal(err)
		}
		d, err := dir.CreateDevice(ctx, directory.Device{DisplayName: "K1", PhysicalIDs: []string{"[OrderId]:Kiosk"}})
		if err != nil {
			t.Fatal(err)
		}
		s := esp.New(st.ESP(), st, tenantID, nil)
		if _, err := s.Resolve(ctx, esp.ResolveInput{DeviceID: d.ID}); !errors.Is(err, apperr.ErrNotFound) {
			t.Fatalf("resolve before EnsureDefault: %v", err)
		}
		if _, err := s.EnsureDefault(ctx); err != nil {
			t.Fatal(err)
		}
		p := create(t, s, "Kiosk ESP")
		if _, err := s.Assign(ctx, p.ID, []esp.Assignment{target(assign.Group, kiosks.ID)}); err != nil {
			t.Fatal(err)
		}
		r, err := s.Resolve(ctx, esp.ResolveInput{DeviceID: d.ID, PreProvisioning: true})
		if err != nil || r.Profile.ID != p.ID || !strings.Contains(r.Reason, kiosks.ID) {
			t.Fatalf("resolve = %+v, %v", r, err)
		}
	})
}
