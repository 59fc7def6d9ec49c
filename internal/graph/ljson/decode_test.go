package ljson

import (
	"errors"
	"reflect"
	"testing"
	"time"
)

// The exact bodies the WindowsAutopilotIntune PowerShell module sends.
const (
	psDeviceBody = `{ userPrincipalName: "a@b.com", addressableUserName: "A B", groupTag: "X" }`
	psESPBody    = `{
    "@odata.type": "#microsoft.graph.windows10EnrollmentCompletionPageConfiguration",
    "displayName": "ESP",
    "description": "",
    "showInstallationProgress": "True",
    "blockDeviceSetupRetryByUser": "False",
    "allowDeviceResetOnInstallFailure": "True",
    "allowLogCollectionOnInstallFailure": "True",
    "customErrorMessage": "Contact IT",
    "installProgressTimeoutInMinutes": "60",
    "allowDeviceUseOnInstallFailure": "False",
}`
	psProfileBody = `{
    "@odata.type": "#microsoft.graph.azureADWindowsAutopilotDeploymentProfile",
    "displayName": "Autopilot Profile",
    "description": "Default",
    "language": "os-default",
    "extractHardwareHash": true,
    "deviceNameTemplate": "WG-%SERIAL%",
    "deviceType": "windowsPc",
    "enableWhiteGlove": true,
    "outOfBoxExperienceSettings": {
        "@odata.type": "microsoft.graph.outOfBoxExperienceSettings",
        "hidePrivacySettings": true,
        "hideEULA": true,
        "userType": "Standard",
        "deviceUsageType": "singleUser",
        "skipKeyboardSelectionPage": false,
        "hideEscapeLink": true
    }
}`
)

