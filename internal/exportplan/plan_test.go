package exportplan

import (
	"context"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/whiteglove/whiteglove/internal/planner"
)

const (
	appAgent    = "a0000000-9999-4aaa-8bbb-000000000001" // Win32, system, device group, blocking
	appNotes    = "a0000000-9999-4aaa-8bbb-000000000002" // Win32, user context, device group
	appCRM      = "a0000000-9999-4aaa-8bbb-000000000003" // Win32, system, user group
	appIntranet = "a0000000-9999-4aaa-8bbb-000000000004" // webApp: unsupported
	polWiFi     = "c0000000-aaaa-4bbb-8ccc-000000000001"
	polMSA      = "c0000000-aaaa-4bbb-8ccc-000000000002" // disables the sign-in assistant
	polBaseline = "c0000000-aaaa-4bbb-8ccc-000000000003" // windows10GeneralConfiguration: unsupported
	scriptTZ    = "e0000000-bbbb-4ccc-8ddd-000000000001"
	profileID   = "8d4c2e10-7777-4b3a-9d5e-000000000001"
	salesESP    = "1e2d3c4b-8888-4a5b-8c7d-000000000001_Windows10EnrollmentCompletionPageConfiguration"
)

func ids(r planner.Report, phase int) []string {
	var out []string
	for _, it := range r.Phases[phase].Items {
		out = append(out, it.ID)
	}
	slices.Sort(out)
	return out
}

func codes(r planner.Report) []string {
	var out []string
	for _, w := range r.Warnings {
		out = append(out, w.Code)
	}
	slices.Sort(out)
	return out
}

func sorted(s ...string) []string { slices.Sort(s); return s }

func TestPlanFixtureExport(t *testing.T) {
	ctx := context.Background()
	tn, err := Load(ctx, "testdata/export")
	if err != nil {
		t.Fatal(err)
	}
	defer tn.Close()
	if os.Getenv("EXPORTPLAN_DUMP") != "" {
		for _, n := range tn.Notes {
			t.Log("note:", n)
		}
	}
	rep, err := tn.Plan(ctx, "SN-0001", "")
	if err != nil {
		t.Fatal(err)
	}
	if os.Getenv("EXPORTPLAN_DUMP") != "" {
		b, _ := json.MarshalIndent(rep, "", "  ")
		t.Log(string(b))
		var sb strings.Builder
		planner.Render(&sb, rep)
		t.Log(sb.String())
	}
	if rep.Device.ZTDID != "3f2a7b90-6666-4c1d-8e2f-0000000000f1" || rep.Device.PlannedUser != "ann@contoso.example" {
		t.Fatalf("device = %+v", rep.Device)
	}
	if p := rep.Device.Profile; p == nil || p.ID != profileID || !p.PreprovisioningAllowed || p.JoinType != "entra" {
		t.Fatalf("profile = %+v", rep.Device.Profile)
	}
	if e := rep.ESPProfile; e == nil || e.ID != salesESP || !e.DeviceTargeted || e.TimeoutMinutes != 90 || !slices.Equal(e.BlockingAppIDs, []string{appAgent}) {
		t.Fatalf("esp = %+v", rep.ESPProfile)
	}
	if got, want := ids(rep, 0), sorted(appAgent, appCRM, polWiFi, polMSA, scriptTZ); !slices.Equal(got, want) {
		t.Fatalf("technician = %v, want %v", got, want)
	}
	if got, want := ids(rep, 1), []string{appNotes}; !slices.Equal(got, want) {
		t.Fatalf("user = %v, want %v", got, want)
	}
	if got, want := sorted(rep.Blocking...), sorted(appAgent, polWiFi, scriptTZ); !slices.Equal(got, want) {
		t.Fatalf("blocking = %v, want %v", got, want)
	}
	var unsupported []string
	for _, u := range rep.Unsupported {
		unsupported = append(unsupported, u.ID)
	}
	if got, want := sorted(unsupported...), sorted(appIntranet, polBaseline); !slices.Equal(got, want) {
		t.Fatalf("unsupported = %v, want %v", got, want)
	}
	if got, want := codes(rep), sorted("signin-assistant-disabled", "user-context-app"); !slices.Equal(got, want) {
		t.Fatalf("warnings = %v, want %v (%+v)", got, want, rep.Warnings)
	}

	// The second device has no assigned user: the user group's system app
	// is not pre-provisioned, and the planner says so.
	rep2, err := tn.Plan(ctx, "SN-0002", "")
	if err != nil {
		t.Fatal(err)
	}
	if rep2.Device.PlannedUser != "" || rep2.Device.Profile == nil || rep2.Device.Profile.ID != profileID {
		t.Fatalf("device 2 = %+v", rep2.Device)
	}
	if got, want := ids(rep2, 0), sorted(appAgent, polWiFi, polMSA, scriptTZ); !slices.Equal(got, want) {
		t.Fatalf("technician 2 = %v, want %v", got, want)
	}
	if got, want := codes(rep2), sorted("no-assigned-user", "signin-assistant-disabled", "user-context-app"); !slices.Equal(got, want) {
		t.Fatalf("warnings 2 = %v, want %v", got, want)
	}

	// --user overrides the assigned user: Bob is in no user group.
	rep3, err := tn.Plan(ctx, "SN-0001", "bob@contoso.example")
	if err != nil {
		t.Fatal(err)
	}
	if rep3.Device.PlannedUser != "bob@contoso.example" || slices.Contains(ids(rep3, 0), appCRM) {
		t.Fatalf("bob: %+v %v", rep3.Device, ids(rep3, 0))
	}
	if _, err := tn.Plan(ctx, "NOPE", ""); err == nil {
		t.Fatal("an unknown device was planned")
	}
}

