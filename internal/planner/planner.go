// Package planner answers "what will this device get, in which phase, and
// why" for a registered Autopilot device: it gathers the device, its groups,
// the assigned user, the deployment profile, the ESP profile and the app
// and policy catalog, and runs the targeting rules on them. `whiteglove
// plan`, the plan API and the device API all use it.
package planner

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/whiteglove/whiteglove/internal/apperr"
	"github.com/whiteglove/whiteglove/internal/assign"
	"github.com/whiteglove/whiteglove/internal/autopilot"
	"github.com/whiteglove/whiteglove/internal/directory"
	"github.com/whiteglove/whiteglove/internal/esp"
	"github.com/whiteglove/whiteglove/internal/targeting"
)

// CatalogSource supplies the targeting catalog (apps, policies, scripts).
type CatalogSource interface {
	Catalog(ctx context.Context) (*targeting.Catalog, error)
}

// Directory is what the planner reads of the directory.
type Directory interface {
	Device(ctx context.Context, id string) (directory.Device, error)
	UserByUPN(ctx context.Context, upn string) (directory.User, error)
	MemberOf(ctx context.Context, objectID string) ([]string, error)
	Group(ctx context.Context, id string) (directory.Group, error)
	GroupsWithUsers(ctx context.Context) (map[string]bool, error)
}

// Devices finds Autopilot devices and their profiles.
type Devices interface {
	AutopilotDevice(ctx context.Context, id string) (autopilot.Device, error)
	AutopilotDevicesBySerial(ctx context.Context, part string) ([]autopilot.Device, error)
	Profile(ctx context.Context, id string) (autopilot.Profile, error)
}

// ESPResolver resolves the ESP profile of a device.
type ESPResolver interface {
	Resolve(ctx context.Context, in esp.ResolveInput) (esp.Resolution, error)
}

// Planner builds plans.
type Planner struct {
	Devices      Devices
	Directory    Directory
	ESP          ESPResolver
	Catalog      CatalogSource
	HasConnector func(ctx context.Context) bool // nil = no connector
}

// DeviceInfo describes the device a plan is for.
type DeviceInfo struct {
	ZTDID        string       `json:"ztdId"`
	SerialNumber string       `json:"serialNumber"`
	Manufacturer string       `json:"manufacturer"`
	Model        string       `json:"model"`
	GroupTag     string       `json:"groupTag,omitempty"`
	AssignedUser string       `json:"assignedUser,omitempty"`
	PlannedUser  string       `json:"plannedUser,omitempty"`
	Profile      *ProfileInfo `json:"deploymentProfile"`
}

// ProfileInfo is the deployment profile in a plan.
type ProfileInfo struct {
	ID                     string `json:"id"`
	DisplayName            string `json:"displayName"`
	PreprovisioningAllowed bool   `json:"preprovisioningAllowed"`
	JoinType               string `json:"joinType"` // "entra" or "hybrid"
}

// ESPInfo is the ESP profile in a plan.
type ESPInfo struct {
	ID             string   `json:"id"`
	DisplayName    string   `json:"displayName"`
	Priority       int      `json:"priority"`
	TimeoutMinutes int      `json:"timeoutMinutes"`
	Via            string   `json:"via"`
	Reason         string   `json:"reason"`
	DeviceTargeted bool     `json:"deviceTargeted"`
	BlockingAppIDs []string `json:"blockingAppIds"`
}

// Report is a plan as `whiteglove plan --json` and the API print it.
type Report struct {
	Device      DeviceInfo          `json:"device"`
	ESPProfile  *ESPInfo            `json:"espProfile"`
	Phases      []targeting.Phase   `json:"phases"`
	Blocking    []string            `json:"blocking"`
	Uninstalled []targeting.Entry   `json:"uninstall,omitempty"`
	Unsupported []targeting.Entry   `json:"unsupported,omitempty"`
	Warnings    []targeting.Warning `json:"warnings"`
}

// Find returns the Autopilot device with this ZTDId or serial number.
func (p *Planner) Find(ctx context.Context, key string) (autopilot.Device, error) {
	key = strings.TrimSpace(key)
	if d, err := p.Devices.AutopilotDevice(ctx, key); err == nil {
		return d, nil
	} else if !errors.Is(err, apperr.ErrNotFound) {
		return autopilot.Device{}, err
	}
	ds, err := p.Devices.AutopilotDevicesBySerial(ctx, key)
	if err != nil {
		return autopilot.Device{}, err
	}
	var exact []autopilot.Device
	for _, d := range ds {
		if strings.EqualFold(d.SerialNumber, key) {
			exact = append(exact, d)
		}
	}
	switch len(exact) {
	case 0:
		return autopilot.Device{}, fmt.Errorf("no Autopilot device with ZTDId or serial number %q: %w", key, apperr.ErrNotFound)
	case 1:
		return exact[0], nil
	}
	return autopilot.Device{}, apperr.Invalid("%d devices have serial number %q; give the ZTDId instead", len(exact), key)
}

