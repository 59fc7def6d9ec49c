package msgraphsdk

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	abstractions "github.com/microsoft/kiota-abstractions-go"
	"github.com/microsoft/kiota-abstractions-go/authentication"
	"github.com/microsoft/kiota-abstractions-go/serialization"
	"github.com/microsoft/kiota-abstractions-go/store"
	khttp "github.com/microsoft/kiota-http-go"
	formser "github.com/microsoft/kiota-serialization-form-go"
	jsonser "github.com/microsoft/kiota-serialization-json-go"
	multipartser "github.com/microsoft/kiota-serialization-multipart-go"
	textser "github.com/microsoft/kiota-serialization-text-go"
	betadm "github.com/microsoftgraph/msgraph-beta-sdk-go/devicemanagement"
	betamodels "github.com/microsoftgraph/msgraph-beta-sdk-go/models"
	betaodataerrors "github.com/microsoftgraph/msgraph-beta-sdk-go/models/odataerrors"
	core "github.com/microsoftgraph/msgraph-sdk-go-core"
	"github.com/microsoftgraph/msgraph-sdk-go/devices"
	"github.com/microsoftgraph/msgraph-sdk-go/groups"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"
	"github.com/microsoftgraph/msgraph-sdk-go/organization"
	"github.com/microsoftgraph/msgraph-sdk-go/subscribedskus"
	"github.com/microsoftgraph/msgraph-sdk-go/users"
)

// The SDK versions under test, as the SDKs' own GraphRequestAdapter sets
// them (msgraph-sdk-go/graph_request_adapter.go, msgraph-beta-sdk-go/…).
// Keep them equal to go.mod.
var (
	v1Options   = core.GraphClientOptions{GraphServiceVersion: "", GraphServiceLibraryVersion: "1.89.0"}
	betaOptions = core.GraphClientOptions{GraphServiceVersion: "beta", GraphServiceLibraryVersion: "0.165.0"}
)

const (
	clientID     = "5d6c2a70-4b1e-4c83-9a57-2f0e8b1d3c94"
	clientSecret = "sdk-compat-secret-0123456789-abcdefghijklmnopqrstuvwxyz"
	tenantDomain = "contoso.example" // whiteglove's default --tenant-domain
	tenantName   = "Contoso"         // whiteglove's default --tenant-name
	seats        = 25                // whiteglove's default --seats

	// testdata/hp-elitebook-840-g8.b64 is internal/autopilot/hwhash/testdata/samples/sample07.b64.
	hashFile     = "testdata/hp-elitebook-840-g8.b64"
	hashSerial   = "5CG1457YL8"
	importTag    = "Sales" // the demo device DEMO-LAPTOP-01 carries [OrderId]:Sales too
	dynamicRule  = `(device.devicePhysicalIds -any (_ -eq "[OrderID]:Sales"))`
	demoDevice   = "DEMO-LAPTOP-01"
	assignedUser = "alice@" + tenantDomain
)

// TestOfficialSDKs runs whiteglove and drives it through Microsoft's Go SDKs
// (v1.0 and beta): every checked call goes through the SDK, and its
// deserialized models are asserted on. When a call fails, or a value is
// missing after deserialization, the failure shows the HTTP exchanges the
// call made, as the server sent them.
func TestOfficialSDKs(t *testing.T) {
	bin := buildWhiteglove(t) // not counted in the time limit below
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	srv := startWhiteglove(ctx, t, bin)
	token := fetchToken(ctx, t, srv)
	rec := &recorder{base: khttp.GetDefaultTransport()}
	v1 := newAdapter(t, token, srv+"/v1.0", v1Options, rec)
	beta := newAdapter(t, token, srv+"/beta", betaOptions, rec)
	s := &state{}
	t.Cleanup(func() {
		if testing.Verbose() {
			for _, x := range rec.since(0) {
				t.Logf("%s %s -> %d %s (%d bytes)", x.method, x.url, x.status, x.resType, len(x.resBody))
			}
		}
		// WHITEGLOVE_SDK_WIRE=file writes every exchange in full, for reading.
		if path := os.Getenv("WHITEGLOVE_SDK_WIRE"); path != "" {
			c := &call{rec: rec}
			if err := os.WriteFile(path, []byte(c.wire()+"\n"), 0o644); err != nil {
				t.Error(err)
			}
		}
	})

	t.Run("v1.0", func(t *testing.T) { testV1(ctx, t, rec, v1, s) })
	t.Run("beta", func(t *testing.T) { testBeta(ctx, t, rec, beta, s) })
}

// state carries what one step creates to the steps after it.
type state struct {
	groupID     string // the dynamic group created through v1.0
	demoDevID   string // deviceId (Entra) of DEMO-LAPTOP-01, a member of that group
	importID    string
	ztdID       string // the registered Autopilot device
	profileID   string
	assignments int
}

func pathParams(a abstractions.RequestAdapter) map[string]string {
	return map[string]string{"baseurl": a.GetBaseUrl()}
}

