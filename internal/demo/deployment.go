package demo

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"

	"github.com/whiteglove/whiteglove/internal/apps"
	"github.com/whiteglove/whiteglove/internal/assign"
	"github.com/whiteglove/whiteglove/internal/autopilot"
	"github.com/whiteglove/whiteglove/internal/content"
	"github.com/whiteglove/whiteglove/internal/directory"
	"github.com/whiteglove/whiteglove/internal/esp"
)

// Services are what SeedDeployment writes through.
type Services struct {
	Directory *directory.Service
	Autopilot *autopilot.Service
	ESP       *esp.Service
	Catalog   *apps.Service
	Content   *content.Store
}

// Deployment names what SeedDeployment made.
type Deployment struct {
	DevicesGroup string // "Autopilot devices" (every registered device)
	SalesGroup   string // "Sales users"
	ProfileID    string
	ESPID        string
	Apps         map[string]string // display name → id
	Policies     map[string]string
	Scripts      map[string]string
}

// Demo app and policy names.
const (
	AppTools    = "Contoso Tools"
	AppVPN      = "Contoso VPN Client"
	AppNotes    = "Contoso Notes"
	PolicyBase  = "Contoso security baseline"
	PolicyCert  = "Contoso device certificate"
	PolicyWiFi  = "Contoso Wi-Fi"
	ScriptClock = "Set the time zone"
	// VPNProductCode is the demo MSI's product code.
	VPNProductCode = "{5A1B6C1E-2D3F-4A5B-8C7D-9E0F1A2B3C4D}"
	// InstallLog is where every demo installer appends one line per run
	// (under the device's emulated C: drive), so tests and people can see
	// that each install ran exactly once.
	InstallLog = `C:\ProgramData\Contoso\installs.log`
)

// SeedDeployment makes a whole pre-provisioned deployment (each piece only
// when no object of its name exists, so a failed start resumes): a
// deployment profile with pre-provisioning for every Autopilot device, a
// device-targeted ESP profile that blocks on the tools app, three real app
// packages (a Win32 app and an MSI-style app in system context for the
// devices, a user-context app for Sales users), a settings baseline, a
// device certificate, a Wi-Fi profile and a script. Its installers run on
// the device client and write real files and registry values.
func SeedDeployment(ctx context.Context, s Services) (Deployment, error) {
	d, err := find(ctx, s)
	if err != nil {
		return d, err
	}
	return d, seedDeployment(ctx, s, &d)
}

// find looks up the demo groups and what an earlier seeding made.
func find(ctx context.Context, s Services) (Deployment, error) {
	d := Deployment{Apps: map[string]string{}, Policies: map[string]string{}, Scripts: map[string]string{}}
	gs, err := s.Directory.Store().Groups(ctx)
	if err != nil {
		return d, err
	}
	for _, g := range gs {
		switch g.DisplayName {
		case "Autopilot devices":
			d.DevicesGroup = g.ID
		case "Sales users":
			d.SalesGroup = g.ID
		}
	}
	if d.DevicesGroup == "" || d.SalesGroup == "" {
		return d, fmt.Errorf("the demo groups are missing: seed the demo tenant first")
	}
	as, err := s.Catalog.Apps(ctx)
	if err != nil {
		return d, err
	}
	for _, a := range as {
		d.Apps[a.DisplayName] = a.ID
	}
	ps, err := s.Catalog.Policies(ctx)
	if err != nil {
		return d, err
	}
	for _, p := range ps {
		d.Policies[p.DisplayName] = p.ID
	}
	ss, err := s.Catalog.Scripts(ctx)
	if err != nil {
		return d, err
	}
	for _, sc := range ss {
		d.Scripts[sc.DisplayName] = sc.ID
	}
	profs, err := s.Autopilot.Store().Profiles(ctx)
	if err != nil {
		return d, err
	}
	for _, p := range profs {
		if p.DisplayName == "Contoso pre-provisioned" {
			d.ProfileID = p.ID
		}
	}
	eps, err := s.ESP.Profiles(ctx)
	if err != nil {
		return d, err
	}
	for _, p := range eps {
		if p.DisplayName == "Contoso devices ESP" {
			d.ESPID = p.ID
		}
	}
	return d, nil
}

