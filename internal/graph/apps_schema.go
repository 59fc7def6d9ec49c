package graph

import (
	"math"
	"strconv"
	"strings"

	"github.com/whiteglove/whiteglove/internal/apperr"

	"github.com/whiteglove/whiteglove/internal/apps"
	"github.com/whiteglove/whiteglove/internal/graph/ljson"
	"github.com/whiteglove/whiteglove/internal/graph/odata"
)

// Enum values shared by the app schemas.
var (
	ruleOperators   = []string{"notConfigured", "equal", "notEqual", "greaterThan", "greaterThanOrEqual", "lessThan", "lessThanOrEqual"}
	runAsAccounts   = []string{apps.RunAsSystem, apps.RunAsUser}
	restartBehavior = []string{apps.RestartBasedOnReturnCode, apps.RestartAllow, apps.RestartSuppress, apps.RestartForce}
	returnCodeTypes = []string{"failed", "success", "softReboot", "hardReboot", "retry"}
	// minimumOSKeys maps windowsMinimumOperatingSystem's properties to the
	// release each stands for ("" = no requirement beyond Windows 10).
	minimumOSKeys = map[string]string{"v8_0": "", "v8_1": "", "v10_0": "", "v10_1607": "1607", "v10_1703": "1703",
		"v10_1709": "1709", "v10_1803": "1803", "v10_1809": "1809", "v10_1903": "1903", "v10_1909": "1909",
		"v10_2004": "2004", "v10_2H20": "20H2", "v10_21H1": "21H1"}
)

func nstr(n int) ljson.Prop       { return ljson.Prop{Kind: ljson.String, MaxLen: n, Nullable: true} }
func nbool() ljson.Prop           { return ljson.Prop{Kind: ljson.Bool, Nullable: true} }
func nenum(e []string) ljson.Prop { return ljson.Prop{Kind: ljson.Enum, Enum: e, Nullable: true} }
func nint(lo, hi int64) ljson.Prop {
	return ljson.Prop{Kind: ljson.Int, Min: i64(lo), Max: i64(hi), Nullable: true}
}

var int32Prop = ljson.Prop{Kind: ljson.Int, Min: i64(math.MinInt32), Max: i64(math.MaxInt32)}

// lenientInt is an Int32 that may also arrive as "" or "null" (meaning
// null); anyInt converts it.
var lenientInt = ljson.Prop{Kind: ljson.Any, Nullable: true}

// anyInt reads a lenientInt property: a number, a string holding one, or
// null/""/"null" (0).
func anyInt(obj *ljson.Object, name string) (int, error) {
	v, ok := obj.Raw(name)
	if !ok {
		return 0, nil
	}
	text := strings.TrimSpace(v.Text)
	switch {
	case v.Type == ljson.NullType, v.Type == ljson.StringType && (text == "" || strings.EqualFold(text, "null")):
		return 0, nil
	case v.Type == ljson.NumberType || v.Type == ljson.StringType:
		n, err := strconv.ParseInt(text, 10, 32)
		if err == nil && n >= 0 {
			return int(n), nil
		}
	}
	return 0, apperr.Invalid("%s must be a whole number of at least 0, not %s", name, strconv.Quote(v.Text))
}

// mobileAppBaseProps are mobileApp's properties (and mobileLobApp's when
// lob); read-only ones are accepted and ignored, as clients echo them.
func mobileAppBaseProps(beta, lob bool) map[string]ljson.Prop {
	p := map[string]ljson.Prop{
		"displayName": {Kind: ljson.String}, "description": nstr(0), "publisher": nstr(0), "developer": nstr(0),
		"owner": nstr(0), "notes": nstr(0), "informationUrl": nstr(0), "privacyInformationUrl": nstr(0),
		"isFeatured": nbool(),
		// Icons are not stored: accepted so uploads from other tenants work.
		"largeIcon": readOnly,
		"id":        readOnly, "createdDateTime": readOnly, "lastModifiedDateTime": readOnly, "publishingState": readOnly,
	}
	if beta {
		p["roleScopeTagIds"] = ljson.Prop{Kind: ljson.StringArray, MaxLen: 64, Nullable: true}
		for _, k := range []string{"uploadState", "isAssigned", "dependentAppCount", "supersedingAppCount", "supersededAppCount"} {
			p[k] = readOnly
		}
	}
	if lob {
		p["fileName"] = nstr(0)
		p["size"], p["committedContentVersion"] = readOnly, readOnly
	}
	return p
}