func testV1(ctx context.Context, t *testing.T, rec *recorder, a abstractions.RequestAdapter, s *state) {
	p := pathParams(a)

	t.Run("Organization.Get", func(t *testing.T) {
		c := rec.call(t, "GET /v1.0/organization")
		res, err := organization.NewOrganizationRequestBuilderInternal(p, a).Get(ctx, nil)
		if c.failed(err) || !c.expect(res != nil && len(res.GetValue()) == 1, "want one organization, got %v", res) {
			return
		}
		org := res.GetValue()[0]
		c.known("organization", org)
		c.expect(deref(org.GetId()) != "", "organization id is empty")
		c.expect(deref(org.GetDisplayName()) == tenantName, "displayName = %q, want %q", deref(org.GetDisplayName()), tenantName)
		var found bool
		for _, d := range org.GetVerifiedDomains() {
			c.known("verifiedDomain", d)
			if deref(d.GetName()) == tenantDomain {
				found = true
				c.expect(deref(d.GetIsDefault()) && deref(d.GetIsInitial()), "verified domain %s: isDefault/isInitial not true", tenantDomain)
			}
		}
		c.expect(found, "verifiedDomains %v lacks %s", names(org.GetVerifiedDomains(), func(d models.VerifiedDomainable) *string { return d.GetName() }), tenantDomain)
	})

	t.Run("Users.Get/filter+PageIterator", func(t *testing.T) {
		c := rec.call(t, "GET /v1.0/users?$filter=accountEnabled eq true&$top=2, then @odata.nextLink")
		res, err := users.NewUsersRequestBuilderInternal(p, a).Get(ctx, &users.UsersRequestBuilderGetRequestConfiguration{
			QueryParameters: &users.UsersRequestBuilderGetQueryParameters{Filter: ptr("accountEnabled eq true"), Top: ptr(int32(2))},
		})
		if c.failed(err) || !c.expect(res != nil, "nil collection") {
			return
		}
		c.expect(len(res.GetValue()) == 2, "first page has %d users, want 2 ($top=2)", len(res.GetValue()))
		next := deref(res.GetOdataNextLink())
		if !c.expect(strings.HasPrefix(next, a.GetBaseUrl()+"/users"), "@odata.nextLink = %q, want an absolute link under %s", next, a.GetBaseUrl()) {
			return
		}
		it, err := core.NewPageIterator[models.Userable](res, a, models.CreateUserCollectionResponseFromDiscriminatorValue)
		if c.failed(err) {
			return
		}
		var upns []string
		err = it.Iterate(ctx, func(u models.Userable) bool {
			upns = append(upns, deref(u.GetUserPrincipalName()))
			c.known("user", u)
			c.expect(deref(u.GetAccountEnabled()), "user %s: accountEnabled is not true", deref(u.GetUserPrincipalName()))
			return true
		})
		if c.failed(err) {
			return
		}
		pages := c.count(func(x exchange) bool { return x.method == "GET" && strings.Contains(x.url, "/v1.0/users") })
		c.expect(pages >= 3, "iterated %d pages, want ≥3 (5 demo users, 2 per page)", pages)
		for _, who := range []string{"admin", "tech", "alice", "bob", "carol"} {
			c.expect(slices.Contains(upns, who+"@"+tenantDomain), "iteration missed %s@%s (got %v)", who, tenantDomain, upns)
		}
		sorted := slices.Clone(upns)
		slices.Sort(sorted)
		c.expect(len(slices.Compact(sorted)) == len(upns), "a user came twice across pages: %v", upns)
	})

	t.Run("Users.ByUserId(upn).Get", func(t *testing.T) {
		c := rec.call(t, "GET /v1.0/users/"+assignedUser)
		u, err := users.NewUsersRequestBuilderInternal(p, a).ByUserId(assignedUser).Get(ctx, nil)
		if c.failed(err) || !c.expect(u != nil, "nil user") {
			return
		}
		c.known("user", u)
		for _, l := range u.GetAssignedLicenses() {
			c.known("assignedLicense", l)
		}
		c.expect(deref(u.GetUserPrincipalName()) == assignedUser, "userPrincipalName = %q", deref(u.GetUserPrincipalName()))
		c.expect(deref(u.GetDisplayName()) == "Alice Anders", "displayName = %q", deref(u.GetDisplayName()))
		c.expect(deref(u.GetDepartment()) == "Sales", "department = %q", deref(u.GetDepartment()))
		c.expect(deref(u.GetId()) != "", "id is empty")
	})

	t.Run("Groups.Post/dynamic", func(t *testing.T) {
		g := models.NewGroup()
		g.SetDisplayName(ptr("SDK compat - Sales devices"))
		g.SetDescription(ptr("Created by msgraph-sdk-go"))
		g.SetMailEnabled(ptr(false))
		g.SetMailNickname(ptr("sdkcompatsales"))
		g.SetSecurityEnabled(ptr(true))
		g.SetGroupTypes([]string{"DynamicMembership"})
		g.SetMembershipRule(ptr(dynamicRule))
		g.SetMembershipRuleProcessingState(ptr("On"))
		c := rec.call(t, "POST /v1.0/groups")
		res, err := groups.NewGroupsRequestBuilderInternal(p, a).Post(ctx, g, nil)
		if c.failed(err) || !c.expect(res != nil, "nil group") {
			return
		}
		s.groupID = deref(res.GetId())
		c.known("group", res)
		c.gzipOnce()
		c.expect(s.groupID != "", "id is empty")
		c.expect(slices.Contains(res.GetGroupTypes(), "DynamicMembership"), "groupTypes = %v", res.GetGroupTypes())
		c.expect(deref(res.GetMembershipRule()) == dynamicRule, "membershipRule = %q", deref(res.GetMembershipRule()))
		c.expect(deref(res.GetMembershipRuleProcessingState()) == "On", "membershipRuleProcessingState = %q", deref(res.GetMembershipRuleProcessingState()))
		c.expect(deref(res.GetSecurityEnabled()) && !deref(res.GetMailEnabled()), "securityEnabled/mailEnabled = %v/%v", deref(res.GetSecurityEnabled()), deref(res.GetMailEnabled()))
		c.expect(res.GetCreatedDateTime() != nil, "createdDateTime is nil")
	})

	t.Run("Groups.ByGroupId.Members.Get", func(t *testing.T) {
		if s.groupID == "" {
			t.Skip("no group (Groups.Post failed)")
		}
		c := rec.call(t, "GET /v1.0/groups/{id}/members")
		res, err := groups.NewGroupsRequestBuilderInternal(p, a).ByGroupId(s.groupID).Members().Get(ctx, nil)
		if c.failed(err) || !c.expect(res != nil, "nil collection") {
			return
		}
		for _, m := range res.GetValue() {
			d, ok := m.(*models.Device)
			if !c.expect(ok, "member %s deserialized as %T, want *models.Device (@odata.type %q)", deref(m.GetId()), m, deref(m.GetOdataType())) {
				continue
			}
			c.known("member device", d)
			if deref(d.GetDisplayName()) == demoDevice {
				s.demoDevID = deref(d.GetDeviceId())
			}
		}
		c.expect(s.demoDevID != "", "members lack %s with a deviceId (got %d members)", demoDevice, len(res.GetValue()))
	})

	t.Run("Devices.Get/filter deviceId", func(t *testing.T) {
		if s.demoDevID == "" {
			t.Skip("no deviceId (Members.Get failed)")
		}
		c := rec.call(t, "GET /v1.0/devices?$filter=deviceId eq '…'")
		res, err := devices.NewDevicesRequestBuilderInternal(p, a).Get(ctx, &devices.DevicesRequestBuilderGetRequestConfiguration{
			QueryParameters: &devices.DevicesRequestBuilderGetQueryParameters{Filter: ptr("deviceId eq '" + s.demoDevID + "'")},
		})
		if c.failed(err) || !c.expect(res != nil && len(res.GetValue()) == 1, "want exactly one device, got %v", res) {
			return
		}
		d := res.GetValue()[0]
		c.known("device", d)
		c.expect(deref(d.GetDeviceId()) == s.demoDevID, "deviceId = %q", deref(d.GetDeviceId()))
		c.expect(deref(d.GetDisplayName()) == demoDevice, "displayName = %q", deref(d.GetDisplayName()))
		c.expect(slices.ContainsFunc(d.GetPhysicalIds(), func(id string) bool { return strings.EqualFold(id, "[OrderId]:Sales") }),
			"physicalIds %v lack [OrderId]:Sales", d.GetPhysicalIds())
		c.expect(deref(d.GetAccountEnabled()), "accountEnabled is not true")
	})

	t.Run("SubscribedSkus.Get", func(t *testing.T) {
		c := rec.call(t, "GET /v1.0/subscribedSkus")
		res, err := subscribedskus.NewSubscribedSkusRequestBuilderInternal(p, a).Get(ctx, nil)
		if c.failed(err) || !c.expect(res != nil && len(res.GetValue()) == 1, "want one SKU, got %v", res) {
			return
		}
		sku := res.GetValue()[0]
		c.known("subscribedSku", sku, sku.GetPrepaidUnits())
		c.expect(deref(sku.GetSkuPartNumber()) != "", "skuPartNumber is empty")
		c.expect(sku.GetSkuId() != nil, "skuId is nil")
		c.expect(deref(sku.GetCapabilityStatus()) == "Enabled", "capabilityStatus = %q", deref(sku.GetCapabilityStatus()))
		if c.expect(sku.GetPrepaidUnits() != nil, "prepaidUnits is nil") {
			c.expect(deref(sku.GetPrepaidUnits().GetEnabled()) == seats, "prepaidUnits.enabled = %d, want %d", deref(sku.GetPrepaidUnits().GetEnabled()), seats)
		}
		// admin, tech, alice and bob are licensed; carol is not.
		c.expect(deref(sku.GetConsumedUnits()) == 4, "consumedUnits = %d, want 4", deref(sku.GetConsumedUnits()))
	})
}

