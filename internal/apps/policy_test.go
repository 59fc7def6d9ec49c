package apps_test

import (
	"context"
	"strings"
	"testing"

	"github.com/whiteglove/whiteglove/internal/apps"
	"github.com/whiteglove/whiteglove/internal/assign"
	"github.com/whiteglove/whiteglove/internal/store"
	"github.com/whiteglove/whiteglove/internal/store/storetest"
)

func customPolicy(name string, settings ...apps.OMASetting) apps.Policy {
	return apps.Policy{Kind: apps.CustomSettings, DisplayName: name, Settings: settings}
}

var (
	cameraOff = apps.OMASetting{Type: apps.OMAInteger, DisplayName: "Camera", OMAURI: "./Device/Vendor/MSFT/Policy/Config/Camera/AllowCamera", Value: " 0"}
	wlidOff   = apps.OMASetting{Type: apps.OMAInteger, DisplayName: "No MSA assistant", OMAURI: "./Vendor/MSFT/Policy/Config/Accounts/AllowMicrosoftAccountSignInAssistant", Value: "0"}
)

func TestPolicies(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		custom, err := e.svc.CreatePolicy(ctx, customPolicy("Camera off", cameraOff))
		if err != nil || custom.Kind != apps.CustomSettings || custom.Version != 1 || custom.Settings[0].Value != "0" ||
			custom.Tracked() || custom.DisablesSigninAssistant() || custom.Context() != apps.RunAsSystem {
			t.Fatalf("custom = %+v, %v", custom, err)
		}
		// Adding the wlidsvc setting makes it a sign-in assistant policy, and back.
		u, err := e.svc.UpdatePolicy(ctx, custom.ID, func(p *apps.Policy) error { p.Settings = append(p.Settings, wlidOff); return nil })
		if err != nil || u.Kind != apps.SigninAssistant || !u.DisablesSigninAssistant() || u.Version != 2 {
			t.Fatalf("with wlidsvc off = %+v, %v", u, err)
		}
		u, err = e.svc.UpdatePolicy(ctx, custom.ID, func(p *apps.Policy) error { p.Settings[1].Value = "1"; return nil })
		if err != nil || u.Kind != apps.CustomSettings || u.DisablesSigninAssistant() || u.Version != 3 {
			t.Fatalf("with wlidsvc allowed = %+v, %v", u, err)
		}
		cert, err := e.svc.CreatePolicy(ctx, apps.Policy{Kind: apps.Certificate, DisplayName: "Device cert",
			Certificate: &apps.CertificateProfile{SubjectTemplate: "CN={{DeviceName}},O=Contoso", ExtendedKeyUsages: []apps.ExtendedKeyUsage{{Name: "Client Authentication", OID: "1.3.6.1.5.5.7.3.2"}}}})
		if err != nil || !cert.Tracked() || cert.Certificate.SubjectNameFormat != "custom" || cert.Certificate.EffectiveSubject() != "CN={{DeviceName}},O=Contoso" ||
			cert.Certificate.KeyStorageProvider != "useTpmKspOtherwiseUseSoftwareKsp" || cert.Certificate.ValidityScale != "years" || cert.Certificate.Store != "machine" {
			t.Fatalf("certificate = %+v, %v", cert, err)
		}
		wifi, err := e.svc.CreatePolicy(ctx, apps.Policy{Kind: apps.WiFi, DisplayName: "Office Wi-Fi", WiFi: &apps.WiFiProfile{SSID: "Contoso", PreSharedKey: "correct horse battery"}})
		if err != nil || !wifi.Tracked() || wifi.WiFi.NetworkName != "Contoso" || wifi.WiFi.SecurityType != "wpa2Personal" {
			t.Fatalf("wifi = %+v, %v", wifi, err)
		}
		vpn, err := e.svc.CreatePolicy(ctx, apps.Policy{Kind: apps.VPN, DisplayName: "VPN", VPN: &apps.VPNProfile{ConnectionName: "Contoso VPN",
			Servers: []apps.VPNServer{{Address: "vpn.contoso.example", Default: true}}, DNSSuffixes: []string{"corp.contoso.example"}}})
		if err != nil || !vpn.Tracked() || vpn.VPN.ConnectionType != "ikEv2" || vpn.Context() != apps.RunAsUser {
			t.Fatalf("vpn = %+v, %v", vpn, err)
		}
		// The Graph type cannot change; a refused update writes nothing.
		_, err = e.svc.UpdatePolicy(ctx, wifi.ID, func(p *apps.Policy) error {
			p.Kind, p.WiFi, p.Settings = apps.CustomSettings, nil, []apps.OMASetting{cameraOff}
			return nil
		})
		invalid(t, err, "cannot become")
		_, err = e.svc.UpdatePolicy(ctx, wifi.ID, func(p *apps.Policy) error { p.WiFi.PreSharedKey = "short"; return nil })
		invalid(t, err, "preSharedKey")
		if got, _ := e.svc.Policy(ctx, wifi.ID); got.Version != 1 || got.WiFi.PreSharedKey != "correct horse battery" {
			t.Fatalf("refused updates wrote: %+v", got.WiFi)
		}
		g := e.group("devices")
		as, err := e.svc.AssignPolicy(ctx, cert.ID, []apps.Assignment{{Target: assign.Target{Kind: assign.Group, GroupID: g}}, {Target: assign.Target{Kind: assign.AllDevices}}})
		if err != nil || len(as) != 2 {
			t.Fatalf("assign policy: %v %v", as, err)
		}
		_, err = e.svc.AssignPolicy(ctx, cert.ID, []apps.Assignment{{Target: assign.Target{Kind: assign.Group, GroupID: "0d2f1c5e-1111-4222-8333-444455556666"}}})
		invalid(t, err, "assignments[0].target: group")
		if got, _ := e.svc.Policy(ctx, cert.ID); len(got.Assignments) != 2 {
			t.Fatalf("refused assign changed the set: %+v", got.Assignments)
		}
		if err := e.svc.DeletePolicyAssignment(ctx, cert.ID, as[1].ID); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.PolicyAssignment(ctx, cert.ID, as[0].ID); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.DeletePolicy(ctx, cert.ID); err != nil {
			t.Fatal(err)
		}
		ps, err := e.svc.Policies(ctx)
		if err != nil || len(ps) != 3 || ps[0].ID != custom.ID {
			t.Fatalf("policies = %+v, %v", ps, err)
		}
	})
}