// Plan plans device key (ZTDId or serial) for user upn ("" = the device's
// assigned user, if any).
func (p *Planner) Plan(ctx context.Context, key, upn string) (Report, error) {
	d, err := p.Find(ctx, key)
	if err != nil {
		return Report{}, err
	}
	rep := Report{Device: DeviceInfo{ZTDID: d.ID, SerialNumber: d.SerialNumber, Manufacturer: d.Manufacturer, Model: d.Model,
		GroupTag: d.GroupTag, AssignedUser: d.UserPrincipalName}}
	in := targeting.Input{GroupNames: map[string]string{}}
	devGroups, err := p.Directory.MemberOf(ctx, d.EntraObjectID)
	if err != nil {
		return Report{}, fmt.Errorf("reading the device's groups: %w", err)
	}
	in.Device = subject(devGroups, true, false)
	if upn == "" {
		upn = d.UserPrincipalName
	}
	var userID string
	var licensed bool
	if upn != "" {
		u, err := p.Directory.UserByUPN(ctx, upn)
		if err != nil {
			return Report{}, fmt.Errorf("user %s: %w", upn, err)
		}
		ug, err := p.Directory.MemberOf(ctx, u.ID)
		if err != nil {
			return Report{}, fmt.Errorf("reading the user's groups: %w", err)
		}
		s := subject(ug, false, u.Licensed)
		in.User, userID, licensed = &s, u.ID, u.Licensed
		rep.Device.PlannedUser = u.UPN
		p.names(ctx, ug, in.GroupNames)
	}
	p.names(ctx, devGroups, in.GroupNames)
	if d.ProfileID != "" {
		prof, err := p.Devices.Profile(ctx, d.ProfileID)
		if err != nil {
			return Report{}, fmt.Errorf("reading the device's profile: %w", err)
		}
		hybrid := prof.Kind == autopilot.KindActiveDirectory
		in.Profile = &targeting.Profile{ID: prof.ID, Name: prof.DisplayName, PreprovisioningAllowed: prof.PreprovisioningAllowed, HybridJoin: hybrid, Locale: prof.Locale}
		join := "entra"
		if hybrid {
			join = "hybrid"
		}
		rep.Device.Profile = &ProfileInfo{ID: prof.ID, DisplayName: prof.DisplayName, PreprovisioningAllowed: prof.PreprovisioningAllowed, JoinType: join}
	}
	res, err := p.ESP.Resolve(ctx, esp.ResolveInput{DeviceID: d.EntraObjectID, UserID: userID, UserLicensed: licensed, PreProvisioning: true})
	if err != nil {
		return Report{}, fmt.Errorf("resolving the ESP profile: %w", err)
	}
	in.ESP = targeting.ESP{Found: true, ID: res.Profile.ID, Name: res.Profile.DisplayName, DeviceTargeted: res.DeviceESP, Reason: res.Reason,
		TimeoutMinutes: res.Profile.InstallProgressTimeoutInMinutes, SelectedMobileAppIDs: res.Profile.SelectedMobileAppIDs,
		AllowNonBlocking: res.Profile.AllowNonBlockingAppInstallation}
	rep.ESPProfile = &ESPInfo{ID: res.Profile.ID, DisplayName: res.Profile.DisplayName, Priority: res.Profile.Priority,
		TimeoutMinutes: res.Profile.InstallProgressTimeoutInMinutes, Via: string(res.Via), Reason: res.Reason, DeviceTargeted: res.DeviceESP,
		BlockingAppIDs: append([]string{}, res.Profile.SelectedMobileAppIDs...)}
	if in.Catalog, err = p.Catalog.Catalog(ctx); err != nil {
		return Report{}, fmt.Errorf("reading the app and policy catalog: %w", err)
	}
	if in.User == nil {
		if in.UserGroups, err = p.Directory.GroupsWithUsers(ctx); err != nil {
			return Report{}, err
		}
	}
	if p.HasConnector != nil {
		in.HasConnector = p.HasConnector(ctx)
	}
	out := targeting.Plan(in)
	rep.Phases, rep.Blocking, rep.Uninstalled, rep.Unsupported, rep.Warnings = out.Phases, out.Blocking, out.Uninstalled, out.Unsupported, out.Warnings
	return rep, nil
}

func subject(groups []string, device, licensed bool) assign.Subject {
	s := assign.Subject{IsDevice: device, Licensed: licensed, Groups: make(map[string]bool, len(groups))}
	for _, g := range groups {
		s.Groups[strings.ToLower(g)] = true
	}
	return s
}

// names fills in display names of groups for the reasons.
func (p *Planner) names(ctx context.Context, ids []string, into map[string]string) {
	for _, id := range ids {
		if g, err := p.Directory.Group(ctx, id); err == nil {
			into[strings.ToLower(id)] = g.DisplayName
		}
	}
}