func testBeta(ctx context.Context, t *testing.T, rec *recorder, a abstractions.RequestAdapter, s *state) {
	dm := betadm.NewDeviceManagementRequestBuilderInternal(pathParams(a), a)

	t.Run("ImportedWindowsAutopilotDeviceIdentities.Post", func(t *testing.T) {
		raw, err := os.ReadFile(hashFile)
		if err != nil {
			t.Fatal(err)
		}
		hash, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(raw)))
		if err != nil {
			t.Fatal(err)
		}
		im := betamodels.NewImportedWindowsAutopilotDeviceIdentity()
		im.SetSerialNumber(ptr(hashSerial))
		im.SetGroupTag(ptr(importTag))
		im.SetHardwareIdentifier(hash)
		c := rec.call(t, "POST /beta/deviceManagement/importedWindowsAutopilotDeviceIdentities")
		res, err := dm.ImportedWindowsAutopilotDeviceIdentities().Post(ctx, im, nil)
		if c.failed(err) || !c.expect(res != nil, "nil import") {
			return
		}
		s.importID = deref(res.GetId())
		c.gzipOnce()
		c.known("importedWindowsAutopilotDeviceIdentity", res, res.GetState())
		c.expect(s.importID != "", "id is empty")
		c.expect(deref(res.GetSerialNumber()) == hashSerial, "serialNumber = %q", deref(res.GetSerialNumber()))
		c.expect(deref(res.GetGroupTag()) == importTag, "groupTag = %q", deref(res.GetGroupTag()))
		c.expect(res.GetState() != nil && res.GetState().GetDeviceImportStatus() != nil, "state.deviceImportStatus is nil")
	})

	t.Run("ImportedWindowsAutopilotDeviceIdentities.ById.Get/poll", func(t *testing.T) {
		if s.importID == "" {
			t.Skip("no import (Post failed)")
		}
		item := dm.ImportedWindowsAutopilotDeviceIdentities().ByImportedWindowsAutopilotDeviceIdentityId(s.importID)
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		deadline := time.After(30 * time.Second)
		for {
			c := rec.call(t, "GET /beta/deviceManagement/importedWindowsAutopilotDeviceIdentities/{id}")
			res, err := item.Get(ctx, nil)
			if c.failed(err) || !c.expect(res != nil && res.GetState() != nil && res.GetState().GetDeviceImportStatus() != nil,
				"import or its state.deviceImportStatus deserialized as nil") {
				return
			}
			st := res.GetState()
			c.known("importedWindowsAutopilotDeviceIdentity", res, st)
			if status := *st.GetDeviceImportStatus(); status != betamodels.UNKNOWN_IMPORTEDWINDOWSAUTOPILOTDEVICEIDENTITYIMPORTSTATUS {
				c.expect(status == betamodels.COMPLETE_IMPORTEDWINDOWSAUTOPILOTDEVICEIDENTITYIMPORTSTATUS,
					"deviceImportStatus = %s (error %d %s), want complete", status, deref(st.GetDeviceErrorCode()), deref(st.GetDeviceErrorName()))
				s.ztdID = deref(st.GetDeviceRegistrationId())
				c.expect(s.ztdID != "", "deviceRegistrationId is empty")
				c.expect(deref(st.GetDeviceErrorCode()) == 0, "deviceErrorCode = %d", deref(st.GetDeviceErrorCode()))
				return
			}
			select {
			case <-tick.C:
			case <-deadline:
				t.Fatalf("import %s still unknown after 30 s", s.importID)
			case <-ctx.Done():
				t.Fatal(ctx.Err())
			}
		}
	})

	t.Run("WindowsAutopilotDeviceIdentities.Get/contains(serialNumber)", func(t *testing.T) {
		if s.ztdID == "" {
			t.Skip("no registered device (import failed)")
		}
		c := rec.call(t, "GET /beta/deviceManagement/windowsAutopilotDeviceIdentities?$filter=contains(serialNumber,'…')")
		res, err := dm.WindowsAutopilotDeviceIdentities().Get(ctx, &betadm.WindowsAutopilotDeviceIdentitiesRequestBuilderGetRequestConfiguration{
			QueryParameters: &betadm.WindowsAutopilotDeviceIdentitiesRequestBuilderGetQueryParameters{Filter: ptr("contains(serialNumber,'" + hashSerial[:7] + "')")},
		})
		if c.failed(err) || !c.expect(res != nil && len(res.GetValue()) == 1, "want exactly one device, got %v", res) {
			return
		}
		d := res.GetValue()[0]
		c.known("windowsAutopilotDeviceIdentity", d)
		c.expect(deref(d.GetId()) == s.ztdID, "id = %q, want the import's deviceRegistrationId %q", deref(d.GetId()), s.ztdID)
		c.expect(deref(d.GetSerialNumber()) == hashSerial, "serialNumber = %q", deref(d.GetSerialNumber()))
		c.expect(deref(d.GetGroupTag()) == importTag, "groupTag = %q", deref(d.GetGroupTag()))
		c.expect(deref(d.GetManufacturer()) != "" && deref(d.GetModel()) != "", "manufacturer/model = %q/%q", deref(d.GetManufacturer()), deref(d.GetModel()))
		c.expect(d.GetEnrollmentState() != nil, "enrollmentState is nil (not one of the enum's names?)")
		c.expect(d.GetDeploymentProfileAssignmentStatus() != nil, "deploymentProfileAssignmentStatus is nil")
		c.expect(d.GetLastContactedDateTime() != nil, "lastContactedDateTime is nil")
		c.expect(deref(d.GetAzureActiveDirectoryDeviceId()) != "", "azureActiveDirectoryDeviceId is empty")
	})

	t.Run("WindowsAutopilotDeploymentProfiles.Post/azureAD", func(t *testing.T) {
		p := betamodels.NewAzureADWindowsAutopilotDeploymentProfile()
		p.SetDisplayName(ptr("SDK compat - pre-provisioned"))
		p.SetDescription(ptr("Created by msgraph-beta-sdk-go"))
		p.SetLocale(ptr("en-US"))
		p.SetDeviceNameTemplate(ptr("SDK-%RAND:5%"))
		p.SetDeviceType(ptr(betamodels.WINDOWSPC_WINDOWSAUTOPILOTDEVICETYPE))
		p.SetPreprovisioningAllowed(ptr(true))
		p.SetHardwareHashExtractionEnabled(ptr(false))
		oobe := betamodels.NewOutOfBoxExperienceSetting()
		oobe.SetDeviceUsageType(ptr(betamodels.SINGLEUSER_WINDOWSDEVICEUSAGETYPE))
		oobe.SetUserType(ptr(betamodels.STANDARD_WINDOWSUSERTYPE))
		oobe.SetPrivacySettingsHidden(ptr(true))
		oobe.SetEulaHidden(ptr(true))
		oobe.SetKeyboardSelectionPageSkipped(ptr(false))
		oobe.SetEscapeLinkHidden(ptr(true))
		p.SetOutOfBoxExperienceSetting(oobe)
		c := rec.call(t, "POST /beta/deviceManagement/windowsAutopilotDeploymentProfiles")
		res, err := dm.WindowsAutopilotDeploymentProfiles().Post(ctx, p, nil)
		if c.failed(err) || !c.expect(res != nil, "nil profile") {
			return
		}
		s.profileID = deref(res.GetId())
		c.expect(s.profileID != "", "id is empty")
		checkProfile(c, res, "SDK compat - pre-provisioned")
	})

	t.Run("WindowsAutopilotDeploymentProfiles.Assignments.Post/group", func(t *testing.T) {
		if s.profileID == "" || s.groupID == "" {
			t.Skip("no profile or no group")
		}
		target := betamodels.NewGroupAssignmentTarget()
		target.SetGroupId(ptr(s.groupID))
		as := betamodels.NewWindowsAutopilotDeploymentProfileAssignment()
		as.SetTarget(target)
		c := rec.call(t, "POST /beta/deviceManagement/windowsAutopilotDeploymentProfiles/{id}/assignments")
		res, err := dm.WindowsAutopilotDeploymentProfiles().ByWindowsAutopilotDeploymentProfileId(s.profileID).Assignments().Post(ctx, as, nil)
		if c.failed(err) || !c.expect(res != nil, "nil assignment") {
			return
		}
		c.expect(deref(res.GetId()) != "", "id is empty")
		c.known("windowsAutopilotDeploymentProfileAssignment", res, res.GetTarget())
		g, ok := res.GetTarget().(*betamodels.GroupAssignmentTarget)
		if c.expect(ok, "target deserialized as %T, want *models.GroupAssignmentTarget", res.GetTarget()) {
			c.expect(deref(g.GetGroupId()) == s.groupID, "target.groupId = %q, want %q", deref(g.GetGroupId()), s.groupID)
			c.expect(g.GetDeviceAndAppManagementAssignmentFilterType() != nil, "target.deviceAndAppManagementAssignmentFilterType is nil")
		}
		s.assignments++
	})

	t.Run("WindowsAutopilotDeploymentProfiles.ById.Get", func(t *testing.T) {
		if s.profileID == "" {
			t.Skip("no profile")
		}
		c := rec.call(t, "GET /beta/deviceManagement/windowsAutopilotDeploymentProfiles/{id}")
		res, err := dm.WindowsAutopilotDeploymentProfiles().ByWindowsAutopilotDeploymentProfileId(s.profileID).Get(ctx, nil)
		if c.failed(err) || !c.expect(res != nil, "nil profile") {
			return
		}
		c.expect(deref(res.GetId()) == s.profileID, "id = %q", deref(res.GetId()))
		checkProfile(c, res, "SDK compat - pre-provisioned")
	})

	t.Run("WindowsAutopilotDeviceIdentities.ById.Get/$expand", func(t *testing.T) {
		if s.ztdID == "" {
			t.Skip("no registered device")
		}
		c := rec.call(t, "GET /beta/deviceManagement/windowsAutopilotDeviceIdentities/{id}?$expand=deploymentProfile,intendedDeploymentProfile")
		d, err := dm.WindowsAutopilotDeviceIdentities().ByWindowsAutopilotDeviceIdentityId(s.ztdID).Get(ctx,
			&betadm.WindowsAutopilotDeviceIdentitiesWindowsAutopilotDeviceIdentityItemRequestBuilderGetRequestConfiguration{
				QueryParameters: &betadm.WindowsAutopilotDeviceIdentitiesWindowsAutopilotDeviceIdentityItemRequestBuilderGetQueryParameters{
					Expand: []string{"deploymentProfile", "intendedDeploymentProfile"},
				},
			})
		if c.failed(err) || !c.expect(d != nil, "nil device") {
			return
		}
		c.expect(deref(d.GetId()) == s.ztdID, "id = %q", deref(d.GetId()))
		c.known("windowsAutopilotDeviceIdentity", d)
		if s.assignments == 0 {
			return
		}
		st := d.GetDeploymentProfileAssignmentStatus()
		c.expect(st != nil && *st == betamodels.ASSIGNEDINSYNC_WINDOWSAUTOPILOTPROFILEASSIGNMENTSTATUS,
			"deploymentProfileAssignmentStatus = %v, want assignedInSync (the device is in the assigned dynamic group)", st)
		for name, p := range map[string]betamodels.WindowsAutopilotDeploymentProfileable{
			"deploymentProfile": d.GetDeploymentProfile(), "intendedDeploymentProfile": d.GetIntendedDeploymentProfile(),
		} {
			if !c.expect(p != nil, "%s is nil", name) {
				continue
			}
			c.known(name, p, p.GetOutOfBoxExperienceSetting(), p.GetOutOfBoxExperienceSettings())
			_, ok := p.(*betamodels.AzureADWindowsAutopilotDeploymentProfile)
			c.expect(ok, "%s deserialized as %T, want *models.AzureADWindowsAutopilotDeploymentProfile", name, p)
			c.expect(deref(p.GetId()) == s.profileID, "%s.id = %q, want %q", name, deref(p.GetId()), s.profileID)
		}
	})

	t.Run("WindowsAutopilotDeviceIdentities.UpdateDeviceProperties.Post", func(t *testing.T) {
		if s.ztdID == "" {
			t.Skip("no registered device")
		}
		item := dm.WindowsAutopilotDeviceIdentities().ByWindowsAutopilotDeviceIdentityId(s.ztdID)
		body := betadm.NewWindowsAutopilotDeviceIdentitiesItemUpdateDevicePropertiesPostRequestBody()
		body.SetDisplayName(ptr("SDK-PC-01"))
		body.SetGroupTag(ptr(importTag))
		c := rec.call(t, "POST /beta/deviceManagement/windowsAutopilotDeviceIdentities/{id}/updateDeviceProperties")
		if c.failed(item.UpdateDeviceProperties().Post(ctx, body, nil)) {
			return
		}
		c = rec.call(t, "GET /beta/deviceManagement/windowsAutopilotDeviceIdentities/{id} (after updateDeviceProperties)")
		d, err := item.Get(ctx, nil)
		if c.failed(err) || !c.expect(d != nil, "nil device") {
			return
		}
		c.expect(deref(d.GetDisplayName()) == "SDK-PC-01", "displayName = %q, want SDK-PC-01", deref(d.GetDisplayName()))
	})

	t.Run("WindowsAutopilotDeviceIdentities.AssignUserToDevice.Post", func(t *testing.T) {
		if s.ztdID == "" {
			t.Skip("no registered device")
		}
		item := dm.WindowsAutopilotDeviceIdentities().ByWindowsAutopilotDeviceIdentityId(s.ztdID)
		body := betadm.NewWindowsAutopilotDeviceIdentitiesItemAssignUserToDevicePostRequestBody()
		body.SetUserPrincipalName(ptr(assignedUser))
		body.SetAddressableUserName(ptr("Alice Anders"))
		c := rec.call(t, "POST /beta/deviceManagement/windowsAutopilotDeviceIdentities/{id}/assignUserToDevice")
		if c.failed(item.AssignUserToDevice().Post(ctx, body, nil)) {
			return
		}
		c = rec.call(t, "GET /beta/deviceManagement/windowsAutopilotDeviceIdentities/{id} (after assignUserToDevice)")
		d, err := item.Get(ctx, nil)
		if c.failed(err) || !c.expect(d != nil, "nil device") {
			return
		}
		c.expect(deref(d.GetUserPrincipalName()) == assignedUser, "userPrincipalName = %q", deref(d.GetUserPrincipalName()))
		c.expect(deref(d.GetAddressableUserName()) == "Alice Anders", "addressableUserName = %q", deref(d.GetAddressableUserName()))
	})

	t.Run("DeviceEnrollmentConfigurations.Get/default ESP", func(t *testing.T) {
		c := rec.call(t, "GET /beta/deviceManagement/deviceEnrollmentConfigurations")
		res, err := dm.DeviceEnrollmentConfigurations().Get(ctx, nil)
		if c.failed(err) || !c.expect(res != nil && len(res.GetValue()) > 0, "no configurations: %v", res) {
			return
		}
		var def *betamodels.Windows10EnrollmentCompletionPageConfiguration
		for _, cfg := range res.GetValue() {
			c.known("deviceEnrollmentConfiguration", cfg)
			esp, ok := cfg.(*betamodels.Windows10EnrollmentCompletionPageConfiguration)
			if !c.expect(ok, "configuration %s deserialized as %T (@odata.type %q), want *models.Windows10EnrollmentCompletionPageConfiguration",
				deref(cfg.GetId()), cfg, deref(cfg.GetOdataType())) {
				continue
			}
			if deref(esp.GetPriority()) == 0 {
				def = esp
			}
		}
		if !c.expect(def != nil, "no default (priority 0) ESP profile") {
			return
		}
		c.expect(strings.HasSuffix(deref(def.GetId()), "_DefaultWindows10EnrollmentCompletionPageConfiguration"), "default id = %q", deref(def.GetId()))
		c.expect(deref(def.GetDisplayName()) == "All users and all devices", "displayName = %q", deref(def.GetDisplayName()))
		c.expect(deref(def.GetInstallProgressTimeoutInMinutes()) == 60, "installProgressTimeoutInMinutes = %d", deref(def.GetInstallProgressTimeoutInMinutes()))
		c.expect(deref(def.GetCustomErrorMessage()) != "", "customErrorMessage is empty")
		c.expect(def.GetShowInstallationProgress() != nil && def.GetAllowNonBlockingAppInstallation() != nil, "ESP booleans are nil")
		c.expect(def.GetCreatedDateTime() != nil && def.GetLastModifiedDateTime() != nil, "timestamps are nil")
		c.expect(def.GetVersion() != nil, "version is nil")
	})

	t.Run("WindowsAutopilotSettings.Get+Sync.Post", func(t *testing.T) {
		c := rec.call(t, "GET /beta/deviceManagement/windowsAutopilotSettings")
		res, err := dm.WindowsAutopilotSettings().Get(ctx, nil)
		if c.failed(err) || !c.expect(res != nil, "nil settings") {
			return
		}
		c.expect(deref(res.GetId()) != "", "id is empty")
		c.known("windowsAutopilotSettings", res)
		c.expect(res.GetSyncStatus() != nil, "syncStatus is nil (not one of the enum's names?)")

		c = rec.call(t, "POST /beta/deviceManagement/windowsAutopilotSettings/sync")
		if c.failed(dm.WindowsAutopilotSettings().Sync().Post(ctx, nil)) {
			return
		}
		c = rec.call(t, "GET /beta/deviceManagement/windowsAutopilotSettings (after sync)")
		res, err = dm.WindowsAutopilotSettings().Get(ctx, nil)
		if c.failed(err) || !c.expect(res != nil, "nil settings") {
			return
		}
		c.expect(res.GetLastManualSyncTriggerDateTime() != nil, "lastManualSyncTriggerDateTime is nil after a sync")
		c.expect(res.GetSyncStatus() != nil, "syncStatus is nil")
	})
}

