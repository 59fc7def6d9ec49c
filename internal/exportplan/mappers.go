package exportplan

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/whiteglove/whiteglove/internal/apps"
	"github.com/whiteglove/whiteglove/internal/assign"
	"github.com/whiteglove/whiteglove/internal/autopilot"
	"github.com/whiteglove/whiteglove/internal/directory"
	"github.com/whiteglove/whiteglove/internal/esp"
	"github.com/whiteglove/whiteglove/internal/graph"
)

// Readers of decoded JSON: a property of the wrong type reads as absent,
// so whatever Graph adds or changes is ignored rather than fatal.

func str(o Object, k string) string {
	s, _ := o[k].(string)
	return strings.TrimSpace(s)
}

func boolean(o Object, k string) bool {
	b, _ := o[k].(bool)
	return b
}

func integer(o Object, k string) (int64, bool) {
	switch v := o[k].(type) {
	case json.Number:
		if n, err := v.Int64(); err == nil {
			return n, true
		}
		if f, err := v.Float64(); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) && math.Abs(f) < 1<<62 {
			return int64(f), true
		}
	case float64:
		if math.Abs(v) < 1<<62 {
			return int64(v), true
		}
	}
	return 0, false
}

func strs(o Object, k string) []string {
	arr, _ := o[k].([]any)
	var out []string
	for _, v := range arr {
		if s, ok := v.(string); ok && strings.TrimSpace(s) != "" {
			out = append(out, strings.TrimSpace(s))
		}
	}
	return out
}

func obj(o Object, k string) Object {
	m, _ := o[k].(map[string]any)
	return m
}

