package autopilot_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/whiteglove/whiteglove/internal/apperr"
	"github.com/whiteglove/whiteglove/internal/assign"
	"github.com/whiteglove/whiteglove/internal/autopilot"
	"github.com/whiteglove/whiteglove/internal/autopilot/aptest"
	"github.com/whiteglove/whiteglove/internal/autopilot/hwhash"
	"github.com/whiteglove/whiteglove/internal/directory"
	"github.com/whiteglove/whiteglove/internal/store"
	"github.com/whiteglove/whiteglove/internal/store/sqlstore"
	"github.com/whiteglove/whiteglove/internal/store/storetest"
)

type fixture struct {
	t   *testing.T
	dir *directory.Service
	ap  *autopilot.Service
	st  *sqlstore.Store
}

func newFixture(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	st := sqlstore.New(db)
	dir := directory.New(st, nil)
	if _, _, err := dir.EnsureTenant(context.Background(), directory.TenantSettings{DisplayName: "Contoso", Domain: "contoso.example", Seats: 5}); err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, dir: dir, ap: autopilot.New(st, dir, nil), st: st}
}

// importAll submits and processes imports, returning them as finished.
func (f *fixture) importAll(reqs ...autopilot.Import) []autopilot.Import {
	f.t.Helper()
	ctx := context.Background()
	sub, err := f.ap.Submit(ctx, reqs)
	if err != nil {
		f.t.Fatal(err)
	}
	for _, im := range sub {
		if im.Status != autopilot.ImportUnknown {
			f.t.Fatalf("submitted import status %q, want unknown", im.Status)
		}
	}
	if _, err := f.ap.Process(ctx); err != nil {
		f.t.Fatal(err)
	}
	out := make([]autopilot.Import, len(sub))
	for i, im := range sub {
		if out[i], err = f.st.Import(ctx, im.ID); err != nil {
			f.t.Fatal(err)
		}
	}
	return out
}

func (f *fixture) device(id string) autopilot.Device {
	f.t.Helper()
	d, err := f.st.AutopilotDevice(context.Background(), id)
	if err != nil {
		f.t.Fatal(err)
	}
	return d
}

func req(serial, tag string) autopilot.Import {
	return autopilot.Import{SerialNumber: serial, GroupTag: tag, HardwareHash: aptest.Hash(serial)}
}

func (f *fixture) dynamicGroup(name, rule string) string {
	f.t.Helper()
	g, err := f.dir.CreateGroup(context.Background(), directory.Group{DisplayName: name, GroupTypes: []string{"DynamicMembership"}, MembershipRule: rule, SecurityEnabled: true})
	if err != nil {
		f.t.Fatal(err)
	}
	return g.ID
}

func (f *fixture) profile(name string, preprov bool) autopilot.Profile {
	f.t.Helper()
	p, err := f.ap.CreateProfile(context.Background(), autopilot.Profile{Kind: autopilot.KindAzureAD, DisplayName: name, PreprovisioningAllowed: preprov})
	if err != nil {
		f.t.Fatal(err)
	}
	return p
}

func (f *fixture) assignGroup(profileID, groupID string) {
	f.t.Helper()
	if _, err := f.ap.AddAssignment(context.Background(), autopilot.ProfileAssignment{ProfileID: profileID, TargetKind: string(assign.Group), GroupID: groupID}); err != nil {
		f.t.Fatal(err)
	}
}

func TestImportRegistersAndAssignsAtOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		all := f.dynamicGroup("All Autopilot", `(device.devicePhysicalIDs -any (_ -startsWith "[ZTDId]"))`)
		p := f.profile("Pre-provisioned", true)
		f.assignGroup(p.ID, all)

		got := f.importAll(req("SER-1", "Sales"), req("SER-2", ""))
		for _, im := range got {
			if im.Status != autopilot.ImportComplete || im.RegistrationID == "" {
				t.Fatalf("import %s: %+v", im.SerialNumber, im)
			}
			d := f.device(im.RegistrationID)
			if d.ProfileID != p.ID || d.ProfileStatus != autopilot.ProfileAssignedInSync || d.ProfileAssignedAt.IsZero() {
				t.Fatalf("device %s profile = %q %q, want %s assignedInSync", d.SerialNumber, d.ProfileID, d.ProfileStatus, p.ID)
			}
			if d.EnrollmentState != autopilot.EnrollmentNotContacted || d.Manufacturer != "Contoso" {
				t.Fatalf("device fields: %+v", d)
			}
			e, err := f.st.Device(ctx, d.EntraObjectID)
			if err != nil {
				t.Fatal(err)
			}
			want := "[ZTDID]:" + d.ID
			if e.PhysicalIDs[0] != want || e.DeviceID != d.EntraDeviceID {
				t.Fatalf("Entra device %+v, want physical id %s", e, want)
			}
		}
		d1 := f.device(got[0].RegistrationID)
		e1, _ := f.st.Device(ctx, d1.EntraObjectID)
		if len(e1.PhysicalIDs) != 2 || e1.PhysicalIDs[1] != "[OrderId]:Sales" {
			t.Fatalf("group tag marker missing: %v", e1.PhysicalIDs)
		}
	})
}

func TestImportErrorsAreNamedAndGoodRowsImport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		if _, err := f.dir.CreateUser(ctx, directory.NewUser{User: directory.User{UPN: "ann@contoso.example", DisplayName: "Ann", AccountEnabled: true}}); err != nil {
			t.Fatal(err)
		}
		withUser := req("SER-U", "")
		withUser.AssignedUPN = "ANN@contoso.example"
		ghost := req("SER-G", "")
		ghost.AssignedUPN = "ghost@contoso.example"
		bad := autopilot.Import{SerialNumber: "SER-BAD", HardwareHash: "VGhpcyBpcyBub3QgYSBoYXNo"}
		got := f.importAll(req("SER-A", ""), req("SER-A", ""), bad, withUser, ghost)
		want := []string{"", autopilot.ErrNameDuplicated, autopilot.ErrNameInvalidHash, "", autopilot.ErrNameUserNotFound}
		for i, im := range got {
			if im.ErrorName != want[i] {
				t.Fatalf("row %d (%s): error %q, want %q", i, im.SerialNumber, im.ErrorName, want[i])
			}
			if want[i] != "" && (im.Status != autopilot.ImportError || im.ErrorCode == 0 || im.RegistrationID != "") {
				t.Fatalf("row %d: %+v", i, im)
			}
		}
		d := f.device(got[3].RegistrationID)
		if d.UserPrincipalName != "ann@contoso.example" || d.AddressableUserName != "Ann" {
			t.Fatalf("assigned user = %q %q", d.UserPrincipalName, d.AddressableUserName)
		}
		// The same device again, in a later import: already assigned.
		again := f.importAll(req("SER-A", ""))
		if again[0].ErrorName != autopilot.ErrNameAlreadyAssigned {
			t.Fatalf("re-import: %+v", again[0])
		}
		ds, _ := f.st.AutopilotDevices(ctx)
		if len(ds) != 2 {
			t.Fatalf("%d devices registered, want 2", len(ds))
		}
	})
}