// checkProfile asserts what the profile created above must read back as.
func checkProfile(c *call, p betamodels.WindowsAutopilotDeploymentProfileable, name string) {
	c.known("windowsAutopilotDeploymentProfile", p, p.GetOutOfBoxExperienceSetting(), p.GetOutOfBoxExperienceSettings(), p.GetEnrollmentStatusScreenSettings())
	_, ok := p.(*betamodels.AzureADWindowsAutopilotDeploymentProfile)
	c.expect(ok, "profile deserialized as %T (@odata.type %q), want *models.AzureADWindowsAutopilotDeploymentProfile", p, deref(p.GetOdataType()))
	c.expect(deref(p.GetDisplayName()) == name, "displayName = %q", deref(p.GetDisplayName()))
	c.expect(deref(p.GetPreprovisioningAllowed()), "preprovisioningAllowed = %v, want true", p.GetPreprovisioningAllowed())
	c.expect(deref(p.GetEnableWhiteGlove()), "enableWhiteGlove (deprecated twin) = %v, want true", p.GetEnableWhiteGlove())
	c.expect(deref(p.GetDeviceNameTemplate()) == "SDK-%RAND:5%", "deviceNameTemplate = %q", deref(p.GetDeviceNameTemplate()))
	c.expect(deref(p.GetLocale()) == "en-US", "locale = %q", deref(p.GetLocale()))
	dt := p.GetDeviceType()
	c.expect(dt != nil && *dt == betamodels.WINDOWSPC_WINDOWSAUTOPILOTDEVICETYPE, "deviceType = %v", dt)
	c.expect(p.GetCreatedDateTime() != nil && p.GetLastModifiedDateTime() != nil, "timestamps are nil")
	if o := p.GetOutOfBoxExperienceSetting(); c.expect(o != nil, "outOfBoxExperienceSetting is nil") {
		ut, dut := o.GetUserType(), o.GetDeviceUsageType()
		c.expect(ut != nil && *ut == betamodels.STANDARD_WINDOWSUSERTYPE, "outOfBoxExperienceSetting.userType = %v", ut)
		c.expect(dut != nil && *dut == betamodels.SINGLEUSER_WINDOWSDEVICEUSAGETYPE, "outOfBoxExperienceSetting.deviceUsageType = %v", dut)
		c.expect(deref(o.GetPrivacySettingsHidden()) && deref(o.GetEulaHidden()) && deref(o.GetEscapeLinkHidden()) && !deref(o.GetKeyboardSelectionPageSkipped()),
			"outOfBoxExperienceSetting booleans did not round-trip")
	}
	if o := p.GetOutOfBoxExperienceSettings(); c.expect(o != nil, "outOfBoxExperienceSettings (deprecated) is nil") {
		c.expect(deref(o.GetHidePrivacySettings()) && deref(o.GetHideEULA()), "outOfBoxExperienceSettings does not mirror outOfBoxExperienceSetting")
	}
}