func TestScripts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		sc, err := e.svc.CreateScript(ctx, apps.Script{DisplayName: "Rename", FileName: "Rename.ps1", Content: []byte("Rename-Computer -NewName PC01\n")})
		if err != nil || sc.RunAsAccount != apps.RunAsSystem || strings.Join(sc.RoleScopeTagIDs, ",") != "0" {
			t.Fatalf("script = %+v, %v", sc, err)
		}
		_, err = e.svc.CreateScript(ctx, apps.Script{DisplayName: "Bad", FileName: "bad.cmd", Content: []byte("x")})
		invalid(t, err, "fileName")
		_, err = e.svc.CreateScript(ctx, apps.Script{DisplayName: "Empty", FileName: "e.ps1"})
		invalid(t, err, "scriptContent is required")
		u, err := e.svc.UpdateScript(ctx, sc.ID, func(s *apps.Script) error { s.RunAsAccount = apps.RunAsUser; s.RunAs32Bit = true; return nil })
		if err != nil || u.RunAsAccount != apps.RunAsUser || !u.RunAs32Bit || string(u.Content) != string(sc.Content) {
			t.Fatalf("update = %+v, %v", u, err)
		}
		a, err := e.svc.AddScriptAssignment(ctx, sc.ID, apps.Assignment{Target: assign.Target{Kind: assign.AllLicensedUsers}})
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := e.svc.ScriptAssignment(ctx, sc.ID, a.ID); got.Target.Kind != assign.AllLicensedUsers {
			t.Fatalf("script assignment = %+v", got)
		}
		c, err := e.svc.Snapshot(ctx)
		if err != nil || len(c.Scripts) != 1 || len(c.Scripts[0].Assignments) != 1 || c.Version != 3 {
			t.Fatalf("snapshot = %+v, %v", c, err)
		}
		if err := e.svc.DeleteScript(ctx, sc.ID); err != nil {
			t.Fatal(err)
		}
		if ss, _ := e.svc.Scripts(ctx); len(ss) != 0 {
			t.Fatalf("scripts after delete = %v", ss)
		}
	})
}