func TestProfileFollowsGroupTagAssignmentsAndPrecedence(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		sales := f.dynamicGroup("Sales", `(device.devicePhysicalIds -any (_ -eq "[OrderID]:Sales"))`)
		hr := f.dynamicGroup("HR", `(device.devicePhysicalIds -any (_ -eq "[OrderID]:HR"))`)
		older := f.profile("Older", false)
		newer := f.profile("Newer", true)
		f.assignGroup(newer.ID, sales)
		id := f.importAll(req("SER-1", "HR"))[0].RegistrationID
		if d := f.device(id); d.ProfileStatus != autopilot.ProfileNotAssigned || d.ProfileID != "" {
			t.Fatalf("untargeted device: %q %q", d.ProfileID, d.ProfileStatus)
		}
		// The technician retags the device: it joins Sales and gets Newer at once.
		tag := "Sales"
		if _, err := f.ap.Update(ctx, id, autopilot.Change{GroupTag: &tag}); err != nil {
			t.Fatal(err)
		}
		if d := f.device(id); d.ProfileID != newer.ID || d.ProfileStatus != autopilot.ProfileAssignedInSync {
			t.Fatalf("after retag: %q %q", d.ProfileID, d.ProfileStatus)
		}
		// Both profiles target the device: the older profile wins.
		f.assignGroup(older.ID, sales)
		if d := f.device(id); d.ProfileID != older.ID {
			t.Fatalf("with two profiles: %q, want the older %s", d.ProfileID, older.ID)
		}
		// Excluding the group from Older leaves Newer.
		if _, err := f.ap.AddAssignment(ctx, autopilot.ProfileAssignment{ProfileID: older.ID, TargetKind: string(assign.ExclusionGroup), GroupID: sales}); err != nil {
			t.Fatal(err)
		}
		if d := f.device(id); d.ProfileID != newer.ID {
			t.Fatalf("with exclusion: %q, want %s", d.ProfileID, newer.ID)
		}
		// A direct assignment beats groups.
		direct := f.profile("Direct", false)
		if err := f.ap.AssignDirect(ctx, direct.ID, []string{id}); err != nil {
			t.Fatal(err)
		}
		if d := f.device(id); d.ProfileID != direct.ID {
			t.Fatalf("direct: %q", d.ProfileID)
		}
		// An assigned profile cannot be deleted; removing assignments frees it.
		if err := f.ap.DeleteProfile(ctx, newer.ID); err == nil {
			t.Fatal("deleted an assigned profile")
		}
		if err := f.ap.RemoveAssignment(ctx, newer.ID, autopilot.AssignmentID(newer.ID, sales)); err != nil {
			t.Fatal(err)
		}
		if err := f.ap.DeleteProfile(ctx, newer.ID); err != nil {
			t.Fatal(err)
		}
		if err := f.ap.DeleteProfile(ctx, direct.ID); err != nil {
			t.Fatal(err)
		}
		// Direct profile gone, Older excludes Sales: nothing applies.
		if d := f.device(id); d.ProfileID != "" || d.ProfileStatus != autopilot.ProfileNotAssigned {
			t.Fatalf("after deletions: %q %q", d.ProfileID, d.ProfileStatus)
		}
		_ = hr
	})
}

func TestDeleteRefusedWhileEnrolled(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		id := f.importAll(req("SER-E", ""))[0].RegistrationID
		err := f.st.AutopilotTx(ctx, func(tx autopilot.Tx) error {
			d, err := tx.AutopilotDevice(ctx, id)
			if err != nil {
				return err
			}
			d.EnrollmentState = autopilot.EnrollmentEnrolled
			return tx.UpdateAutopilotDevice(ctx, d)
		})
		if err != nil {
			t.Fatal(err)
		}
		var st *apperr.StateError
		if err := f.ap.Delete(ctx, id); !errors.As(err, &st) || !strings.Contains(err.Error(), "enrolled") {
			t.Fatalf("delete enrolled: %v", err)
		}
		if err := f.ap.AllowNextEnrollment(ctx, id); err != nil {
			t.Fatal(err)
		}
		if err := f.ap.Delete(ctx, id); err != nil {
			t.Fatalf("delete after unblock: %v", err)
		}
		if _, err := f.st.AutopilotDevice(ctx, id); !errors.Is(err, apperr.ErrNotFound) {
			t.Fatalf("device still there: %v", err)
		}
	})
}