// --- the server ---

// buildWhiteglove builds the main module's binary from this working tree.
func buildWhiteglove(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "whiteglove")
	build := exec.Command("go", "build", "-o", bin, "./cmd/whiteglove")
	build.Dir = filepath.Join("..", "..") // the main module, github.com/whiteglove/whiteglove
	build.Env = append(os.Environ(), "GOWORK=off")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building whiteglove: %v\n%s", err, out)
	}
	return bin
}

// startWhiteglove runs bin with a demo tenant and a bootstrap app, waits
// until /readyz answers 200 and returns its base URL. The process is killed
// when the test ends.
func startWhiteglove(ctx context.Context, t *testing.T, bin string) string {
	t.Helper()
	dir := t.TempDir()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()

	var out syncBuffer
	// The demo tenant only: the demo deployment's profile would be the
	// oldest and win the precedence the checks below expect.
	cmd := exec.Command(bin, "serve", "--demo", "--demo-deployment=false", "--demo-devices", "0", "--data", filepath.Join(dir, "data"), "--listen", addr)
	cmd.Env = append(os.Environ(), "WHITEGLOVE_BOOTSTRAP_CLIENT_ID="+clientID, "WHITEGLOVE_BOOTSTRAP_CLIENT_SECRET="+clientSecret)
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-exited
		if t.Failed() {
			t.Logf("whiteglove output:\n%s", out.String())
		}
	})

	base := "http://" + addr
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(30 * time.Second)
	for {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return base
			}
		}
		select {
		case err := <-exited:
			exited <- err
			t.Fatalf("whiteglove exited before it was ready: %v\n%s", err, out.String())
		case <-deadline:
			t.Fatalf("whiteglove not ready after 30 s\n%s", out.String())
		case <-ctx.Done():
			t.Fatal(ctx.Err())
		case <-tick.C:
		}
	}
}

