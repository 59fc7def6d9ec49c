package planner_test

import (
	"context"
	"strings"
	"testing"

	"github.com/whiteglove/whiteglove/internal/assign"
	"github.com/whiteglove/whiteglove/internal/autopilot"
	"github.com/whiteglove/whiteglove/internal/autopilot/aptest"
	"github.com/whiteglove/whiteglove/internal/directory"
	"github.com/whiteglove/whiteglove/internal/esp"
	"github.com/whiteglove/whiteglove/internal/planner"
	"github.com/whiteglove/whiteglove/internal/store"
	"github.com/whiteglove/whiteglove/internal/store/sqlstore"
	"github.com/whiteglove/whiteglove/internal/store/storetest"
	"github.com/whiteglove/whiteglove/internal/targeting"
)

// staticCatalog stands in for the app catalog (a separate package with its
// own tests); the planner's job is gathering the rest from the real stores.
type staticCatalog []targeting.Item

func (c staticCatalog) Catalog(context.Context) (*targeting.Catalog, error) {
	return targeting.NewCatalog(c), nil
}

func TestPlanGathersDeviceUserProfileAndESP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		st := sqlstore.New(db)
		dir := directory.New(st, nil)
		tenant, _, err := dir.EnsureTenant(ctx, directory.TenantSettings{DisplayName: "C", Domain: "contoso.example", Seats: 5})
		if err != nil {
			t.Fatal(err)
		}
		ap := autopilot.New(st, dir, nil)
		es := esp.New(st.ESP(), st, tenant.ID, nil)
		if _, err := es.EnsureDefault(ctx); err != nil {
			t.Fatal(err)
		}
		devices, _ := dir.CreateGroup(ctx, directory.Group{DisplayName: "Autopilot", GroupTypes: []string{"DynamicMembership"}, MembershipRule: `(device.devicePhysicalIds -any (_ -startsWith "[ZTDID]"))`})
		sales, _ := dir.CreateGroup(ctx, directory.Group{DisplayName: "Sales people"})
		ann, err := dir.CreateUser(ctx, directory.NewUser{User: directory.User{UPN: "ann@contoso.example", DisplayName: "Ann", AccountEnabled: true, Licensed: true}})
		if err != nil {
			t.Fatal(err)
		}
		if err := dir.AddMember(ctx, sales.ID, ann.ID); err != nil {
			t.Fatal(err)
		}
		prof, _ := ap.CreateProfile(ctx, autopilot.Profile{Kind: autopilot.KindAzureAD, DisplayName: "PP", PreprovisioningAllowed: true})
		if _, err := ap.AddAssignment(ctx, autopilot.ProfileAssignment{ProfileID: prof.ID, TargetKind: string(assign.Group), GroupID: devices.ID}); err != nil {
			t.Fatal(err)
		}
		p := esp.NewProfile()
		p.DisplayName, p.ShowInstallationProgress, p.InstallProgressTimeoutInMinutes = "Devices ESP", true, 90
		created, err := es.Create(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := es.Assign(ctx, created.ID, []esp.Assignment{{Target: assign.Target{Kind: assign.Group, GroupID: devices.ID}}}); err != nil {
			t.Fatal(err)
		}
		out, err := ap.ImportNow(ctx, "", []autopilot.Import{{SerialNumber: "PLAN-1", HardwareHash: aptest.Hash("PLAN-1"), AssignedUPN: "ann@contoso.example"}})
		if err != nil || out[0].Status != autopilot.ImportComplete {
			t.Fatalf("import: %v %+v", err, out)
		}
		cat := staticCatalog{
			{ID: "office", Name: "Office", Kind: targeting.KindApp, AppType: targeting.AppWin32, Context: targeting.ContextSystem, Tracked: true, Supported: true,
				Assignments: []targeting.Assignment{{Intent: "required", Target: assign.Target{Kind: assign.Group, GroupID: devices.ID}}}},
			{ID: "crm", Name: "CRM", Kind: targeting.KindApp, AppType: targeting.AppWin32, Context: targeting.ContextSystem, Tracked: true, Supported: true,
				Assignments: []targeting.Assignment{{Intent: "required", Target: assign.Target{Kind: assign.Group, GroupID: sales.ID}}}},
			{ID: "sales-policy", Name: "Sales policy", Kind: targeting.KindPolicy, Context: targeting.ContextUser, Supported: true,
				Assignments: []targeting.Assignment{{Intent: "required", Target: assign.Target{Kind: assign.Group, GroupID: sales.ID}}}},
		}
		pl := &planner.Planner{Devices: st, Directory: st, ESP: es, Catalog: cat}
		rep, err := pl.Plan(ctx, "plan-1", "")
		if err != nil {
			t.Fatal(err)
		}
		if rep.Device.ZTDID != out[0].RegistrationID || rep.Device.PlannedUser != "ann@contoso.example" || rep.Device.Profile == nil || !rep.Device.Profile.PreprovisioningAllowed {
			t.Fatalf("device = %+v", rep.Device)
		}
		if rep.ESPProfile == nil || rep.ESPProfile.ID != created.ID || rep.ESPProfile.TimeoutMinutes != 90 || !rep.ESPProfile.DeviceTargeted {
			t.Fatalf("esp = %+v", rep.ESPProfile)
		}
		tech, user := rep.Phases[0].Items, rep.Phases[1].Items
		if len(tech) != 2 || tech[0].ID != "office" || tech[1].ID != "crm" || !strings.Contains(tech[0].Reason, `"Autopilot"`) {
			t.Fatalf("technician = %+v", tech)
		}
		if len(user) != 1 || user[0].ID != "sales-policy" {
			t.Fatalf("user = %+v", user)
		}
		if len(rep.Warnings) != 0 {
			t.Fatalf("warnings = %+v", rep.Warnings)
		}
		// Without the user (an explicit plan for no one is not possible: plan
		// another device without an assigned user).
		out2, _ := ap.ImportNow(ctx, "", []autopilot.Import{{SerialNumber: "PLAN-2", HardwareHash: aptest.Hash("PLAN-2")}})
		rep2, err := pl.Plan(ctx, out2[0].RegistrationID, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(rep2.Phases[0].Items) != 1 || len(rep2.Warnings) != 1 || rep2.Warnings[0].Code != "no-assigned-user" {
			t.Fatalf("no user: %+v %+v", rep2.Phases[0].Items, rep2.Warnings)
		}
		if _, err := pl.Plan(ctx, "NOPE", ""); err == nil {
			t.Fatal("unknown device planned")
		}
	})
}
