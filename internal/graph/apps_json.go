package graph

import (
	"slices"
	"strings"

	"github.com/whiteglove/whiteglove/internal/apps"
)

// nullInt is n, or null for zero (an unset minimum).
func nullInt(n int) any {
	if n == 0 {
		return nil
	}
	return n
}

// archFlags renders architectures as Graph's windowsArchitecture flags;
// v1.0 has no arm64, and no architecture is "none" (no restriction).
func archFlags(archs []string, beta bool) string {
	var out []string
	for _, a := range archs {
		if beta || a != "arm64" {
			out = append(out, a)
		}
	}
	if len(out) == 0 {
		return "none"
	}
	return strings.Join(out, ",")
}

// mobileAppJSON is the Graph shape of a: mobileApp's properties, the LOB
// and type-specific ones, and in beta the beta-only ones.
func mobileAppJSON(a apps.App, beta bool) map[string]any {
	state, committed, upload := "notPublished", any(nil), 0
	if a.HasContent() {
		state, committed, upload = "published", "1", 1
	}
	m := map[string]any{
		"@odata.type": "#microsoft.graph." + a.ODataType, "id": a.ID, "displayName": a.DisplayName,
		"description": nullable(a.Description), "publisher": nullable(a.Publisher), "developer": nullable(a.Developer),
		"owner": nullable(a.Owner), "notes": nullable(a.Notes), "informationUrl": nullable(a.InformationURL),
		"privacyInformationUrl": nullable(a.PrivacyInformationURL), "isFeatured": a.IsFeatured, "largeIcon": nil,
		"createdDateTime": a.CreatedAt, "lastModifiedDateTime": a.UpdatedAt, "publishingState": state,
	}
	if beta {
		m["roleScopeTagIds"] = a.RoleScopeTagIDs
		m["isAssigned"] = len(a.Assignments) > 0
		m["uploadState"] = upload
		m["supersedingAppCount"], m["supersededAppCount"] = 0, 0
	}
	if a.Kind == apps.Unsupported {
		return m
	}
	m["fileName"], m["size"], m["committedContentVersion"] = nullable(a.FileName), a.Size, committed
	if a.Kind == apps.MSI {
		m["commandLine"], m["productCode"], m["productVersion"] = nullable(a.InstallCommand), a.ProductCode, nullable(a.ProductVersion)
		m["ignoreVersionDetection"] = a.IgnoreVersionDetection
		if beta {
			m["useDeviceContext"] = a.RunAsAccount == apps.RunAsSystem
			m["identityVersion"] = nullable(a.ProductVersion)
		}
		return m
	}
	win32JSON(m, a, beta)
	return m
}

func win32JSON(m map[string]any, a apps.App, beta bool) {
	q := a.Requirements
	exp := map[string]any{"@odata.type": "#microsoft.graph.win32LobAppInstallExperience", "runAsAccount": a.RunAsAccount, "deviceRestartBehavior": a.RestartBehavior}
	if beta {
		exp["maxRunTimeInMinutes"] = a.MaxRunTimeMinutes
	}
	codes := make([]map[string]any, len(a.ReturnCodes))
	for i, c := range a.ReturnCodes {
		codes[i] = map[string]any{"@odata.type": "#microsoft.graph.win32LobAppReturnCode", "returnCode": c.Code, "type": string(c.Type)}
	}
	var msi any
	if i := a.MSIInformation; i != nil {
		msi = map[string]any{"@odata.type": "#microsoft.graph.win32LobAppMsiInformation", "productCode": nullable(i.ProductCode),
			"productVersion": nullable(i.ProductVersion), "upgradeCode": nullable(i.UpgradeCode), "requiresReboot": i.RequiresReboot,
			"packageType": i.PackageType, "productName": nullable(i.ProductName), "publisher": nullable(i.Publisher)}
	}
	for k, v := range map[string]any{
		"installCommandLine": a.InstallCommand, "uninstallCommandLine": a.UninstallCommand, "setupFilePath": nullable(a.SetupFilePath),
		"applicableArchitectures": archFlags(q.Architectures, beta), "allowedArchitectures": archFlags(q.Architectures, beta),
		"installExperience": exp, "returnCodes": codes, "msiInformation": msi, "rules": rulesJSON(a, ruleV1),
		"minimumFreeDiskSpaceInMB": nullInt(q.MinFreeDiskMB), "minimumMemoryInMB": nullInt(q.MinMemoryMB),
		"minimumNumberOfProcessors": nullInt(q.MinProcessors), "minimumCpuSpeedInMHz": nullInt(q.MinCPUSpeedMHz),
		"minimumSupportedWindowsRelease": nullable(q.MinimumOSRelease),
	} {
		m[k] = v
	}
	if !beta {
		return
	}
	osm := map[string]any{"@odata.type": "#microsoft.graph.windowsMinimumOperatingSystem"}
	for k, rel := range minimumOSKeys {
		osm[k] = rel != "" && rel == q.MinimumOSRelease
	}
	m["minimumSupportedOperatingSystem"] = osm
	m["detectionRules"] = rulesJSON(a, ruleDetection)
	m["requirementRules"] = rulesJSON(a, ruleRequirement)
	m["displayVersion"] = nullable(a.DisplayVersion)
	m["allowAvailableUninstall"] = a.AllowAvailableUninstall
}

// appTypeOK reports whether an app of kind k may be written as typ (a
// PATCH repeating the type, with or without '#').
func appTypeOK(a apps.App, typ string) bool {
	t, ok := mobileAppType(typ)
	return ok && t == a.ODataType
}

// sortedTypes lists the creatable mobileApp types for messages.
func sortedTypes() []string {
	var out []string
	for t := range mobileAppParents {
		if !abstractMobileAppTypes[t] {
			out = append(out, t)
		}
	}
	slices.Sort(out)
	return out
}