func objs(o Object, k string) []Object {
	arr, _ := o[k].([]any)
	var out []Object
	for _, v := range arr {
		if m, ok := v.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// typeName is an object's @odata.type without "#microsoft.graph.".
func typeName(o Object) string {
	s := strings.TrimPrefix(str(o, "@odata.type"), "#")
	if len(s) > len("microsoft.graph.") && strings.EqualFold(s[:len("microsoft.graph.")], "microsoft.graph.") {
		s = s[len("microsoft.graph."):]
	}
	return s
}

// id is an object's id, lower-cased as whiteglove stores ids.
func id(o Object) (string, error) {
	v := strings.ToLower(str(o, "id"))
	if v == "" {
		return "", errors.New("no id")
	}
	return v, nil
}

func timeOf(o Object, k string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, str(o, k))
	return t
}

// label names an item in notes.
func label(o Object) string {
	for _, k := range []string{"displayName", "userPrincipalName", "serialNumber", "id"} {
		if s := str(o, k); s != "" {
			return fmt.Sprintf("%q", s)
		}
	}
	return "(no name)"
}

// Target is a parsed assignment: its intent (apps) and target.
type Target struct {
	Intent string // apps: required, available, uninstall, availableWithoutEnrollment; "" otherwise
	Target assign.Target
}

// mapAssignments reads an object's expanded "assignments". Targets
// whiteglove cannot represent are returned as notes, not errors.
func mapAssignments(o Object) ([]Target, []string) {
	var out []Target
	var notes []string
	for i, a := range objs(o, "assignments") {
		t := obj(a, "target")
		if t == nil {
			notes = append(notes, fmt.Sprintf("assignment %d has no target", i))
			continue
		}
		tt := map[string]any{}
		for k, v := range t {
			if s, ok := v.(string); ok {
				tt[k] = s
			}
		}
		if g, ok := tt["groupId"].(string); ok {
			tt["groupId"] = strings.ToLower(g)
		}
		if f, _ := tt["deviceAndAppManagementAssignmentFilterType"].(string); f != "" && f != assign.FilterNone {
			// whiteglove does not evaluate filters: plan as if unfiltered, and say so.
			notes = append(notes, fmt.Sprintf("assignment %d: its assignment filter (%s) is ignored: the plan treats the assignment as unfiltered", i, f))
		}
		delete(tt, "deviceAndAppManagementAssignmentFilterId")
		delete(tt, "deviceAndAppManagementAssignmentFilterType")
		tg, err := graph.ParseTarget(tt)
		if err != nil {
			notes = append(notes, fmt.Sprintf("assignment %d: %v", i, err))
			continue
		}
		out = append(out, Target{Intent: str(a, "intent"), Target: tg})
	}
	return out, notes
}

// mapUser maps a Graph user. A user holds a licence when assignedLicenses
// is not empty.
func mapUser(o Object) (directory.User, error) {
	uid, err := id(o)
	if err != nil {
		return directory.User{}, err
	}
	u := directory.User{ID: uid, UPN: str(o, "userPrincipalName"), DisplayName: str(o, "displayName"),
		GivenName: str(o, "givenName"), Surname: str(o, "surname"), Mail: str(o, "mail"), MailNickname: str(o, "mailNickname"),
		Department: str(o, "department"), JobTitle: str(o, "jobTitle"), UsageLocation: str(o, "usageLocation"),
		AccountEnabled: true, Licensed: len(objs(o, "assignedLicenses")) > 0}
	if v, ok := o["accountEnabled"].(bool); ok {
		u.AccountEnabled = v
	}
	if u.UPN == "" {
		return directory.User{}, errors.New("no userPrincipalName")
	}
	if u.DisplayName == "" {
		u.DisplayName = u.UPN
	}
	return u, nil
}

// mapDevice maps a Graph (Entra) device.
func mapDevice(o Object) (directory.Device, error) {
	oid, err := id(o)
	if err != nil {
		return directory.Device{}, err
	}
	d := directory.Device{ID: oid, DeviceID: strings.ToLower(str(o, "deviceId")), DisplayName: str(o, "displayName"),
		AccountEnabled: boolean(o, "accountEnabled"), OperatingSystem: str(o, "operatingSystem"),
		OperatingSystemVersion: str(o, "operatingSystemVersion"), Manufacturer: str(o, "manufacturer"), Model: str(o, "model"),
		TrustType: str(o, "trustType"), EnrollmentProfileName: str(o, "enrollmentProfileName"), PhysicalIDs: strs(o, "physicalIds")}
	if _, err := uuid.Parse(d.DeviceID); err != nil {
		return directory.Device{}, fmt.Errorf("deviceId %q is not a GUID", d.DeviceID)
	}
	if d.DisplayName == "" {
		d.DisplayName = d.DeviceID
	}
	if len(d.PhysicalIDs) > 100 {
		d.PhysicalIDs = d.PhysicalIDs[:100]
	}
	return d, nil
}

// Group is a Graph group with its exported members.
type Group struct {
	Group   directory.Group
	Members []Member
}

// Member is one exported member of a group.
type Member struct {
	ID   string
	Type string // "user", "device", "group", or another Graph type
}

// mapGroup maps a Graph group and its expanded members.
func mapGroup(o Object) (Group, error) {
	gid, err := id(o)
	if err != nil {
		return Group{}, err
	}
	g := directory.Group{ID: gid, DisplayName: str(o, "displayName"), Description: str(o, "description"),
		MailNickname: str(o, "mailNickname"), MailEnabled: boolean(o, "mailEnabled"), SecurityEnabled: boolean(o, "securityEnabled"),
		GroupTypes: strs(o, "groupTypes")}
	if g.Dynamic() {
		g.MembershipRule = str(o, "membershipRule")
		g.RuleProcessingState = str(o, "membershipRuleProcessingState")
	}
	if g.DisplayName == "" {
		g.DisplayName = gid
	}
	out := Group{Group: g}
	for _, m := range objs(o, "members") {
		mid, err := id(m)
		if err != nil {
			continue
		}
		out.Members = append(out.Members, Member{ID: mid, Type: typeName(m)})
	}
	return out, nil
}

// mapIdentity maps a windowsAutopilotDeviceIdentity. The export carries no
// hardware hash: the identity's fingerprint is "export:" + its id.
func mapIdentity(o Object) (autopilot.Device, error) {
	zid, err := id(o)
	if err != nil {
		return autopilot.Device{}, err
	}
	d := autopilot.Device{ID: zid, Fingerprint: "export:" + zid, SerialNumber: str(o, "serialNumber"),
		Manufacturer: str(o, "manufacturer"), Model: str(o, "model"), ProductKey: str(o, "productKey"), SKUNumber: str(o, "skuNumber"),
		SystemFamily: str(o, "systemFamily"), GroupTag: str(o, "groupTag"), PurchaseOrder: str(o, "purchaseOrderIdentifier"),
		UserPrincipalName: str(o, "userPrincipalName"), AddressableUserName: str(o, "addressableUserName"),
		DisplayName: str(o, "displayName"), ResourceName: str(o, "resourceName"), ManagedDeviceID: str(o, "managedDeviceId"),
		EntraDeviceID: strings.ToLower(str(o, "azureActiveDirectoryDeviceId")), EnrollmentState: str(o, "enrollmentState"),
		ProfileStatus: autopilot.ProfileNotAssigned, RemediationState: "noRemediationRequired", UserlessEnrollmentStatus: "allowed"}
	if d.EntraDeviceID == "" {
		d.EntraDeviceID = strings.ToLower(str(o, "azureAdDeviceId"))
	}
	if d.EnrollmentState == "" {
		d.EnrollmentState = autopilot.EnrollmentNotContacted
	}
	if d.SerialNumber == "" {
		return autopilot.Device{}, errors.New("no serialNumber")
	}
	return d, nil
}

// Profile is a deployment profile with its export id, creation time (the
// Autopilot engine's precedence) and targets.
type Profile struct {
	ExportID string
	Created  time.Time
	Profile  autopilot.Profile
	Targets  []Target
	Notes    []string
}

// mapProfile maps a windowsAutopilotDeploymentProfile: what planning needs
// (join type, pre-provisioning, language, deployment mode), not the name
// template or OOBE cosmetics.
func mapProfile(o Object) (Profile, error) {
	pid, err := id(o)
	if err != nil {
		return Profile{}, err
	}
	p := autopilot.Profile{DisplayName: str(o, "displayName")}
	switch t := typeName(o); {
	case strings.EqualFold(t, autopilot.KindAzureAD):
		p.Kind = autopilot.KindAzureAD
	case strings.EqualFold(t, autopilot.KindActiveDirectory):
		p.Kind = autopilot.KindActiveDirectory
		p.HybridSkipConnectivityCheck = boolean(o, "hybridAzureADJoinSkipConnectivityCheck")
	default:
		return Profile{}, fmt.Errorf("unknown deployment profile type %q", t)
	}
	if len(p.DisplayName) > 200 {
		p.DisplayName = p.DisplayName[:200]
	}
	if p.DisplayName == "" {
		p.DisplayName = pid
	}
	p.Locale = str(o, "locale")
	if p.Locale == "" {
		p.Locale = str(o, "language")
	}
	p.PreprovisioningAllowed = boolean(o, "preprovisioningAllowed") || boolean(o, "enableWhiteGlove")
	oobe := obj(o, "outOfBoxExperienceSetting")
	if oobe == nil {
		oobe = obj(o, "outOfBoxExperienceSettings")
	}
	if u := str(oobe, "deviceUsageType"); u == "singleUser" || u == "shared" {
		p.OOBE.DeviceUsageType = u
	}
	if u := str(oobe, "userType"); u == "administrator" || u == "standard" {
		p.OOBE.UserType = u
	}
	if p.SelfDeploying() && p.Kind == autopilot.KindActiveDirectory {
		p.PreprovisioningAllowed = false // refused by Autopilot too
	}
	targets, notes := mapAssignments(o)
	return Profile{ExportID: pid, Created: timeOf(o, "createdDateTime"), Profile: p, Targets: targets, Notes: notes}, nil
}

// ESPConfig is an ESP profile (windows10EnrollmentCompletionPageConfiguration).
type ESPConfig struct {
	ExportID string
	Default  bool
	Priority int
	Profile  esp.Profile
	Targets  []Target
	Notes    []string
}

// mapEnrollment maps a deviceEnrollmentConfiguration; ok is false for the
// types that are not ESP profiles (limits, restrictions, Hello…), which do
// not change a plan.
func mapEnrollment(o Object) (cfg ESPConfig, ok bool, err error) {
	if !strings.EqualFold(typeName(o), "windows10EnrollmentCompletionPageConfiguration") {
		return ESPConfig{}, false, nil
	}
	eid, err := id(o)
	if err != nil {
		return ESPConfig{}, true, err
	}
	p := esp.NewProfile()
	p.DisplayName, p.Description = str(o, "displayName"), str(o, "description")
	if p.DisplayName == "" {
		p.DisplayName = eid
	}
	for k, dst := range map[string]*bool{
		"showInstallationProgress": &p.ShowInstallationProgress, "blockDeviceSetupRetryByUser": &p.BlockDeviceSetupRetryByUser,
		"allowDeviceResetOnInstallFailure": &p.AllowDeviceResetOnInstallFailure, "allowLogCollectionOnInstallFailure": &p.AllowLogCollectionOnInstallFailure,
		"allowDeviceUseOnInstallFailure": &p.AllowDeviceUseOnInstallFailure, "allowNonBlockingAppInstallation": &p.AllowNonBlockingAppInstallation,
		"installQualityUpdates": &p.InstallQualityUpdates, "trackInstallProgressForAutopilotOnly": &p.TrackInstallProgressForAutopilotOnly,
		"disableUserStatusTrackingAfterFirstUser": &p.DisableUserStatusTrackingAfterFirstUser,
	} {
		*dst = boolean(o, k)
	}
	p.CustomErrorMessage = str(o, "customErrorMessage")
	if n, ok := integer(o, "installProgressTimeoutInMinutes"); ok {
		p.InstallProgressTimeoutInMinutes = int(min(max(n, esp.MinTimeoutMinutes), esp.MaxTimeoutMinutes))
	}
	for _, a := range strs(o, "selectedMobileAppIds") {
		p.SelectedMobileAppIDs = append(p.SelectedMobileAppIDs, strings.ToLower(a))
	}
	prio, _ := integer(o, "priority")
	targets, notes := mapAssignments(o)
	def := strings.HasSuffix(eid, strings.ToLower(esp.DefaultIDSuffix))
	// ESP ids are "<guid>_<Type>": keep the export's spelling for the report.
	return ESPConfig{ExportID: str(o, "id"), Default: def, Priority: int(prio), Profile: p, Targets: targets, Notes: notes}, true, nil
}

// App is an app with its export id, content size, dependencies (export
// ids) and assignments.
type App struct {
	ExportID     string
	App          apps.App
	Size         int64
	Dependencies []string
	Targets      []Target
	Notes        []string
}

// placeholderDetection stands in for a Win32 app's detection rules, which
// a plan never evaluates (they decide whether an app is already there on
// a real device, not where it is targeted).
var placeholderDetection = apps.Rule{Type: apps.RuleFile, Operation: apps.OpExists, Path: `C:\Program Files\whiteglove-export`, FileOrFolderName: "placeholder"}

// mapApp maps a mobileApp. Win32 and MSI apps keep what planning needs
// (type, install context, size, dependencies); any other type becomes an
// apps.Unsupported app, listed in a plan's "unsupported" entries.
func mapApp(o Object) (App, error) {
	aid, err := id(o)
	if err != nil {
		return App{}, err
	}
	a := apps.App{DisplayName: str(o, "displayName"), Publisher: str(o, "publisher"), DisplayVersion: str(o, "displayVersion")}
	if a.DisplayName == "" {
		a.DisplayName = aid
	}
	t := typeName(o)
	switch {
	case strings.EqualFold(t, string(apps.Win32)):
		a.Kind = apps.Win32
		exp := obj(o, "installExperience")
		a.RunAsAccount = str(exp, "runAsAccount")
		if a.RunAsAccount != apps.RunAsUser {
			a.RunAsAccount = apps.RunAsSystem
		}
		a.InstallCommand, a.UninstallCommand = str(o, "installCommandLine"), str(o, "uninstallCommandLine")
		if a.InstallCommand == "" {
			a.InstallCommand = "install.cmd"
		}
		if a.UninstallCommand == "" {
			a.UninstallCommand = "uninstall.cmd"
		}
		a.DetectionRules = []apps.Rule{placeholderDetection}
	case strings.EqualFold(t, string(apps.MSI)):
		a.Kind = apps.MSI
		a.ProductCode, a.ProductVersion = str(o, "productCode"), str(o, "productVersion")
		a.IgnoreVersionDetection = boolean(o, "ignoreVersionDetection") || a.ProductVersion == ""
		a.RunAsAccount = apps.RunAsUser
		if boolean(o, "useDeviceContext") {
			a.RunAsAccount = apps.RunAsSystem
		}
	default:
		a.Kind = apps.Unsupported
		a.ODataType = t
		if !validTypeName(t) {
			a.ODataType = "unknownMobileApp"
		}
	}
	out := App{ExportID: aid, App: a}
	if n, ok := integer(o, "size"); ok && n > 0 && a.Kind != apps.Unsupported {
		out.Size = n
	}
	if a.Kind == apps.Win32 {
		for _, r := range objs(o, "relationships") {
			// mobileAppDependency, targetType "child": this app depends on targetId.
			if strings.EqualFold(typeName(r), "mobileAppDependency") && !strings.EqualFold(str(r, "targetType"), "parent") {
				if tid := strings.ToLower(str(r, "targetId")); tid != "" {
					out.Dependencies = append(out.Dependencies, tid)
				}
			}
		}
	}
	out.Targets, out.Notes = mapAssignments(o)
	return out, nil
}

func validTypeName(t string) bool {
	if t == "" || len(t) > 128 || t == string(apps.Win32) || t == string(apps.MSI) {
		return false
	}
	for i, r := range t {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// Policy is a device configuration with its export id and assignments.
// Known is false for Graph types whiteglove does not model; such a policy
// is planned as an unsupported item (listed, never applied).
type Policy struct {
	ExportID  string
	Known     bool
	ODataType string
	Policy    apps.Policy
	Targets   []Target
	Notes     []string
}

var omaTypes = map[string]apps.OMAType{
	"omasettinginteger": apps.OMAInteger, "omasettingstring": apps.OMAString, "omasettingboolean": apps.OMABoolean,
	"omasettingfloatingpoint": apps.OMAFloatingPoint, "omasettingdatetime": apps.OMADateTime,
	"omasettingbase64": apps.OMABase64, "omasettingstringxml": apps.OMAStringXML,
}

// mapPolicy maps a deviceConfiguration: what planning needs (its kind,
// whether it applies to the user, whether it disables the sign-in
// assistant), not secrets Graph does not return anyway.
func mapPolicy(o Object) (Policy, error) {
	pid, err := id(o)
	if err != nil {
		return Policy{}, err
	}
	p := apps.Policy{DisplayName: str(o, "displayName")}
	if p.DisplayName == "" {
		p.DisplayName = pid
	}
	t := typeName(o)
	out := Policy{ExportID: pid, Known: true, ODataType: t}
	switch strings.ToLower(t) {
	case "windows10customconfiguration":
		p.Kind = apps.CustomSettings
		for _, s := range objs(o, "omaSettings") {
			typ, ok := omaTypes[strings.ToLower(typeName(s))]
			if !ok {
				continue
			}
			set := apps.OMASetting{Type: typ, DisplayName: str(s, "displayName"), OMAURI: str(s, "omaUri")}
			switch v := s["value"].(type) {
			case string:
				set.Value = v
			case json.Number:
				set.Value = v.String()
			case bool:
				set.Value = fmt.Sprint(v)
			}
			if set.DisplayName == "" {
				set.DisplayName = set.OMAURI
			}
			p.Settings = append(p.Settings, set)
		}
		if p.DisablesSigninAssistant() {
			p.Kind = apps.SigninAssistant
		}
	case "windows10pkcscertificateprofile":
		p.Kind = apps.Certificate
		p.Certificate = &apps.CertificateProfile{Store: str(o, "certificateStore")}
	case "windowswificonfiguration":
		p.Kind = apps.WiFi
		p.WiFi = &apps.WiFiProfile{SSID: str(o, "ssid"), NetworkName: str(o, "networkName"), SecurityType: str(o, "wifiSecurityType")}
		// Graph never returns preSharedKey; a stand-in of a valid length
		// keeps the profile valid (a plan does not use the key).
		switch p.WiFi.SecurityType {
		case "open", "":
		case "wep":
			p.WiFi.PreSharedKey = "exportwepkey1"
		default:
			p.WiFi.PreSharedKey = "export-placeholder-key"
		}
	case "windows10vpnconfiguration":
		p.Kind = apps.VPN
		p.VPN = &apps.VPNProfile{ConnectionName: str(o, "connectionName"), ProfileTarget: str(o, "profileTarget")}
	default:
		out.Known = false
		if t == "" {
			out.ODataType = "deviceConfiguration"
		}
	}
	out.Policy = p
	out.Targets, out.Notes = mapAssignments(o)
	return out, nil
}

// Script is a PowerShell script with its export id and assignments.
type Script struct {
	ExportID string
	Script   apps.Script
	Targets  []Target
	Notes    []string
}

// mapScript maps a deviceManagementScript. A list call does not return
// scriptContent; planning does not need it, so a stand-in is used then.
func mapScript(o Object) (Script, error) {
	sid, err := id(o)
	if err != nil {
		return Script{}, err
	}
	sc := apps.Script{DisplayName: str(o, "displayName"), FileName: str(o, "fileName"), RunAsAccount: str(o, "runAsAccount"),
		EnforceSignatureCheck: boolean(o, "enforceSignatureCheck"), RunAs32Bit: boolean(o, "runAs32Bit")}
	if sc.DisplayName == "" {
		sc.DisplayName = sid
	}
	if sc.RunAsAccount != apps.RunAsUser {
		sc.RunAsAccount = apps.RunAsSystem
	}
	if c, err := base64.StdEncoding.DecodeString(str(o, "scriptContent")); err == nil && len(c) > 0 {
		sc.Content = c
	}
	targets, notes := mapAssignments(o)
	return Script{ExportID: sid, Script: sc, Targets: targets, Notes: notes}, nil
}

// sortProfiles orders deployment profiles by creation (the engine's
// precedence: the oldest wins), then id.
func sortProfiles(ps []Profile) {
	sort.SliceStable(ps, func(i, j int) bool {
		if !ps[i].Created.Equal(ps[j].Created) {
			return ps[i].Created.Before(ps[j].Created)
		}
		return ps[i].ExportID < ps[j].ExportID
	})
}

// sortESP orders ESP profiles by priority (1 first), then id.
func sortESP(cs []ESPConfig) {
	sort.SliceStable(cs, func(i, j int) bool {
		if cs[i].Priority != cs[j].Priority {
			return cs[i].Priority < cs[j].Priority
		}
		return cs[i].ExportID < cs[j].ExportID
	})
}