func TestNotesSayWhatWasLeftOut(t *testing.T) {
	tn, err := Load(context.Background(), "testdata/export")
	if err != nil {
		t.Fatal(err)
	}
	defer tn.Close()
	all := strings.Join(tn.Notes, "\n")
	for _, want := range []string{`group "Sales users": 1 member(s)`, `"availableWithoutEnrollment" assignment ignored`} {
		if !strings.Contains(all, want) {
			t.Errorf("notes lack %q:\n%s", want, all)
		}
	}
	if strings.Contains(all, "refused") {
		t.Errorf("an item of the fixture was refused:\n%s", all)
	}
}

func TestFallbacks(t *testing.T) {
	ctx := context.Background()
	e := &Export{
		Devices: []Object{{"id": "d1", "deviceId": "7c5e1f00-5555-4a6b-9c7d-000000000001", "displayName": "SN-9", "physicalIds": []any{"[OrderId]:X"}}},
		Groups: []Object{
			{"id": "g1", "displayName": "Unparsable", "groupTypes": []any{"DynamicMembership"}, "membershipRule": "(device.nope -zz \"x\")",
				"members": []any{map[string]any{"@odata.type": "#microsoft.graph.device", "id": "d1"}}},
			{"id": "g2", "displayName": "Parent", "groupTypes": []any{}, "members": []any{map[string]any{"@odata.type": "#microsoft.graph.group", "id": "g1"}}},
		},
		Identities: []Object{{"id": "z9", "serialNumber": "SN-9", "groupTag": "X"}},
		Apps: []Object{
			{"@odata.type": "#microsoft.graph.windowsMobileMSI", "id": "a1", "displayName": "Bad MSI", "productCode": "not-a-guid",
				"assignments": []any{map[string]any{"intent": "required", "target": map[string]any{"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": "g2"}}}},
		},
		Policies: []Object{{"@odata.type": "#microsoft.graph.windows10CustomConfiguration", "id": "p1", "displayName": "P",
			"assignments": []any{map[string]any{"target": map[string]any{"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": "missing"}}}}},
	}
	tn, err := LoadExport(ctx, e)
	if err != nil {
		t.Fatal(err)
	}
	defer tn.Close()
	all := strings.Join(tn.Notes, "\n")
	for _, want := range []string{`dynamic group "Unparsable"`, `identity "SN-9" has no Entra device`, `app "Bad MSI" was refused`, "group missing ignored"} {
		if !strings.Contains(all, want) {
			t.Errorf("notes lack %q:\n%s", want, all)
		}
	}
	rep, err := tn.Plan(ctx, "SN-9", "")
	if err != nil {
		t.Fatal(err)
	}
	// The identity's created Entra device has no exported membership, so
	// only devices in the exported members get the app; d1 is not the
	// identity's device: nothing is planned, and nothing panics.
	if len(rep.Phases) != 2 {
		t.Fatalf("phases = %+v", rep.Phases)
	}
	// Planning through the kept-static group works for the exported device.
	e.Identities[0]["azureActiveDirectoryDeviceId"] = "7c5e1f00-5555-4a6b-9c7d-000000000001"
	tn2, err := LoadExport(ctx, e)
	if err != nil {
		t.Fatal(err)
	}
	defer tn2.Close()
	rep, err = tn2.Plan(ctx, "SN-9", "")
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(rep, 1); !slices.Equal(got, []string{"a1"}) { // MSI in user context: user phase
		t.Fatalf("user phase = %v (tech %v) %+v", got, ids(rep, 0), rep.Warnings)
	}
}