func seedDeployment(ctx context.Context, s Services, d *Deployment) error {
	devices := assign.Target{Kind: assign.Group, GroupID: d.DevicesGroup}
	sales := assign.Target{Kind: assign.Group, GroupID: d.SalesGroup}
	if d.ProfileID == "" {
		prof, err := s.Autopilot.CreateProfile(ctx, autopilot.Profile{
			Kind: autopilot.KindAzureAD, DisplayName: "Contoso pre-provisioned", Description: "User-driven Entra join with pre-provisioning (demo)",
			PreprovisioningAllowed: true, DeviceNameTemplate: "CONTOSO-%SERIAL%",
			OOBE: autopilot.OOBE{DeviceUsageType: "singleUser", UserType: "standard", PrivacySettingsHidden: true, EulaHidden: true},
		})
		if err != nil {
			return fmt.Errorf("creating the demo profile: %w", err)
		}
		d.ProfileID = prof.ID
		if _, err := s.Autopilot.AddAssignment(ctx, autopilot.ProfileAssignment{ProfileID: prof.ID, TargetKind: string(assign.Group), GroupID: d.DevicesGroup}); err != nil {
			return fmt.Errorf("assigning the demo profile: %w", err)
		}
	}

	tools, err := addApp(ctx, s, d, apps.App{
		Kind: apps.Win32, DisplayName: AppTools, Publisher: "Contoso", DisplayVersion: "1.4.0", RunAsAccount: apps.RunAsSystem,
		InstallCommand: "sh install.sh", UninstallCommand: "sh uninstall.sh", FileName: "contoso-tools.zip",
		DetectionRules: []apps.Rule{{Type: apps.RuleFile, Path: `C:\Program Files\Contoso\Tools`, FileOrFolderName: "tools.txt", Operation: apps.OpExists}},
	}, Package(AppTools, "1.4.0", `mkdir -p "$ProgramFiles/Contoso/Tools" "$ProgramData/Contoso"
echo "Contoso Tools 1.4.0" > "$ProgramFiles/Contoso/Tools/tools.txt"
echo "1.4.0.0" > "$ProgramFiles/Contoso/Tools/tools.txt.version"
echo "Contoso Tools" >> "$ProgramData/Contoso/installs.log"
`), devices, "")
	if err != nil {
		return err
	}
	d.Apps[AppTools] = tools
	vpn, err := addApp(ctx, s, d, apps.App{
		Kind: apps.MSI, DisplayName: AppVPN, Publisher: "Contoso", ProductCode: VPNProductCode, ProductVersion: "2.1.0",
		InstallCommand: "/qn", FileName: "contoso-vpn.msi", RunAsAccount: apps.RunAsSystem,
	}, Package(AppVPN, "2.1.0", `mkdir -p "$ProgramFiles/Contoso/VPN" "$ProgramData/Contoso"
echo "vpn" > "$ProgramFiles/Contoso/VPN/vpnclient.txt"
"$WHITEGLOVE" reg add 'HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\`+VPNProductCode+`' /v DisplayName /d "Contoso VPN Client" /f >/dev/null
"$WHITEGLOVE" reg add 'HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\`+VPNProductCode+`' /v DisplayVersion /d 2.1.0 /f >/dev/null
echo "Contoso VPN Client" >> "$ProgramData/Contoso/installs.log"
`), devices, "")
	if err != nil {
		return err
	}
	d.Apps[AppVPN] = vpn
	notes, err := addApp(ctx, s, d, apps.App{
		Kind: apps.Win32, DisplayName: AppNotes, Publisher: "Contoso", DisplayVersion: "3.0.0", RunAsAccount: apps.RunAsUser,
		InstallCommand: "sh install.sh", UninstallCommand: "sh uninstall.sh", FileName: "contoso-notes.zip",
		DetectionRules: []apps.Rule{{Type: apps.RuleFile, Path: `%LOCALAPPDATA%\Contoso\Notes`, FileOrFolderName: "notes.txt", Operation: apps.OpExists}},
	}, Package(AppNotes, "3.0.0", `mkdir -p "$LOCALAPPDATA/Contoso/Notes" "$ProgramData/Contoso"
echo "Notes for $USERNAME" > "$LOCALAPPDATA/Contoso/Notes/notes.txt"
echo "Contoso Notes ($USERNAME)" >> "$ProgramData/Contoso/installs.log"
`), sales, "")
	if err != nil {
		return err
	}
	d.Apps[AppNotes] = notes

	pols := []apps.Policy{
		{Kind: apps.CustomSettings, DisplayName: PolicyBase, Settings: []apps.OMASetting{
			{Type: apps.OMAInteger, DisplayName: "Minimum PIN length", OMAURI: "./Device/Vendor/MSFT/Policy/Config/DeviceLock/MinDevicePasswordLength", Value: "12"},
			{Type: apps.OMAInteger, DisplayName: "Require Defender real-time protection", OMAURI: "./Device/Vendor/MSFT/Policy/Config/Defender/AllowRealtimeMonitoring", Value: "1"},
		}},
		{Kind: apps.Certificate, DisplayName: PolicyCert, Certificate: &apps.CertificateProfile{
			SubjectNameFormat: "custom", SubjectTemplate: "CN={{DeviceName}},O=Contoso", SubjectAlternativeNameType: "none",
			ValidityValue: 1, ValidityScale: "years", RenewalThresholdPercent: 20, KeyStorageProvider: "useTpmKspOtherwiseUseSoftwareKsp", Store: "machine",
			ExtendedKeyUsages: []apps.ExtendedKeyUsage{{Name: "Client Authentication", OID: "1.3.6.1.5.5.7.3.2"}},
		}},
		{Kind: apps.WiFi, DisplayName: PolicyWiFi, WiFi: &apps.WiFiProfile{NetworkName: "Contoso", SSID: "Contoso-Corp", SecurityType: "wpa2Personal",
			PreSharedKey: "demo-only-wifi-key", ConnectAutomatically: true, MeteredConnectionLimit: "unrestricted", ProxySetting: "none"}},
	}
	for _, p := range pols {
		if d.Policies[p.DisplayName] != "" {
			continue
		}
		created, err := s.Catalog.CreatePolicy(ctx, p)
		if err != nil {
			return fmt.Errorf("creating demo policy %q: %w", p.DisplayName, err)
		}
		if _, err := s.Catalog.AssignPolicy(ctx, created.ID, []apps.Assignment{{Target: devices}}); err != nil {
			return fmt.Errorf("assigning demo policy %q: %w", p.DisplayName, err)
		}
		d.Policies[p.DisplayName] = created.ID
	}
	if d.Scripts[ScriptClock] == "" {
		sc, err := s.Catalog.CreateScript(ctx, apps.Script{DisplayName: ScriptClock, FileName: "set-timezone.ps1", RunAsAccount: apps.RunAsSystem,
			Content: []byte("mkdir -p \"$ProgramData/Contoso\" && echo 'W. Europe Standard Time' > \"$ProgramData/Contoso/timezone.txt\"\n")})
		if err != nil {
			return fmt.Errorf("creating the demo script: %w", err)
		}
		if _, err := s.Catalog.AssignScript(ctx, sc.ID, []apps.Assignment{{Target: devices}}); err != nil {
			return err
		}
		d.Scripts[ScriptClock] = sc.ID
	}
	if d.ESPID != "" {
		return nil
	}

	p := esp.NewProfile()
	p.DisplayName, p.Description = "Contoso devices ESP", "Blocks the device until Contoso Tools is installed (demo)"
	p.ShowInstallationProgress, p.InstallProgressTimeoutInMinutes = true, 60
	p.AllowLogCollectionOnInstallFailure, p.AllowDeviceResetOnInstallFailure = true, true
	p.CustomErrorMessage = "Setup could not be completed. Call the Contoso service desk at 555-0100."
	p.SelectedMobileAppIDs = []string{tools}
	ep, err := s.ESP.Create(ctx, p)
	if err != nil {
		return fmt.Errorf("creating the demo ESP profile: %w", err)
	}
	if _, err := s.ESP.Assign(ctx, ep.ID, []esp.Assignment{{Target: devices}}); err != nil {
		return fmt.Errorf("assigning the demo ESP profile: %w", err)
	}
	d.ESPID = ep.ID
	return nil
}

// AddApp creates an app, stores its package and assigns it as required.
func AddApp(ctx context.Context, s Services, a apps.App, zip []byte, to assign.Target) (string, error) {
	return addApp(ctx, s, &Deployment{Apps: map[string]string{}}, a, zip, to, "")
}

func addApp(ctx context.Context, s Services, d *Deployment, a apps.App, zip []byte, to assign.Target, _ string) (string, error) {
	if id := d.Apps[a.DisplayName]; id != "" {
		return id, nil
	}
	created, err := s.Catalog.CreateApp(ctx, a)
	if err != nil {
		return "", fmt.Errorf("creating demo app %q: %w", a.DisplayName, err)
	}
	b, err := s.Content.Put(ctx, bytes.NewReader(zip), int64(len(zip)))
	if err != nil {
		return "", fmt.Errorf("storing the package of %q: %w", a.DisplayName, err)
	}
	if _, err := s.Catalog.SetAppContent(ctx, created.ID, b.SHA256, b.Size); err != nil {
		return "", err
	}
	if _, err := s.Catalog.AssignApp(ctx, created.ID, []apps.AppAssignment{{Intent: apps.IntentRequired, Target: to}}); err != nil {
		return "", fmt.Errorf("assigning demo app %q: %w", a.DisplayName, err)
	}
	return created.ID, nil
}

// Package builds an app package: install.sh (script, run with set -e), an
// uninstall.sh, and the whiteglove-app.json manifest.
func Package(name, version, script string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("whiteglove-app.json")
	fmt.Fprintf(w, `{"schema":1,"name":%q,"version":%q,"installer":"install.sh","installCommand":"sh install.sh"}`, name, version)
	w, _ = zw.Create("install.sh")
	w.Write([]byte("set -e\n" + script))
	w, _ = zw.Create("uninstall.sh")
	w.Write([]byte("set -e\necho \"uninstalling " + name + "\"\n"))
	zw.Close()
	return buf.Bytes()
}