// fetchToken gets an app token with client credentials, as a daemon would.
func fetchToken(ctx context.Context, t *testing.T, base string) string {
	t.Helper()
	form := url.Values{
		"grant_type": {"client_credentials"}, "client_id": {clientID}, "client_secret": {clientSecret},
		"scope": {"https://graph.microsoft.com/.default"},
	}
	req, err := http.NewRequestWithContext(ctx, "POST", base+"/organizations/oauth2/v2.0/token", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var tok struct {
		AccessToken string `json:"access_token"`
		TokenType   string `json:"token_type"`
	}
	if resp.StatusCode != 200 || json.Unmarshal(body, &tok) != nil || tok.AccessToken == "" {
		t.Fatalf("token: %s %s", resp.Status, body)
	}
	return tok.AccessToken
}

// --- the SDK plumbing ---

// staticToken hands the SDK one access token, for the allowed hosts only.
// (kiota's Azure Identity provider is the one that insists on https; a
// plain AccessTokenProvider decides for itself.)
type staticToken struct {
	token string
	hosts *authentication.AllowedHostsValidator
}

func (s staticToken) GetAuthorizationToken(_ context.Context, u *url.URL, _ map[string]any) (string, error) {
	if !s.hosts.IsUrlHostValid(u) {
		return "", nil
	}
	return s.token, nil
}

func (s staticToken) GetAllowedHostsValidator() *authentication.AllowedHostsValidator { return s.hosts }

var registerOnce sync.Once

// newAdapter builds what msgraphsdk.NewGraphServiceClient would, without
// importing the SDK's root package (which imports every request builder of
// the API and takes tens of minutes and >10 GB to compile): the Graph
// request adapter with the SDK's default middleware, the default
// (de)serializers and the backing store, pointed at base. The innermost
// transport is rec, so it sees the bytes on the wire.
func newAdapter(t *testing.T, token, base string, opts core.GraphClientOptions, rec http.RoundTripper) abstractions.RequestAdapter {
	t.Helper()
	registerOnce.Do(func() { // as NewGraphBaseServiceClient does
		abstractions.RegisterDefaultSerializer(func() serialization.SerializationWriterFactory { return jsonser.NewJsonSerializationWriterFactory() })
		abstractions.RegisterDefaultSerializer(func() serialization.SerializationWriterFactory { return textser.NewTextSerializationWriterFactory() })
		abstractions.RegisterDefaultSerializer(func() serialization.SerializationWriterFactory { return formser.NewFormSerializationWriterFactory() })
		abstractions.RegisterDefaultSerializer(func() serialization.SerializationWriterFactory {
			return multipartser.NewMultipartSerializationWriterFactory()
		})
		abstractions.RegisterDefaultDeserializer(func() serialization.ParseNodeFactory { return jsonser.NewJsonParseNodeFactory() })
		abstractions.RegisterDefaultDeserializer(func() serialization.ParseNodeFactory { return textser.NewTextParseNodeFactory() })
		abstractions.RegisterDefaultDeserializer(func() serialization.ParseNodeFactory { return formser.NewFormParseNodeFactory() })
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	hosts, err := authentication.NewAllowedHostsValidatorErrorCheck([]string{u.Hostname()})
	if err != nil {
		t.Fatal(err)
	}
	auth := authentication.NewBaseBearerTokenAuthenticationProvider(staticToken{token: token, hosts: hosts})
	client := &http.Client{
		Transport: khttp.NewCustomTransportWithParentTransport(rec, core.GetDefaultMiddlewaresWithOptions(&opts)...),
		Timeout:   30 * time.Second,
	}
	a, err := core.NewGraphRequestAdapterBaseWithParseNodeFactoryAndSerializationWriterFactoryAndHttpClient(auth, opts, nil, nil, client)
	if err != nil {
		t.Fatal(err)
	}
	a.SetBaseUrl(base)
	a.EnableBackingStore(store.BackingStoreFactoryInstance)
	return a
}

// --- recording what went over the wire ---

type exchange struct {
	method, url      string
	status           int
	reqEncoding      string
	reqType, reqBody string
	resType, resBody string
	err              error
}

// recorder is the innermost http.RoundTripper: it keeps every request and
// response body (request bodies gunzipped) to show when a call fails.
type recorder struct {
	base http.RoundTripper
	mu   sync.Mutex
	log  []exchange
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	x := exchange{method: req.Method, url: req.URL.String(), reqType: req.Header.Get("Content-Type"), reqEncoding: req.Header.Get("Content-Encoding")}
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		req.Body = io.NopCloser(bytes.NewReader(b))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
		x.reqBody = string(b)
		if strings.EqualFold(req.Header.Get("Content-Encoding"), "gzip") {
			if zr, err := gzip.NewReader(bytes.NewReader(b)); err == nil {
				if plain, err := io.ReadAll(zr); err == nil {
					x.reqBody = string(plain)
				}
			}
		}
	}
	resp, err := r.base.RoundTrip(req)
	if err != nil {
		x.err = err
	} else {
		x.status, x.resType = resp.StatusCode, resp.Header.Get("Content-Type")
		b, rerr := io.ReadAll(resp.Body)
		resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(b))
		x.resBody = string(b)
		if rerr != nil {
			x.err = rerr
		}
	}
	r.mu.Lock()
	r.log = append(r.log, x)
	r.mu.Unlock()
	return resp, err
}

func (r *recorder) since(mark int) []exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.log[mark:])
}

