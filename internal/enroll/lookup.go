package enroll

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/whiteglove/whiteglove/internal/apperr"
	"github.com/whiteglove/whiteglove/internal/autopilot"
	"github.com/whiteglove/whiteglove/internal/autopilot/hwhash"
	"github.com/whiteglove/whiteglove/internal/deviceapi/wire"
	"github.com/whiteglove/whiteglove/internal/esp"
)

// problem builds a named problem.
func problem(code, action, format string, args ...any) *wire.Problem {
	return &wire.Problem{Code: code, Message: fmt.Sprintf(format, args...), Action: action}
}

// Lookup answers the OOBE's question for a hardware hash: which device this
// is, its profile, organization, assigned user and ESP — or, with the
// device when known, why it cannot be pre-provisioned. Errors are only
// for failures of the service itself.
func (s *Service) Lookup(ctx context.Context, hash string) (wire.LookupResponse, error) {
	res, _, _, err := s.lookup(ctx, hash)
	return res, err
}

// lookup also returns the registered device and its decoded hash.
func (s *Service) lookup(ctx context.Context, hash string) (wire.LookupResponse, autopilot.Device, *hwhash.Hash, error) {
	var res wire.LookupResponse
	h, err := hwhash.Decode(strings.TrimSpace(hash))
	if err != nil {
		res.Problem = problem(wire.CodeBadRequest, "Collect the hash again (whiteglove hash) and retry.", "The hardware hash could not be read: %v.", err)
		return res, autopilot.Device{}, nil, nil
	}
	t, err := s.st.Tenant(ctx)
	if err != nil {
		return res, autopilot.Device{}, nil, fmt.Errorf("reading the tenant: %w", err)
	}
	d, err := s.st.AutopilotDeviceByFingerprint(ctx, h.Fingerprint())
	if errors.Is(err, apperr.ErrNotFound) {
		res.Problem = problem(wire.CodeNotRegistered,
			"Register its hardware hash with Windows Autopilot (whiteglove hash, then whiteglove import or the Graph import), then press Refresh.",
			"This device (serial number %s) is not registered with Windows Autopilot in %s.", h.SerialNumber, t.DisplayName)
		return res, autopilot.Device{}, h, nil
	}
	if err != nil {
		return res, autopilot.Device{}, h, fmt.Errorf("finding the device by its hardware hash: %w", err)
	}
	info, prob, err := s.describe(ctx, t.DisplayName, t.Seats, d)
	if err != nil {
		return res, d, h, err
	}
	res.Device, res.Problem = info, prob
	return res, d, h, nil
}

// describe builds what the screens show of a registered device and the
// first reason, if any, that it cannot be pre-provisioned.
func (s *Service) describe(ctx context.Context, org string, seats int, d autopilot.Device) (*wire.DeviceInfo, *wire.Problem, error) {
	info := &wire.DeviceInfo{
		ZTDID: d.ID, SerialNumber: d.SerialNumber, Manufacturer: d.Manufacturer, Model: d.Model,
		Organization: org, AssignedUser: d.UserPrincipalName,
	}
	if d.UserPrincipalName != "" {
		info.AssignedUserName = d.AddressableUserName
		if u, err := s.st.UserByUPN(ctx, d.UserPrincipalName); err == nil {
			info.AssignedUserName = u.DisplayName
		}
	}
	if seats <= 0 {
		return info, problem(wire.CodeNoSubscription, "Add a subscription with licences to the tenant.",
			"%s has no active subscription.", org), nil
	}
	if d.ProfileID == "" {
		return info, problem(wire.CodeNoProfile,
			"Assign a deployment profile to a group this device is in (or directly), then press Refresh — assignment takes effect at once.",
			"No Windows Autopilot deployment profile is assigned to this device."), nil
	}
	p, err := s.st.Profile(ctx, d.ProfileID)
	if errors.Is(err, apperr.ErrNotFound) {
		return info, problem(wire.CodeNoProfile, "Assign a deployment profile, then press Refresh.",
			"The deployment profile assigned to this device no longer exists."), nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("reading the deployment profile: %w", err)
	}
	info.ProfileID, info.ProfileName = p.ID, p.DisplayName
	info.PreprovisioningAllowed = p.PreprovisioningAllowed
	info.HybridJoin = p.Kind == autopilot.KindActiveDirectory
	info.DeviceName = deviceName(d, p)
	res, err := s.esp.Resolve(ctx, esp.ResolveInput{DeviceID: d.EntraObjectID, PreProvisioning: true})
	if err != nil {
		return nil, nil, fmt.Errorf("resolving the ESP profile: %w", err)
	}
	info.ESP = wireESP(res)
	if !p.PreprovisioningAllowed {
		return info, problem(wire.CodeNotPreprovisioning,
			"Turn on \"Allow pre-provisioned deployment\" in the profile (preprovisioningAllowed), then press Refresh.",
			"The deployment profile %q does not allow pre-provisioned deployment.", p.DisplayName), nil
	}
	if p.SelfDeploying() {
		return info, problem(wire.CodeNotPreprovisioning,
			"Assign a user-driven profile: pre-provisioning is for user-driven deployments.",
			"The deployment profile %q is self-deploying.", p.DisplayName), nil
	}
	// A profile targeted at the device that hides progress is allowed: the
	// technician then gets "enrollment succeeded, items pending" and is
	// asked before resealing. What is refused is a device that only the
	// default profile covers, and that profile does not track progress.
	if !res.DeviceESP && res.Via != esp.ViaDevice {
		return info, problem(wire.CodeNoDeviceESP,
			"Target an Enrollment Status Page profile that shows installation progress at a device group this device is in (user-targeted profiles do not count in pre-provisioning), then press Refresh.",
			"No Enrollment Status Page profile is targeted at this device: %s", res.Reason), nil
	}
	return info, nil, nil
}

// deviceName is the name the device gets: set by an admin, else the
// profile's template, else Windows' default pattern.
func deviceName(d autopilot.Device, p autopilot.Profile) string {
	if d.DisplayName != "" {
		return d.DisplayName
	}
	if p.DeviceNameTemplate != "" {
		if n, err := autopilot.ApplyNameTemplate(p.DeviceNameTemplate, d.SerialNumber); err == nil {
			return n
		}
	}
	id := strings.ToUpper(strings.ReplaceAll(d.ID, "-", ""))
	if len(id) > 7 {
		id = id[:7]
	}
	return "DESKTOP-" + id
}

func wireESP(r esp.Resolution) *wire.ESP {
	p := r.Profile
	return &wire.ESP{
		ID: p.ID, Name: p.DisplayName, ShowProgress: p.ShowInstallationProgress,
		TimeoutMinutes: p.InstallProgressTimeoutInMinutes, CustomErrorMessage: p.CustomErrorMessage,
		AllowCollectLogs: p.AllowLogCollectionOnInstallFailure, AllowReset: p.AllowDeviceResetOnInstallFailure,
		AllowRetry: !p.BlockDeviceSetupRetryByUser, AllowContinueAnyway: p.AllowDeviceUseOnInstallFailure,
		BlockDeviceUntilDone: p.ShowInstallationProgress, SelectedMobileAppIDs: p.SelectedMobileAppIDs,
		TrackInstallProgress: p.ShowInstallationProgress, InstallQualityUpdates: p.InstallQualityUpdates,
		DisableUserStatusPage: p.DisableUserStatusTrackingAfterFirstUser, DeviceTargeted: r.DeviceESP || r.Via == esp.ViaDevice,
	}
}