func TestTwoProcessorsNeverRegisterTwice(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		// A second replica: its own services over the same database.
		st2 := sqlstore.New(db)
		ap2 := autopilot.New(st2, directory.New(st2, nil), nil)
		// Imports left behind by a replica that stopped: unleased, unknown.
		var reqs []autopilot.Import
		now := time.Now().UTC()
		for i := 0; i < 300; i++ {
			im := req(fmt.Sprintf("SER-%03d", i), "")
			im.ID, im.ImportID, im.Seq, im.Status, im.CreatedAt = fmt.Sprintf("00000000-0000-4000-8000-%012d", i), "left-behind", i, autopilot.ImportUnknown, now
			reqs = append(reqs, im)
		}
		if err := f.st.AutopilotTx(ctx, func(tx autopilot.Tx) error { return tx.PutImports(ctx, reqs, "", time.Time{}) }); err != nil {
			t.Fatal(err)
		}
		errc := make(chan error, 2)
		for _, s := range []*autopilot.Service{f.ap, ap2} {
			go func() { _, err := s.Process(ctx); errc <- err }()
		}
		for i := 0; i < 2; i++ {
			if err := <-errc; err != nil {
				t.Fatal(err)
			}
		}
		ims, _ := f.st.Imports(ctx)
		ds, _ := f.st.AutopilotDevices(ctx)
		complete := 0
		for _, im := range ims {
			if im.Status == autopilot.ImportComplete {
				complete++
			}
		}
		if complete != 300 || len(ds) != 300 {
			t.Fatalf("complete = %d, devices = %d, want 300 each", complete, len(ds))
		}
	})
}

func TestSyncAnswersConflictOnlyWhileRunning(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		for i := 0; i < 2; i++ { // back to back: no ten-minute wait
			if err := f.ap.Sync(ctx); err != nil {
				t.Fatalf("sync %d: %v", i, err)
			}
		}
		s, _ := f.st.AutopilotSettings(ctx)
		if s.SyncStatus != "completed" || s.LastSyncAt.IsZero() {
			t.Fatalf("settings = %+v", s)
		}
		err := f.st.AutopilotTx(ctx, func(tx autopilot.Tx) error {
			return tx.PutAutopilotSettings(ctx, autopilot.Settings{SyncStatus: "inProgress"}, time.Now().Add(time.Minute))
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := f.ap.Sync(ctx); !errors.Is(err, autopilot.ErrSyncRunning) {
			t.Fatalf("sync while running: %v", err)
		}
	})
}

func TestSerialSearchWithSpacesHyphensAndWildcards(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		f.importAll(req("VMware-56 4d 12", ""), req("5CG-1234_X", ""), req("5CG-1234AX", ""), req("100%PURE", ""))
		for part, want := range map[string]int{"56 4d": 1, "5cg-1234": 2, "1234_x": 1, "%": 1, "_": 1, "vmware-56 4d 12": 1, "nope": 0} {
			got, err := f.st.AutopilotDevicesBySerial(ctx, part)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != want {
				t.Errorf("contains %q: %d devices, want %d", part, len(got), want)
			}
			for _, d := range got {
				if d.HardwareHash != "" {
					t.Errorf("list carried the 4 KB hash")
				}
			}
		}
	})
}

func TestRecapturedMachineIsAlreadyRegistered(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		first := f.importAll(req("SAME-1", ""))[0]
		if first.Status != autopilot.ImportComplete {
			t.Fatalf("first capture: %+v", first)
		}
		// The same serial and manufacturer, but another SMBIOS UUID (a new
		// fingerprint): still the same machine.
		again := hwhash.EncodeString(&hwhash.Hash{SerialNumber: "SAME-1", Manufacturer: "Contoso", Model: "Book 14", SMBIOSUUID: "00000000-1111-2222-3333-444444444444"})
		got := f.importAll(autopilot.Import{SerialNumber: "SAME-1", HardwareHash: again})[0]
		if got.ErrorName != autopilot.ErrNameAlreadyAssigned || got.RegistrationID != "" {
			t.Fatalf("re-captured machine: %+v", got)
		}
	})
}