// call is one checked SDK call: it fails the test with the ODataError's
// message and the exchanges the call made.
type call struct {
	t      *testing.T
	rec    *recorder
	name   string
	mark   int
	dumped bool
}

func (r *recorder) call(t *testing.T, name string) *call {
	r.mu.Lock()
	defer r.mu.Unlock()
	return &call{t: t, rec: r, name: name, mark: len(r.log)}
}

// failed reports whether err is non-nil, failing the test if so.
func (c *call) failed(err error) bool {
	c.t.Helper()
	if err == nil {
		return false
	}
	c.t.Errorf("%s: the SDK returned an error: %s%s", c.name, describeError(err), c.wire())
	return true
}

// expect fails the test (once with the wire dump) when ok is false.
func (c *call) expect(ok bool, format string, args ...any) bool {
	c.t.Helper()
	if !ok {
		c.t.Errorf("%s: %s%s", c.name, fmt.Sprintf(format, args...), c.wire())
	}
	return ok
}

// undeclared lists, per model type, the properties whiteglove may send that
// the SDK's model does not declare, each because production Graph sends it
// too. device is an OpenType: Graph returns createdDateTime (also
// deletedDateTime, externalSourceName, sourceType) although $metadata does
// not declare it (microsoftgraph/msgraph-beta-sdk-java#996), and Microsoft's
// own Autopilot docs $select it (shared/reference/graph-api.md §7).
var undeclared = map[string][]string{
	"*models.Device": {"createdDateTime"},
}

