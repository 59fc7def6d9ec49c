package graph

import (
	"fmt"
	"strings"

	"github.com/whiteglove/whiteglove/internal/apperr"
	"github.com/whiteglove/whiteglove/internal/apps"
	"github.com/whiteglove/whiteglove/internal/graph/ljson"
)

// applyApp copies the properties present in obj onto a (null clears);
// validation is the service's. Errors are about the shape of nested values
// (rules), as apperr.InvalidError.
func applyApp(obj *ljson.Object, a *apps.App) error {
	for k, p := range map[string]*string{
		"displayName": &a.DisplayName, "description": &a.Description, "publisher": &a.Publisher, "developer": &a.Developer,
		"owner": &a.Owner, "notes": &a.Notes, "informationUrl": &a.InformationURL, "privacyInformationUrl": &a.PrivacyInformationURL,
		"fileName": &a.FileName, "displayVersion": &a.DisplayVersion,
	} {
		if obj.Has(k) {
			*p, _ = obj.String(k)
		}
	}
	if obj.Has("isFeatured") {
		a.IsFeatured, _ = obj.Bool("isFeatured")
	}
	if obj.Has("roleScopeTagIds") {
		a.RoleScopeTagIDs, _ = obj.Strings("roleScopeTagIds")
	}
	switch a.Kind {
	case apps.MSI:
		applyMSI(obj, a)
	case apps.Win32:
		return applyWin32(obj, a)
	}
	return nil
}

func applyMSI(obj *ljson.Object, a *apps.App) {
	for k, p := range map[string]*string{"commandLine": &a.InstallCommand, "productCode": &a.ProductCode, "productVersion": &a.ProductVersion} {
		if obj.Has(k) {
			*p, _ = obj.String(k)
		}
	}
	if obj.Has("ignoreVersionDetection") {
		a.IgnoreVersionDetection, _ = obj.Bool("ignoreVersionDetection")
	}
	if obj.Has("useDeviceContext") {
		// null: the MSI's default context, per user for a dual-mode MSI.
		a.RunAsAccount = apps.RunAsUser
		if v, _ := obj.Bool("useDeviceContext"); v {
			a.RunAsAccount = apps.RunAsSystem
		}
	}
}

func applyWin32(obj *ljson.Object, a *apps.App) error {
	for k, p := range map[string]*string{
		"installCommandLine": &a.InstallCommand, "uninstallCommandLine": &a.UninstallCommand, "setupFilePath": &a.SetupFilePath,
	} {
		if obj.Has(k) {
			*p, _ = obj.String(k)
		}
	}
	if obj.Has("allowAvailableUninstall") {
		a.AllowAvailableUninstall, _ = obj.Bool("allowAvailableUninstall")
	}
	if obj.Has("installExperience") {
		exp, _ := obj.Map("installExperience")
		a.RunAsAccount, _ = exp["runAsAccount"].(string)
		a.RestartBehavior, _ = exp["deviceRestartBehavior"].(string)
		n, _ := exp["maxRunTimeInMinutes"].(int64)
		a.MaxRunTimeMinutes = int(n)
	}
	if err := applyRequirements(obj, &a.Requirements); err != nil {
		return err
	}
	if obj.Has("returnCodes") {
		items, _ := obj.Maps("returnCodes")
		a.ReturnCodes = make([]apps.ReturnCode, len(items))
		for i, it := range items {
			code, _ := it["returnCode"].(int64)
			typ, _ := it["type"].(string)
			if _, ok := it["returnCode"]; !ok || typ == "" {
				return apperr.Invalid("returnCodes[%d] needs returnCode and type", i)
			}
			a.ReturnCodes[i] = apps.ReturnCode{Code: int32(code), Type: apps.ReturnCodeType(typ)}
		}
	}
	if obj.Has("msiInformation") {
		a.MSIInformation = nil
		if m, ok := obj.Map("msiInformation"); ok {
			s := func(k string) string { v, _ := m[k].(string); return v }
			reboot, _ := m["requiresReboot"].(bool)
			a.MSIInformation = &apps.MSIInformation{ProductCode: s("productCode"), ProductVersion: s("productVersion"), UpgradeCode: s("upgradeCode"),
				RequiresReboot: reboot, PackageType: s("packageType"), ProductName: s("productName"), Publisher: s("publisher")}
		}
	}
	return applyRules(obj, a)
}

// applyRequirements copies the requirement properties present in obj.
func applyRequirements(obj *ljson.Object, q *apps.Requirements) error {
	for _, f := range []struct {
		name string
		p    *int
	}{{"minimumFreeDiskSpaceInMB", &q.MinFreeDiskMB}, {"minimumMemoryInMB", &q.MinMemoryMB},
		{"minimumNumberOfProcessors", &q.MinProcessors}, {"minimumCpuSpeedInMHz", &q.MinCPUSpeedMHz}} {
		if obj.Has(f.name) {
			n, err := anyInt(obj, f.name)
			if err != nil {
				return err
			}
			*f.p = n
		}
	}
	if m, ok := obj.Map("minimumSupportedOperatingSystem"); ok {
		q.MinimumOSRelease = ""
		for _, key := range []string{"v10_0", "v10_1607", "v10_1703", "v10_1709", "v10_1803", "v10_1809", "v10_1903", "v10_1909", "v10_2004", "v10_2H20", "v10_21H1"} {
			if on, _ := m[key].(bool); on && q.MinimumOSRelease == "" {
				q.MinimumOSRelease = minimumOSKeys[key]
			}
		}
	}
	if obj.Has("minimumSupportedWindowsRelease") {
		q.MinimumOSRelease, _ = obj.String("minimumSupportedWindowsRelease")
	}
	// allowedArchitectures supersedes applicableArchitectures when both come.
	for _, k := range []string{"applicableArchitectures", "allowedArchitectures"} {
		if v, ok := obj.String(k); ok && (k == "applicableArchitectures" || !strings.EqualFold(strings.TrimSpace(v), "none")) {
			q.Architectures = strings.Split(v, ",")
		} else if obj.IsNull(k) && k == "applicableArchitectures" {
			q.Architectures = nil
		}
	}
	return nil
}

// applyRules replaces the rule sets given: "rules" both, the beta
// detectionRules and requirementRules one each.
func applyRules(obj *ljson.Object, a *apps.App) error {
	if obj.Has("rules") && (obj.Has("detectionRules") || obj.Has("requirementRules")) {
		return apperr.Invalid("give rules, or detectionRules and requirementRules, not both")
	}
	for _, f := range []struct {
		name   string
		family ruleFamily
	}{{"rules", ruleV1}, {"detectionRules", ruleDetection}, {"requirementRules", ruleRequirement}} {
		if !obj.Has(f.name) {
			continue
		}
		items, _ := obj.Maps(f.name)
		det, req, err := parseRules(items, f.family, f.name)
		if err != nil {
			return apperr.Invalid("%v", err)
		}
		if f.family != ruleRequirement {
			a.DetectionRules = det
		}
		if f.family != ruleDetection {
			a.Requirements.Rules = req
		}
	}
	return nil
}

// unsupportedTypeMessage explains why an @odata.type cannot be created.
func unsupportedTypeMessage(typ string) string {
	if t, ok := mobileAppType(typ); ok && abstractMobileAppTypes[t] {
		return fmt.Sprintf("@odata.type %q is abstract; name the app's concrete type, such as #microsoft.graph.win32LobApp.", typ)
	}
	return fmt.Sprintf("@odata.type %q is not a mobileApp type; use one of #microsoft.graph.%s.", typ, strings.Join(sortedTypes(), ", #microsoft.graph."))
}