func TestDecodeAccepts(t *testing.T) {
	tests := []struct {
		name   string
		schema *Schema
		body   string
		want   *Object
	}{
		{"powershell device properties", deviceSchema, psDeviceBody, &Object{Fields: map[string]any{
			"userPrincipalName": "a@b.com", "addressableUserName": "A B", "groupTag": "X"}}},
		{"powershell ESP", espSchema, psESPBody, &Object{
			Type: "microsoft.graph.windows10EnrollmentCompletionPageConfiguration",
			Fields: map[string]any{
				"displayName": "ESP", "description": "", "showInstallationProgress": true,
				"blockDeviceSetupRetryByUser": false, "allowDeviceResetOnInstallFailure": true,
				"allowLogCollectionOnInstallFailure": true, "customErrorMessage": "Contact IT",
				"installProgressTimeoutInMinutes": int64(60), "allowDeviceUseOnInstallFailure": false}}},
		{"powershell profile", profileSchema, psProfileBody, &Object{
			Type: "microsoft.graph.azureADWindowsAutopilotDeploymentProfile",
			Fields: map[string]any{
				"displayName": "Autopilot Profile", "description": "Default", "language": "os-default",
				"extractHardwareHash": true, "deviceNameTemplate": "WG-%SERIAL%", "deviceType": "windowsPc",
				"enableWhiteGlove": true,
				"outOfBoxExperienceSettings": map[string]any{
					"@odata.type":         "microsoft.graph.outOfBoxExperienceSettings",
					"hidePrivacySettings": true, "hideEULA": true, "userType": "standard",
					"deviceUsageType": "singleUser", "skipKeyboardSelectionPage": false, "hideEscapeLink": true}}}},
		{"odata type without hash", deviceSchema, `{"@odata.type": "microsoft.graph.x", "groupTag": "G"}`,
			&Object{Type: "microsoft.graph.x", Fields: map[string]any{"groupTag": "G"}}},
		{"odata type any case", deviceSchema, `{"@OData.Type": "#microsoft.graph.x"}`,
			&Object{Type: "microsoft.graph.x", Fields: map[string]any{}}},
		{"annotations ignored", deviceSchema, `{"@odata.context": "https://x/$metadata#y/$entity", "@odata.etag": "W/\"1\"",
			"@odata.id": "y('1')", "@odata.nextLink": "z", "groupTag@odata.type": "#String", "bogus@odata.navigationLink": "q",
			"groupTag": "G"}`, &Object{Fields: map[string]any{"groupTag": "G"}}},
		{"read-only echoed back", profileSchema, `{"id": "abc", "createdDateTime": "not even a date", "lastModifiedDateTime": null, "displayName": "P"}`,
			&Object{Fields: map[string]any{"displayName": "P"}}},
		{"case-insensitive names", userSchema, `{"ACCOUNTENABLED": "FALSE", "DisplayName": "Ann", "passwordprofile": {"PASSWORD": "x"}}`,
			&Object{Fields: map[string]any{"accountEnabled": false, "displayName": "Ann",
				"passwordProfile": map[string]any{"password": "x"}}}},
		{"nullable null", userSchema, `{"usageLocation": null, "ageGroup": null, "employeeHireDate": null, "managerId": null}`,
			&Object{Fields: map[string]any{"usageLocation": nil, "ageGroup": nil, "employeeHireDate": nil, "managerId": nil}}},
		{"user kinds", userSchema, `{"businessPhones": ["+1 555", ""], "employeeHireDate": "2024-03-01T09:30:00.5+02:00",
			"managerId": "0F8FAD5B-D9CB-469F-A165-70867728950E", "ageGroup": "ADULT", "accountEnabled": true}`,
			&Object{Fields: map[string]any{"businessPhones": []string{"+1 555", ""},
				"employeeHireDate": time.Date(2024, 3, 1, 7, 30, 0, 5e8, time.UTC),
				"managerId":        "0f8fad5b-d9cb-469f-a165-70867728950e", "ageGroup": "adult", "accountEnabled": true}}},
		{"binds", groupSchema, `{"displayName": "G", "Members@odata.bind": ["https://graph/v1.0/directoryObjects/1", "https://graph/v1.0/directoryObjects/2"],
			"owners@odata.bind": "https://graph/v1.0/users/3", members: ["echoed"]}`,
			&Object{Fields: map[string]any{"displayName": "G"}, Binds: map[string][]string{
				"members@odata.bind": {"https://graph/v1.0/directoryObjects/1", "https://graph/v1.0/directoryObjects/2"},
				"owners@odata.bind":  {"https://graph/v1.0/users/3"}}}},
		{"numbers", widgetSchema, `{"count": -9223372036854775808, "small": "720", "ratio": "0.25", "big": 1e300, "name": "héllo"}`,
			&Object{Fields: map[string]any{"count": int64(-9223372036854775808), "small": int64(720), "ratio": 0.25, "big": 1e300, "name": "héllo"}}},
		{"int as string and float edge", widgetSchema, `{"count": "9223372036854775807", "ratio": 1, "big": "-0"}`,
			&Object{Fields: map[string]any{"count": int64(9223372036854775807), "ratio": 1.0, "big": -0.0}}},
		{"complex array and any", widgetSchema, `{"parts": [{"password": "a"}, {}], "extra": {"k": [1, "two"]}, "tags": null}`,
			&Object{Fields: map[string]any{"parts": []map[string]any{{"password": "a"}, {}},
				"extra": Value{Type: ObjectType, Members: []Member{{Name: "k", Value: Value{Type: ArrayType,
					Items: []Value{{Type: NumberType, Text: "1"}, {Type: StringType, Text: "two"}}}}}}, "tags": nil}}},
		{"enum many", widgetSchema, `{"many": "V11", "color": "Green"}`, &Object{Fields: map[string]any{"many": "v11", "color": "green"}}},
		{"empty object", widgetSchema, `{}`, &Object{Fields: map[string]any{}}},
		{"bom and whitespace", deviceSchema, "\xEF\xBB\xBF \n{groupTag:\"X\",}\n", &Object{Fields: map[string]any{"groupTag": "X"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decode([]byte(tt.body), tt.schema)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Decode =\n%#v\nwant\n%#v", got, tt.want)
			}
		})
	}
}

