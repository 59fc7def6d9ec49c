package server_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
)

const espBase = "/beta/deviceManagement/deviceEnrollmentConfigurations"

// TestESPOverGraph walks the Enrollment Status Page profiles end to end:
// the default from first start, the PowerShell module's bodies, priorities,
// assignment to a real group, and refusals that write nothing.
func TestESPOverGraph(t *testing.T) {
	eachBackend(t, true, func(t *testing.T, e *env) {
		tok := e.appToken()
		code, body := e.call("GET", "/v1.0/deviceManagement/deviceEnrollmentConfigurations", tok, nil)
		if code != 200 {
			t.Fatalf("list: %d %v", code, body)
		}
		items := values(t, body)
		if len(items) != 1 || items[0]["@odata.type"] != "#microsoft.graph.windows10EnrollmentCompletionPageConfiguration" ||
			items[0]["id"] != e.srv.Tenant.ID+"_DefaultWindows10EnrollmentCompletionPageConfiguration" || items[0]["priority"] != 0.0 {
			t.Fatalf("default profile = %v", items)
		}
		if _, ok := items[0]["showInstallationProgress"]; ok {
			t.Fatalf("v1.0 shows a beta-only property: %v", items[0])
		}
		// Add-EnrollmentStatusPage, gzip-compressed as the SDKs send bodies.
		add := `{"@odata.type": "#microsoft.graph.windows10EnrollmentCompletionPageConfiguration", "displayName": "Kiosk ESP",
			"showInstallationProgress": "True", "installProgressTimeoutInMinutes": "90", "allowLogCollectionOnInstallFailure": "True",}`
		req, _ := http.NewRequest("POST", e.url+espBase, bytes.NewReader(gz(t, add)))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Content-Encoding", "gzip")
		code, kiosk := e.do(req)
		if code != 201 || kiosk["installProgressTimeoutInMinutes"] != 90.0 || kiosk["showInstallationProgress"] != true || kiosk["priority"] != 1.0 {
			t.Fatalf("create: %d %v", code, kiosk)
		}
		kid := kiosk["id"].(string)
		code, other := e.call("POST", espBase, tok, `{"@odata.type":"#microsoft.graph.windows10EnrollmentCompletionPageConfiguration","displayName":"Other"}`)
		if code != 201 || other["priority"] != 2.0 {
			t.Fatalf("second create: %d %v", code, other)
		}
		if code, body := e.call("POST", espBase+"/"+other["id"].(string)+"/setPriority", tok, map[string]any{"priority": 1}); code != 204 {
			t.Fatalf("setPriority: %d %v", code, body)
		}
		if _, body := e.call("GET", espBase+"/"+kid+"?$select=priority", tok, nil); body["priority"] != 2.0 {
			t.Fatalf("kiosk after setPriority = %v", body)
		}
		// Assign to a real group; read it back with the exact target type.
		code, grp := e.call("POST", "/v1.0/groups", tok, map[string]any{"displayName": "Kiosks", "mailEnabled": false, "mailNickname": "kiosks", "securityEnabled": true})
		if code != 201 {
			t.Fatalf("group: %d %v", code, grp)
		}
		assign := `{"enrollmentConfigurationAssignments":[{"target":{"@odata.type":"microsoft.graph.groupAssignmentTarget","groupId":"` + grp["id"].(string) + `"}}]}`
		if code, body := e.call("POST", espBase+"/"+kid+"/assign", tok, assign); code != 204 {
			t.Fatalf("assign: %d %v", code, body)
		}
		_, body = e.call("GET", espBase+"/"+kid+"/assignments", tok, nil)
		as := values(t, body)
		if len(as) != 1 || as[0]["target"].(map[string]any)["@odata.type"] != "#microsoft.graph.groupAssignmentTarget" {
			t.Fatalf("assignments = %v", as)
		}
		// Refusals name the problem and write nothing.
		for _, c := range []struct{ method, path, body, want string }{
			{"POST", espBase, `{"@odata.type":"#microsoft.graph.deviceEnrollmentLimitConfiguration","displayName":"L"}`, "not supported by whiteglove"},
			{"POST", espBase, `{"@odata.type":"#microsoft.graph.windows10EnrollmentCompletionPageConfiguration","displayName":"T","installProgressTimeoutInMinutes":"0"}`, "installProgressTimeoutInMinutes"},
			{"PATCH", espBase + "/" + kid, `{"selectedMobileAppIds":["not-a-guid"]}`, "selectedMobileAppIds"},
			{"DELETE", espBase + "/" + items[0]["id"].(string), "", "cannot be deleted"},
		} {
			var b any
			if c.body != "" {
				b = c.body
			}
			code, body := e.call(c.method, c.path, tok, b)
			if code != 400 || !strings.Contains(errMsg(body), c.want) {
				t.Errorf("%s %s: %d %q, want 400 naming %q", c.method, c.path, code, errMsg(body), c.want)
			}
		}
		_, body = e.call("GET", espBase+"?$count=true", tok, nil)
		if n := len(values(t, body)); n != 3 {
			t.Fatalf("%d profiles after refused requests, want 3", n)
		}
		// Technicians may not read ESP profiles.
		if code, _ := e.call("GET", espBase, e.userToken("tech@contoso.example"), nil); code != 403 {
			t.Fatalf("technician list: %d", code)
		}
	})
}
