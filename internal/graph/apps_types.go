package graph

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/whiteglove/whiteglove/internal/graph/ljson"
)

// mobileAppParents maps every Graph mobileApp type (beta SDK
// discriminators) to the type it derives from; "mobileApp" is the root.
// isof() filters and the types accepted on create come from it.
var mobileAppParents = map[string]string{
	"mobileLobApp": "mobileApp", "managedApp": "mobileApp", "managedMobileLobApp": "managedApp",
	"androidForWorkApp": "mobileApp", "androidManagedStoreApp": "mobileApp", "androidManagedStoreWebApp": "androidManagedStoreApp",
	"androidStoreApp": "mobileApp", "iosStoreApp": "mobileApp", "iosVppApp": "mobileApp", "iosiPadOSWebClip": "mobileApp",
	"macOSMicrosoftDefenderApp": "mobileApp", "macOSMicrosoftEdgeApp": "mobileApp", "macOSOfficeSuiteApp": "mobileApp",
	"macOSWebClip": "mobileApp", "macOsVppApp": "mobileApp", "microsoftStoreForBusinessApp": "mobileApp",
	"officeSuiteApp": "mobileApp", "webApp": "mobileApp", "winGetApp": "mobileApp", "windowsAutoUpdateCatalogApp": "mobileApp",
	"windowsMicrosoftEdgeApp": "mobileApp", "windowsPhone81StoreApp": "mobileApp", "windowsStoreApp": "mobileApp", "windowsWebApp": "mobileApp",
	"androidLobApp": "mobileLobApp", "iosLobApp": "mobileLobApp", "macOSDmgApp": "mobileLobApp", "macOSLobApp": "mobileLobApp",
	"macOSPkgApp": "mobileLobApp", "win32LobApp": "mobileLobApp", "windowsAppX": "mobileLobApp", "windowsMobileMSI": "mobileLobApp",
	"windowsPhone81AppX": "mobileLobApp", "windowsPhoneXAP": "mobileLobApp", "windowsUniversalAppX": "mobileLobApp",
	"windowsPhone81AppXBundle": "windowsPhone81AppX", "managedAndroidStoreApp": "managedApp", "managedIOSStoreApp": "managedApp",
	"managedAndroidLobApp": "managedMobileLobApp", "managedIOSLobApp": "managedMobileLobApp", "win32CatalogApp": "win32LobApp",
}

// abstractMobileAppTypes cannot be created, only filtered on.
var abstractMobileAppTypes = map[string]bool{"mobileApp": true, "mobileLobApp": true, "managedApp": true, "managedMobileLobApp": true}

// graphTypeName strips "#" and the "microsoft.graph." namespace from an
// @odata.type value.
func graphTypeName(s string) string {
	s = strings.TrimPrefix(strings.TrimSpace(s), "#")
	if len(s) > len("microsoft.graph.") && strings.EqualFold(s[:len("microsoft.graph.")], "microsoft.graph.") {
		s = s[len("microsoft.graph."):]
	}
	return s
}

// mobileAppType returns the canonical spelling of a Graph mobileApp type
// given as "#microsoft.graph.x", "microsoft.graph.x" or "x", ignoring case.
func mobileAppType(s string) (string, bool) {
	s = graphTypeName(s)
	if strings.EqualFold(s, "mobileApp") {
		return "mobileApp", true
	}
	for t := range mobileAppParents {
		if strings.EqualFold(t, s) {
			return t, true
		}
	}
	return "", false
}

// isMobileAppType reports whether typ is ancestor or is ancestor itself.
func isMobileAppType(typ, ancestor string) bool {
	for t := typ; t != ""; t = mobileAppParents[t] {
		if t == ancestor {
			return true
		}
		if t == "mobileApp" {
			break
		}
	}
	return false
}

// bodyType reads the request body once and returns it with the value of
// its top-level "@odata.type" ("" when absent). A body that is no JSON
// object is refused here, with decode's message. On failure it has
// answered.
func bodyType(w http.ResponseWriter, r *http.Request) ([]byte, string, error) {
	b, err := readBody(w, r)
	if err != nil {
		return nil, "", err
	}
	v, perr := ljson.Parse(b)
	if perr != nil || v.Type != ljson.ObjectType {
		_, err := decodeBytes(w, r, b, &ljson.Schema{})
		if err == nil { // cannot happen: decode refuses what Parse refuses
			err = errResponded
			WriteError(w, r, http.StatusBadRequest, CodeBadRequest, "The request body must be a JSON object.")
		}
		return nil, "", err
	}
	typ := ""
	for _, m := range v.Members {
		if strings.EqualFold(m.Name, "@odata.type") && m.Value.Type == ljson.StringType {
			typ = m.Value.Text
		}
	}
	return b, typ, nil
}

// decodeBytes validates a body already read by bodyType against schema,
// with decode's checks and messages.
func decodeBytes(w http.ResponseWriter, r *http.Request, b []byte, schema *ljson.Schema) (*ljson.Object, error) {
	r = r.Clone(r.Context())
	r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(b)), int64(len(b))
	r.Header.Del("Content-Encoding")
	return decode(w, r, schema)
}

// typeMismatch answers 400 for a PATCH whose @odata.type names another type.
func typeMismatch(w http.ResponseWriter, r *http.Request, given, stored string) {
	WriteError(w, r, http.StatusBadRequest, CodeBadRequest,
		fmt.Sprintf("@odata.type %q does not match the object's type #microsoft.graph.%s; the type of an object cannot change.", given, stored))
}