func newWin32Schema(beta bool) *ljson.Schema {
	p := mobileAppBaseProps(beta, true)
	exp := map[string]ljson.Prop{"runAsAccount": nenum(runAsAccounts), "deviceRestartBehavior": nenum(restartBehavior)}
	if beta {
		exp["maxRunTimeInMinutes"] = nint(1, apps.MaxRunTimeMinutes)
	}
	for k, v := range map[string]ljson.Prop{
		"installCommandLine": nstr(0), "uninstallCommandLine": nstr(0), "setupFilePath": nstr(0),
		"applicableArchitectures": nstr(100), "allowedArchitectures": nstr(100),
		"installExperience": {Kind: ljson.Complex, Nullable: true, Schema: &ljson.Schema{Name: "win32LobAppInstallExperience", Props: exp}},
		// IntuneWin32App sends "" for the minimums it was not given.
		"minimumFreeDiskSpaceInMB": lenientInt, "minimumMemoryInMB": lenientInt,
		"minimumNumberOfProcessors": lenientInt, "minimumCpuSpeedInMHz": lenientInt,
		// IntuneWin32App sends this long-gone property; it has no effect.
		"runAs32Bit":                     readOnly,
		"minimumSupportedWindowsRelease": nstr(10),
		"msiInformation":                 {Kind: ljson.Complex, Nullable: true, Schema: msiInformationSchema},
		"returnCodes":                    {Kind: ljson.ComplexArray, Nullable: true, Schema: returnCodeSchema},
		"rules":                          {Kind: ljson.ComplexArray, Nullable: true, Schema: ruleUnionSchema(ruleV1)},
	} {
		p[k] = v
	}
	if beta {
		osProps := map[string]ljson.Prop{}
		for k := range minimumOSKeys {
			osProps[k] = nbool()
		}
		p["detectionRules"] = ljson.Prop{Kind: ljson.ComplexArray, Nullable: true, Schema: ruleUnionSchema(ruleDetection)}
		p["requirementRules"] = ljson.Prop{Kind: ljson.ComplexArray, Nullable: true, Schema: ruleUnionSchema(ruleRequirement)}
		p["minimumSupportedOperatingSystem"] = ljson.Prop{Kind: ljson.Complex, Nullable: true, Schema: &ljson.Schema{Name: "windowsMinimumOperatingSystem", Props: osProps}}
		p["displayVersion"] = nstr(0)
		p["allowAvailableUninstall"] = nbool()
	}
	return &ljson.Schema{Name: "win32LobApp", Props: p}
}

var msiInformationSchema = &ljson.Schema{Name: "win32LobAppMsiInformation", Props: map[string]ljson.Prop{
	"productCode": nstr(64), "productVersion": nstr(64), "upgradeCode": nstr(64), "requiresReboot": nbool(),
	"packageType": nenum([]string{"perMachine", "perUser", "dualPurpose"}), "productName": nstr(256), "publisher": nstr(256),
}}

var returnCodeSchema = &ljson.Schema{Name: "win32LobAppReturnCode", Props: map[string]ljson.Prop{
	"returnCode": int32Prop, "type": {Kind: ljson.Enum, Enum: returnCodeTypes},
}}

func newMSISchema(beta bool) *ljson.Schema {
	p := mobileAppBaseProps(beta, true)
	p["commandLine"], p["productCode"], p["productVersion"] = nstr(0), nstr(0), nstr(0)
	p["ignoreVersionDetection"] = nbool()
	if beta {
		p["useDeviceContext"] = nbool()
		p["identityVersion"] = readOnly // whiteglove reports productVersion
	}
	return &ljson.Schema{Name: "windowsMobileMSI", Props: p}
}

// newOtherAppSchema accepts the mobileApp properties of a type whiteglove
// lists but does not install.
func newOtherAppSchema(beta bool) *ljson.Schema {
	return &ljson.Schema{Name: "mobileApp", Props: mobileAppBaseProps(beta, false)}
}

// mobileAppSchemas are the request schemas by app kind and "is beta".
var mobileAppSchemas = map[apps.Kind]map[bool]*ljson.Schema{
	apps.Win32:       {false: newWin32Schema(false), true: newWin32Schema(true)},
	apps.MSI:         {false: newMSISchema(false), true: newMSISchema(true)},
	apps.Unsupported: {false: newOtherAppSchema(false), true: newOtherAppSchema(true)},
}

// mobileAppQueries are the $filter/$select schemas, keyed by "is beta".
var mobileAppQueries = map[bool]odata.Schema{false: newMobileAppQuery(false), true: newMobileAppQuery(true)}

func newMobileAppQuery(beta bool) odata.Schema {
	q := odata.Schema{
		"id": odata.String, "displayName": odata.String, "description": odata.String, "publisher": odata.String,
		"developer": odata.String, "owner": odata.String, "notes": odata.String, "isFeatured": odata.Bool,
		"publishingState": odata.Enum, "createdDateTime": odata.DateTime, "lastModifiedDateTime": odata.DateTime,
		"fileName": odata.String, "size": odata.Int, "installCommandLine": odata.String, "uninstallCommandLine": odata.String,
		"productCode": odata.String, "productVersion": odata.String,
	}
	if beta {
		q["isAssigned"] = odata.Bool
		q["roleScopeTagIds"] = odata.StringCollection
		q["displayVersion"] = odata.String
	}
	return q
}