// known fails the test when the SDK kept properties of v in its
// AdditionalData: names its model does not declare (a misspelt or
// wrong-version property), which the SDK never surfaces otherwise.
// OData annotations (@odata.context, …) and the undeclared list are
// expected there.
func (c *call) known(what string, vs ...any) {
	c.t.Helper()
	for _, v := range vs {
		h, ok := v.(interface{ GetAdditionalData() map[string]any })
		if !ok || h == nil {
			continue
		}
		var extra []string
		for k := range h.GetAdditionalData() {
			if !strings.HasPrefix(k, "@") && !slices.Contains(undeclared[fmt.Sprintf("%T", v)], k) {
				extra = append(extra, k)
			}
		}
		slices.Sort(extra)
		c.expect(len(extra) == 0, "%s (%T): properties the SDK's model does not define: %v", what, v, extra)
	}
}

// gzipOnce checks that the call's one POST went gzip-compressed, as the
// SDK sends bodies, and was accepted as such: had the server answered 415,
// the SDK would have resent it uncompressed.
func (c *call) gzipOnce() {
	c.t.Helper()
	posts := c.count(func(x exchange) bool { return x.method == "POST" })
	gz := c.count(func(x exchange) bool { return x.method == "POST" && strings.EqualFold(x.reqEncoding, "gzip") })
	c.expect(posts == 1 && gz == 1, "want one gzip-compressed POST, got %d POSTs, %d compressed", posts, gz)
}

func (c *call) count(match func(exchange) bool) int {
	n := 0
	for _, x := range c.rec.since(c.mark) {
		if match(x) {
			n++
		}
	}
	return n
}

func (c *call) wire() string {
	if c.dumped {
		return ""
	}
	c.dumped = true
	var b strings.Builder
	for _, x := range c.rec.since(c.mark) {
		fmt.Fprintf(&b, "\n  > %s %s", x.method, x.url)
		if x.reqBody != "" {
			fmt.Fprintf(&b, "\n    Content-Type: %s\n    %s", x.reqType, clip(x.reqBody))
		}
		if x.err != nil {
			fmt.Fprintf(&b, "\n  < transport error: %v", x.err)
			continue
		}
		fmt.Fprintf(&b, "\n  < %d Content-Type: %s\n    %s", x.status, x.resType, clip(x.resBody))
	}
	return b.String()
}

func clip(s string) string {
	if len(s) > 6000 && os.Getenv("WHITEGLOVE_SDK_WIRE") == "" {
		return s[:6000] + fmt.Sprintf("… (%d bytes)", len(s))
	}
	return s
}

// describeError renders an SDK error: the ODataError's code, message and
// status when the server's error body deserialized, else the raw error.
func describeError(err error) string {
	var v1 *odataerrors.ODataError
	if errors.As(err, &v1) {
		if e := v1.GetErrorEscaped(); e != nil {
			return fmt.Sprintf("ODataError %d %s: %s", v1.ResponseStatusCode, deref(e.GetCode()), deref(e.GetMessage()))
		}
		return fmt.Sprintf("ODataError %d without an error object: %v", v1.ResponseStatusCode, err)
	}
	var beta *betaodataerrors.ODataError
	if errors.As(err, &beta) {
		if e := beta.GetErrorEscaped(); e != nil {
			return fmt.Sprintf("ODataError %d %s: %s", beta.ResponseStatusCode, deref(e.GetCode()), deref(e.GetMessage()))
		}
		return fmt.Sprintf("ODataError %d without an error object: %v", beta.ResponseStatusCode, err)
	}
	var api *abstractions.ApiError
	if errors.As(err, &api) {
		return fmt.Sprintf("ApiError %d: %s", api.ResponseStatusCode, api.Message)
	}
	return fmt.Sprintf("%T: %v", err, err)
}

// --- small helpers ---

func ptr[T any](v T) *T { return &v }

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func names[T any](items []T, name func(T) *string) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = deref(name(it))
	}
	return out
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
