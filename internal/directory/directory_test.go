package directory_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/whiteglove/whiteglove/internal/directory"
	"github.com/whiteglove/whiteglove/internal/store"
	"github.com/whiteglove/whiteglove/internal/store/sqlstore"
	"github.com/whiteglove/whiteglove/internal/store/storetest"
)

func newDir(t *testing.T, db *store.DB) *directory.Service {
	t.Helper()
	dir := directory.New(sqlstore.New(db), nil)
	if _, _, err := dir.EnsureTenant(context.Background(), directory.TenantSettings{DisplayName: "Contoso", Domain: "contoso.example", Seats: 3}); err != nil {
		t.Fatal(err)
	}
	return dir
}

func memberIDs(t *testing.T, dir *directory.Service, groupID string) []string {
	t.Helper()
	ms, err := dir.Store().Members(context.Background(), groupID)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, m := range ms {
		ids = append(ids, m.ID)
	}
	slices.Sort(ids)
	return ids
}

func sorted(ids ...string) []string {
	slices.Sort(ids)
	return ids
}

func TestDynamicDeviceGroupIsMaintainedIncrementally(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		dir := newDir(t, db)
		a, err := dir.CreateDevice(ctx, directory.Device{DisplayName: "A", PhysicalIDs: []string{"[ZTDID]:1", "[OrderId]:Sales"}})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := dir.CreateDevice(ctx, directory.Device{DisplayName: "B", PhysicalIDs: []string{"[ZTDID]:2", "[OrderId]:HR"}})
		c, _ := dir.CreateDevice(ctx, directory.Device{DisplayName: "C"})

		all, err := dir.CreateGroup(ctx, directory.Group{DisplayName: "All Autopilot", GroupTypes: []string{"DynamicMembership"},
			MembershipRule: `(device.devicePhysicalIDs -any (_ -startsWith "[ZTDid]"))`, SecurityEnabled: true})
		if err != nil {
			t.Fatal(err)
		}
		sales, err := dir.CreateGroup(ctx, directory.Group{DisplayName: "Sales", GroupTypes: []string{"DynamicMembership"},
			MembershipRule: `(device.devicePhysicalIds -any _ -eq "[OrderID]:Sales")`, SecurityEnabled: true})
		if err != nil {
			t.Fatal(err)
		}
		if got := memberIDs(t, dir, all.ID); !slices.Equal(got, sorted(a.ID, b.ID)) {
			t.Fatalf("all autopilot = %v, want A and B", got)
		}
		if got := memberIDs(t, dir, sales.ID); !slices.Equal(got, []string{a.ID}) {
			t.Fatalf("sales = %v, want A", got)
		}

		// A device changes its group tag: it moves between groups.
		if _, err := dir.UpdateDevice(ctx, b.ID, func(d *directory.Device) error {
			d.PhysicalIDs = []string{"[ZTDID]:2", "[OrderId]:sales"}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if got := memberIDs(t, dir, sales.ID); !slices.Equal(got, sorted(a.ID, b.ID)) {
			t.Fatalf("sales after retag = %v, want A and B", got)
		}
		// A new device joins at once.
		d, _ := dir.CreateDevice(ctx, directory.Device{DisplayName: "D", PhysicalIDs: []string{"[ZTDId]:4"}})
		if got := memberIDs(t, dir, all.ID); !slices.Equal(got, sorted(a.ID, b.ID, d.ID)) {
			t.Fatalf("all after new device = %v", got)
		}
		// The rule changes: only the difference is written, and C joins.
		if _, err := dir.UpdateGroup(ctx, sales.ID, func(g *directory.Group) error {
			g.MembershipRule = `device.displayName -in ["A", "C"]`
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if got := memberIDs(t, dir, sales.ID); !slices.Equal(got, sorted(a.ID, c.ID)) {
			t.Fatalf("sales after rule change = %v, want A and C", got)
		}
		// Paused: membership frozen, device changes do not move it.
		if _, err := dir.UpdateGroup(ctx, sales.ID, func(g *directory.Group) error {
			g.RuleProcessingState = "Paused"
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if _, err := dir.UpdateDevice(ctx, a.ID, func(d *directory.Device) error { d.DisplayName = "A2"; return nil }); err != nil {
			t.Fatal(err)
		}
		if got := memberIDs(t, dir, sales.ID); !slices.Equal(got, sorted(a.ID, c.ID)) {
			t.Fatalf("paused sales = %v, want frozen A and C", got)
		}
		// Deleting a device removes its memberships.
		if err := dir.DeleteDevice(ctx, d.ID); err != nil {
			t.Fatal(err)
		}
		if got := memberIDs(t, dir, all.ID); !slices.Equal(got, sorted(a.ID, b.ID)) {
			t.Fatalf("all after delete = %v", got)
		}
		// Manual changes to dynamic groups are refused.
		if err := dir.AddMember(ctx, all.ID, c.ID); !errors.Is(err, directory.ErrDynamicGroup) {
			t.Fatalf("AddMember on dynamic group: %v", err)
		}
	})
}

func TestDynamicUserGroupAndLicences(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		dir := newDir(t, db)
		g, err := dir.CreateGroup(ctx, directory.Group{DisplayName: "Sales users", GroupTypes: []string{"DynamicMembership"},
			MembershipRule: `(user.department -eq "Sales") and (user.accountEnabled -eq true)`})
		if err != nil {
			t.Fatal(err)
		}
		u1, err := dir.CreateUser(ctx, directory.NewUser{Password: "Passw0rd!x", User: directory.User{UPN: "a@contoso.example", DisplayName: "A", Department: "sales", AccountEnabled: true, Licensed: true}})
		if err != nil {
			t.Fatal(err)
		}
		u2, _ := dir.CreateUser(ctx, directory.NewUser{User: directory.User{UPN: "b@contoso.example", DisplayName: "B", Department: "HR", AccountEnabled: true}})
		if got := memberIDs(t, dir, g.ID); !slices.Equal(got, []string{u1.ID}) {
			t.Fatalf("sales users = %v, want a", got)
		}
		if _, err := dir.UpdateUser(ctx, u2.ID, "", func(u *directory.User) error { u.Department = "Sales"; return nil }); err != nil {
			t.Fatal(err)
		}
		if got := memberIDs(t, dir, g.ID); !slices.Equal(got, sorted(u1.ID, u2.ID)) {
			t.Fatalf("after department change = %v", got)
		}
		if _, err := dir.UpdateUser(ctx, u1.ID, "", func(u *directory.User) error { u.AccountEnabled = false; return nil }); err != nil {
			t.Fatal(err)
		}
		if got := memberIDs(t, dir, g.ID); !slices.Equal(got, []string{u2.ID}) {
			t.Fatalf("after disabling a = %v", got)
		}
		// Duplicate UPN, case-insensitively.
		_, err = dir.CreateUser(ctx, directory.NewUser{User: directory.User{UPN: "A@Contoso.Example", DisplayName: "dup", AccountEnabled: true}})
		if !errors.Is(err, directory.ErrConflict) {
			t.Fatalf("duplicate UPN: %v", err)
		}
		// Three seats: two more licences fit, the fourth does not.
		for _, upn := range []string{"c@contoso.example", "d@contoso.example"} {
			if _, err := dir.CreateUser(ctx, directory.NewUser{User: directory.User{UPN: upn, DisplayName: upn, AccountEnabled: true, Licensed: true}}); err != nil {
				t.Fatal(err)
			}
		}
		_, err = dir.CreateUser(ctx, directory.NewUser{User: directory.User{UPN: "e@contoso.example", DisplayName: "e", AccountEnabled: true, Licensed: true}})
		if !errors.Is(err, directory.ErrNoSeats) {
			t.Fatalf("fourth licence: %v", err)
		}
		if _, err := dir.Store().UserByUPN(ctx, "e@contoso.example"); !errors.Is(err, directory.ErrNotFound) {
			t.Fatalf("refused user was written: %v", err)
		}
	})
}

func TestInvalidRuleWritesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		dir := newDir(t, db)
		_, err := dir.CreateGroup(ctx, directory.Group{DisplayName: "bad", GroupTypes: []string{"DynamicMembership"},
			MembershipRule: `(device.devicePhysicalIds -any (_ -eq "[OrderID]:x")`})
		var re *directory.RuleError
		if !errors.As(err, &re) {
			t.Fatalf("bad rule: %v", err)
		}
		gs, _ := dir.Store().Groups(ctx)
		if len(gs) != 0 {
			t.Fatalf("groups after refused create = %d", len(gs))
		}
	})
}