func TestDecodeRejects(t *testing.T) {
	tests := []struct {
		name     string
		schema   *Schema
		body     string
		property string // want Error.Property
		msg      string // want Error.Msg exactly
	}{
		{"unknown property", userSchema, `{"foo": 1}`, "foo", `unknown property "foo" on user`},
		{"wrong bool", userSchema, `{"accountEnabled": "maybe"}`, "accountEnabled",
			`property "accountEnabled" on user: expected a boolean, found a string "maybe"`},
		{"bool as number", userSchema, `{"accountEnabled": 1}`, "accountEnabled",
			`property "accountEnabled" on user: expected a boolean, found a number 1`},
		{"string from number", userSchema, `{"displayName": 42}`, "displayName",
			`property "displayName" on user: expected a string, found a number 42`},
		{"string from bool", userSchema, `{"userPrincipalName": true}`, "userPrincipalName",
			`property "userPrincipalName" on user: expected a string, found a boolean true`},
		{"max length", userSchema, `{"displayName": "Ann Andersson"}`, "displayName",
			`property "displayName" on user: string is 13 characters long, the maximum is 10`},
		{"nul in string", userSchema, `{"userPrincipalName": "a\u0000b"}`, "userPrincipalName",
			`property "userPrincipalName" on user: string must not contain U+0000`},
		{"null not allowed", userSchema, `{"accountEnabled": null}`, "accountEnabled",
			`property "accountEnabled" on user: null is not allowed`},
		{"case duplicate", deviceSchema, `{"groupTag": "a", "GroupTag": "b"}`, "groupTag",
			`property "groupTag" on windowsAutopilotDeviceIdentity is specified more than once`},
		{"read-only duplicate", deviceSchema, `{"id": "a", "ID": "b"}`, "id",
			`property "id" on windowsAutopilotDeviceIdentity is specified more than once`},
		{"odata type twice", deviceSchema, `{"@odata.type": "a", "@ODATA.TYPE": "b"}`, "@ODATA.TYPE",
			`property "@ODATA.TYPE" on windowsAutopilotDeviceIdentity is specified more than once`},
		{"odata type not string", deviceSchema, `{"@odata.type": 5}`, "@odata.type",
			`property "@odata.type" on windowsAutopilotDeviceIdentity: expected a string, found a number 5`},
		{"bind not allowed", userSchema, `{"manager@odata.bind": "https://x/users/1"}`, "manager@odata.bind",
			`property "manager@odata.bind" on user: binding navigation properties is not supported here`},
		{"bind twice", groupSchema, `{"members@odata.bind": [], "MEMBERS@odata.bind": []}`, "MEMBERS@odata.bind",
			`property "MEMBERS@odata.bind" on group is specified more than once`},
		{"bind wrong type", groupSchema, `{"members@odata.bind": [1]}`, "members@odata.bind[0]",
			`property "members@odata.bind[0]" on group: expected a URL string or an array of URL strings, found a number 1`},
		{"bind empty", groupSchema, `{"owners@odata.bind": ""}`, "owners@odata.bind",
			`property "owners@odata.bind" on group: expected a URL string or an array of URL strings, found an empty string`},
		{"bind object", groupSchema, `{"owners@odata.bind": {}}`, "owners@odata.bind",
			`property "owners@odata.bind" on group: expected a URL string or an array of URL strings, found an object`},
		{"non-odata annotation", userSchema, `{"@microsoft.graph.conflictBehavior": "fail"}`, "@microsoft.graph.conflictBehavior",
			`unknown property "@microsoft.graph.conflictBehavior" on user`},
		{"top-level array", userSchema, `[{"displayName": "x"}]`, "",
			`request body must be a JSON object, found an array`},
		{"top-level string", userSchema, `"x"`, "", `request body must be a JSON object, found a string "x"`},
		{"first error in document order", userSchema, `{"accountEnabled": "x", "foo": 1}`, "accountEnabled",
			`property "accountEnabled" on user: expected a boolean, found a string "x"`},
		{"nested unknown", userSchema, `{"passwordProfile": {"password": "x", "hint": "y"}}`, "passwordProfile.hint",
			`unknown property "passwordProfile.hint" on user`},
		{"nested wrong type", profileSchema, `{"outOfBoxExperienceSettings": {"hideEULA": "yes"}}`, "outOfBoxExperienceSettings.hideEULA",
			`property "outOfBoxExperienceSettings.hideEULA" on azureADWindowsAutopilotDeploymentProfile: expected a boolean, found a string "yes"`},
		{"nested bind", profileSchema, `{"outOfBoxExperienceSettings": {"x@odata.bind": "u"}}`, "outOfBoxExperienceSettings.x@odata.bind",
			`property "outOfBoxExperienceSettings.x@odata.bind" on azureADWindowsAutopilotDeploymentProfile: binding navigation properties is not supported here`},
		{"complex not object", userSchema, `{"passwordProfile": "secret"}`, "passwordProfile",
			`property "passwordProfile" on user: expected an object, found a string "secret"`},
		{"enum unknown", profileSchema, `{"deviceType": "laptop"}`, "deviceType",
			`property "deviceType" on azureADWindowsAutopilotDeploymentProfile: expected one of "windowsPc", "surfaceHub2", "holoLens", "surfaceHub2S", "virtualMachine", "unknownFutureValue"; found a string "laptop"`},
		{"enum truncated", widgetSchema, `{"many": "v12"}`, "many",
			`property "many" on widget: expected one of "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", and 2 more; found a string "v12"`},
		{"enum number", widgetSchema, `{"color": 1}`, "color",
			`property "color" on widget: expected one of "red", "green", "blue"; found a number 1`},
		{"int from float", widgetSchema, `{"count": 1.5}`, "count", `property "count" on widget: expected an integer, found a number 1.5`},
		{"int from float string", widgetSchema, `{"count": "1.0"}`, "count", `property "count" on widget: expected an integer, found a string "1.0"`},
		{"int from exponent", widgetSchema, `{"count": 1e2}`, "count", `property "count" on widget: expected an integer, found a number 1e2`},
		{"int from padded string", widgetSchema, `{"count": " 60"}`, "count", `property "count" on widget: expected an integer, found a string " 60"`},
		{"int from plus string", widgetSchema, `{"count": "+60"}`, "count", `property "count" on widget: expected an integer, found a string "+60"`},
		{"int from empty string", widgetSchema, `{"count": ""}`, "count", `property "count" on widget: expected an integer, found a string ""`},
		{"int from bool", widgetSchema, `{"count": true}`, "count", `property "count" on widget: expected an integer, found a boolean true`},
		{"int overflow", widgetSchema, `{"count": 9223372036854775808}`, "count", `property "count" on widget: integer 9223372036854775808 is out of range`},
		{"int below min", widgetSchema, `{"small": 0}`, "small", `property "small" on widget: 0 is out of range (allowed: 1 to 720)`},
		{"int above max", widgetSchema, `{"small": "721"}`, "small", `property "small" on widget: 721 is out of range (allowed: 1 to 720)`},
		{"int32 above max", espSchema, `{"installProgressTimeoutInMinutes": 2147483648}`, "installProgressTimeoutInMinutes",
			`property "installProgressTimeoutInMinutes" on windows10EnrollmentCompletionPageConfiguration: 2147483648 is out of range (allowed: -2147483648 to 2147483647)`},
		{"float above max", widgetSchema, `{"ratio": 1.01}`, "ratio", `property "ratio" on widget: 1.01 is out of range (allowed: 0 to 1)`},
		{"float overflow", widgetSchema, `{"big": 1e400}`, "big", `property "big" on widget: number 1e400 is out of range`},
		{"float from word", widgetSchema, `{"big": "NaN"}`, "big", `property "big" on widget: expected a number, found a string "NaN"`},
		{"datetime bad", widgetSchema, `{"when": "2024-13-01T00:00:00Z"}`, "when",
			`property "when" on widget: expected an RFC 3339 date-time string, found a string "2024-13-01T00:00:00Z"`},
		{"datetime no zone", widgetSchema, `{"when": "2024-01-01T00:00:00"}`, "when",
			`property "when" on widget: expected an RFC 3339 date-time string, found a string "2024-01-01T00:00:00"`},
		{"datetime number", widgetSchema, `{"when": 1700000000}`, "when",
			`property "when" on widget: expected an RFC 3339 date-time string, found a number 1700000000`},
		{"guid braces", widgetSchema, `{"ref": "{0f8fad5b-d9cb-469f-a165-70867728950e}"}`, "ref",
			`property "ref" on widget: expected a GUID string (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx), found a string "{0f8fad5b-d9cb-469f-a165-70867728950e}"`},
		{"guid no dashes", widgetSchema, `{"ref": "0f8fad5bd9cb469fa16570867728950e"}`, "ref",
			`property "ref" on widget: expected a GUID string (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx), found a string "0f8fad5bd9cb469fa16570867728950e"`},
		{"guid bad hex", widgetSchema, `{"ref": "0g8fad5b-d9cb-469f-a165-70867728950e"}`, "ref",
			`property "ref" on widget: expected a GUID string (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx), found a string "0g8fad5b-d9cb-469f-a165-70867728950e"`},
		{"string array scalar", widgetSchema, `{"tags": "a"}`, "tags", `property "tags" on widget: expected an array of strings, found a string "a"`},
		{"string array element", widgetSchema, `{"tags": ["a", null]}`, "tags[1]", `property "tags[1]" on widget: expected a string, found null`},
		{"string array element length", widgetSchema, `{"tags": ["abcd"]}`, "tags[0]",
			`property "tags[0]" on widget: string is 4 characters long, the maximum is 3`},
		{"complex array element", widgetSchema, `{"parts": [{}, {"password": 1}]}`, "parts[1].password",
			`property "parts[1].password" on widget: expected a string, found a number 1`},
		{"complex array not array", widgetSchema, `{"parts": {}}`, "parts", `property "parts" on widget: expected an array of objects, found an object`},
		{"any not nullable", widgetSchema, `{"flag": true, "extra": null, "parts": null}`, "parts", `property "parts" on widget: null is not allowed`},
		{"missing nested schema", widgetSchema, `{"broken": {}}`, "broken", `property "broken" on widget: no schema for nested object`},
		{"bad kind", widgetSchema, `{"weird": 1}`, "weird", `property "weird" on widget: unsupported schema kind Kind(99)`},
		{"long string truncated", widgetSchema, `{"flag": "0123456789012345678901234567890123456789abc"}`, "flag",
			`property "flag" on widget: expected a boolean, found a string "0123456789012345678901234567890123456789…"`},
		{"unnamed schema", &Schema{Props: map[string]Prop{}}, `{"a": 1}`, "a", `unknown property "a"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obj, err := Decode([]byte(tt.body), tt.schema)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Decode = %+v, %v; want *Error", obj, err)
			}
			if e.Property != tt.property || e.Msg != tt.msg || e.Error() != tt.msg {
				t.Errorf("Decode error = {%q, %q}\nwant             {%q, %q}", e.Property, e.Msg, tt.property, tt.msg)
			}
		})
	}
}

func TestDecodeOtherErrors(t *testing.T) {
	for _, body := range []string{"", " \r\n\t ", "\xEF\xBB\xBF", "\xEF\xBB\xBF  \n"} {
		if _, err := Decode([]byte(body), userSchema); err != ErrEmptyBody {
			t.Errorf("Decode(%q) = %v, want ErrEmptyBody", body, err)
		}
	}
	_, err := Decode([]byte(`{ userPrincipalName: "a@b.com", groupTag "X" }`), deviceSchema)
	var se *SyntaxError
	if !errors.As(err, &se) || err.Error() != `invalid JSON at line 1, column 42: expected ':' after property name "groupTag"` {
		t.Errorf("syntax error = %v", err)
	}
	if _, err := Decode([]byte(`{"a":1,"a":2}`), userSchema); !errors.As(err, &se) {
		t.Errorf("exact duplicate = %v, want *SyntaxError", err)
	}
	var e *Error
	if _, err := Decode([]byte(`{}`), nil); !errors.As(err, &e) || e.Property != "" {
		t.Errorf("nil schema = %v, want *Error", err)
	}
}

func TestCanonicalAndNormalize(t *testing.T) {
	for _, tt := range []struct {
		in, want string
		ok       bool
	}{{"groupTag", "groupTag", true}, {"GROUPTAG", "groupTag", true}, {"groupTags", "", false}, {"", "", false}} {
		if got, ok := Canonical(deviceSchema, tt.in); got != tt.want || ok != tt.ok {
			t.Errorf("Canonical(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
	if _, ok := Canonical(nil, "x"); ok {
		t.Error("Canonical(nil) found a property")
	}
	for in, want := range map[string]string{
		"#microsoft.graph.user": "microsoft.graph.user", "microsoft.graph.user": "microsoft.graph.user", "": "", "#": "",
	} {
		if got := NormalizeODataType(in); got != want {
			t.Errorf("NormalizeODataType(%q) = %q, want %q", in, got, want)
		}
	}
	if Complex.String() != "Complex" || Kind(-1).String() != "Kind(-1)" || ObjectType.String() != "object" || ValueType(9).String() != "ValueType(9)" {
		t.Error("String methods")
	}
}