func TestStaticMembership(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		dir := newDir(t, db)
		g, _ := dir.CreateGroup(ctx, directory.Group{DisplayName: "Pilot", SecurityEnabled: true})
		u, _ := dir.CreateUser(ctx, directory.NewUser{User: directory.User{UPN: "a@contoso.example", DisplayName: "A", AccountEnabled: true}})
		d, _ := dir.CreateDevice(ctx, directory.Device{DisplayName: "PC"})
		for _, id := range []string{u.ID, d.ID} {
			if err := dir.AddMember(ctx, g.ID, id); err != nil {
				t.Fatal(err)
			}
		}
		if err := dir.AddMember(ctx, g.ID, u.ID); !errors.Is(err, directory.ErrConflict) {
			t.Fatalf("second add: %v", err)
		}
		if err := dir.AddMember(ctx, g.ID, "00000000-0000-0000-0000-000000000000"); !errors.Is(err, directory.ErrNotFound) {
			t.Fatalf("unknown object: %v", err)
		}
		if got := memberIDs(t, dir, g.ID); !slices.Equal(got, sorted(u.ID, d.ID)) {
			t.Fatalf("members = %v", got)
		}
		if err := dir.RemoveMember(ctx, g.ID, u.ID); err != nil {
			t.Fatal(err)
		}
		// Converting to dynamic drops static members and applies the rule.
		if _, err := dir.UpdateGroup(ctx, g.ID, func(g *directory.Group) error {
			g.GroupTypes = []string{"DynamicMembership"}
			g.MembershipRule = `user.userPrincipalName -startsWith "a@"`
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if got := memberIDs(t, dir, g.ID); !slices.Equal(got, []string{u.ID}) {
			t.Fatalf("after conversion = %v, want the user only", got)
		}
	})
}

func TestPasswords(t *testing.T) {
	h, err := directory.HashPassword("correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if !directory.CheckPassword(h, "correct horse") || directory.CheckPassword(h, "wrong") {
		t.Fatal("password check wrong")
	}
	for _, bad := range []string{"", "$argon2id$", "$argon2id$v=19$m=1,t=1,p=1$!!$!!", "$bcrypt$x"} {
		if directory.CheckPassword(bad, "x") {
			t.Fatalf("malformed hash %q matched", bad)
		}
	}
	for p, ok := range map[string]bool{"short": false, "alllowercase": false, "Passw0rd": true, "pass word1": true} {
		if err := directory.CheckPasswordComplexity(p); (err == nil) != ok {
			t.Errorf("complexity(%q) = %v", p, err)
		}
	}
}

func TestCreateDevicesIsAllOrNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		dir := newDir(t, db)
		g, err := dir.CreateGroup(ctx, directory.Group{DisplayName: "Tagged", GroupTypes: []string{"DynamicMembership"},
			MembershipRule: `device.devicePhysicalIds -any _ -eq "[OrderId]:T"`})
		if err != nil {
			t.Fatal(err)
		}
		ds, err := dir.CreateDevices(ctx, []directory.Device{
			{DisplayName: "A", PhysicalIDs: []string{"[OrderId]:t"}},
			{DisplayName: "B", PhysicalIDs: []string{"[OrderId]:other"}},
			{DisplayName: "C", PhysicalIDs: []string{"[ORDERID]:T"}},
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := memberIDs(t, dir, g.ID); !slices.Equal(got, sorted(ds[0].ID, ds[2].ID)) {
			t.Fatalf("members = %v, want A and C", got)
		}
		// The second batch reuses a deviceId: nothing of it is written.
		_, err = dir.CreateDevices(ctx, []directory.Device{
			{DisplayName: "D", PhysicalIDs: []string{"[OrderId]:T"}},
			{DisplayName: "E", DeviceID: ds[0].DeviceID},
		})
		if !errors.Is(err, directory.ErrConflict) {
			t.Fatalf("duplicate deviceId in batch: %v", err)
		}
		all, _ := dir.Store().Devices(ctx)
		if len(all) != 3 {
			t.Fatalf("devices after failed batch = %d, want 3", len(all))
		}
		if got := memberIDs(t, dir, g.ID); len(got) != 2 {
			t.Fatalf("members after failed batch = %v", got)
		}
		if _, err := dir.CreateDevices(ctx, []directory.Device{{DisplayName: ""}}); err == nil {
			t.Fatal("device without a name accepted")
		}
	})
}

func TestMembershipHookSeesEveryChangeInTheSameTransaction(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		dir := newDir(t, db)
		var log []string
		fail := false
		dir.OnMembershipChange(func(ctx context.Context, tx directory.Tx, cs []directory.MembershipChange) error {
			for _, c := range cs {
				op := "-"
				if c.Added {
					op = "+"
				}
				log = append(log, op+c.MemberType)
			}
			if fail {
				return errors.New("hook refuses")
			}
			return nil
		})
		g, _ := dir.CreateGroup(ctx, directory.Group{DisplayName: "Z", GroupTypes: []string{"DynamicMembership"}, MembershipRule: `device.displayName -startsWith "z"`})
		d, _ := dir.CreateDevice(ctx, directory.Device{DisplayName: "z1"})
		if _, err := dir.UpdateDevice(ctx, d.ID, func(d *directory.Device) error { d.DisplayName = "a1"; return nil }); err != nil {
			t.Fatal(err)
		}
		if _, err := dir.UpdateDevice(ctx, d.ID, func(d *directory.Device) error { d.DisplayName = "z2"; return nil }); err != nil {
			t.Fatal(err)
		}
		if err := dir.DeleteDevice(ctx, d.ID); err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(log, ","); got != "+device,-device,+device,-device" {
			t.Fatalf("hook saw %q", got)
		}
		// A failing hook rolls the write back.
		fail = true
		if _, err := dir.CreateDevice(ctx, directory.Device{DisplayName: "z3"}); err == nil {
			t.Fatal("write succeeded although the hook failed")
		}
		if ms := memberIDs(t, dir, g.ID); len(ms) != 0 {
			t.Fatalf("members after rolled-back write: %v", ms)
		}
		ds, _ := dir.Store().Devices(ctx)
		if len(ds) != 0 {
			t.Fatalf("devices after rolled-back write: %d", len(ds))
		}
	})
}
