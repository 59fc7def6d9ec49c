package autopilot

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/whiteglove/whiteglove/internal/apperr"
	"github.com/whiteglove/whiteglove/internal/assign"
)

// MaxProfiles is Autopilot's per-tenant limit on deployment profiles.
const MaxProfiles = 350

// validateProfile normalises and checks a profile.
func validateProfile(p *Profile) error {
	switch p.Kind {
	case KindAzureAD, KindActiveDirectory:
	default:
		return apperr.Invalid("@odata.type must be #microsoft.graph.%s or #microsoft.graph.%s", KindAzureAD, KindActiveDirectory)
	}
	p.DisplayName = strings.TrimSpace(p.DisplayName)
	if p.DisplayName == "" || len(p.DisplayName) > 200 {
		return apperr.Invalid("displayName is required and at most 200 characters")
	}
	if len(p.Description) > 1500 {
		return apperr.Invalid("description is at most 1500 characters")
	}
	if err := ValidateNameTemplate(p.DeviceNameTemplate); err != nil {
		return apperr.Invalid("%v", err)
	}
	if p.Kind == KindActiveDirectory && p.DeviceNameTemplate != "" {
		return apperr.Invalid("deviceNameTemplate applies to Entra join only; hybrid-joined devices take their name from the domain join configuration")
	}
	if p.Kind == KindAzureAD && p.HybridSkipConnectivityCheck {
		return apperr.Invalid("hybridAzureADJoinSkipConnectivityCheck applies to activeDirectoryWindowsAutopilotDeploymentProfile only")
	}
	if p.SelfDeploying() && p.PreprovisioningAllowed && p.Kind == KindActiveDirectory {
		return apperr.Invalid("self-deploying mode does not support hybrid join")
	}
	if p.Locale == "" {
		p.Locale = "os-default"
	}
	if p.DeviceType == "" {
		p.DeviceType = "windowsPc"
	}
	if p.OOBE.UserType == "" {
		p.OOBE.UserType = "standard"
	}
	if p.OOBE.DeviceUsageType == "" {
		p.OOBE.DeviceUsageType = "singleUser"
	}
	if p.ESP != nil && (p.ESP.InstallProgressTimeoutInMinutes < 0 || p.ESP.InstallProgressTimeoutInMinutes > 1440) {
		return apperr.Invalid("enrollmentStatusScreenSettings.installProgressTimeoutInMinutes must be 0 to 1440")
	}
	return nil
}

// CreateProfile adds a deployment profile.
func (s *Service) CreateProfile(ctx context.Context, p Profile) (Profile, error) {
	if err := validateProfile(&p); err != nil {
		return Profile{}, err
	}
	p.ID = uuid.NewString()
	p.CreatedAt = s.now()
	p.UpdatedAt = p.CreatedAt
	err := s.store.AutopilotTx(ctx, func(tx Tx) error {
		ps, err := tx.Profiles(ctx)
		if err != nil {
			return err
		}
		if len(ps) >= MaxProfiles {
			return apperr.State("the tenant has %d deployment profiles, the most Autopilot allows; delete one first", MaxProfiles)
		}
		return tx.PutProfile(ctx, p, true)
	})
	if err != nil {
		return Profile{}, fmt.Errorf("creating profile %q: %w", p.DisplayName, err)
	}
	return p, nil
}

// UpdateProfile applies change to a stored profile. The kind cannot change.
func (s *Service) UpdateProfile(ctx context.Context, id string, change func(*Profile) error) (Profile, error) {
	var out Profile
	err := s.store.AutopilotTx(ctx, func(tx Tx) error {
		p, err := tx.Profile(ctx, id)
		if err != nil {
			return err
		}
		kind := p.Kind
		if err := change(&p); err != nil {
			return err
		}
		if p.Kind != kind {
			return apperr.Invalid("a profile's type cannot change (it is %s); create a new profile instead", kind)
		}
		p.ID = id
		if err := validateProfile(&p); err != nil {
			return err
		}
		p.UpdatedAt = s.now()
		out = p
		return tx.PutProfile(ctx, p, false)
	})
	if err != nil {
		return Profile{}, fmt.Errorf("updating profile %s: %w", id, err)
	}
	return out, nil
}

// DeleteProfile deletes a profile that is no longer assigned.
func (s *Service) DeleteProfile(ctx context.Context, id string) error {
	return s.store.AutopilotTx(ctx, func(tx Tx) error {
		if _, err := tx.LockRules(ctx, true); err != nil {
			return err
		}
		if _, err := tx.Profile(ctx, id); err != nil {
			return err
		}
		as, err := tx.ProfileAssignments(ctx, id)
		if err != nil {
			return err
		}
		if len(as) > 0 {
			return apperr.State("profile %s is assigned to %d group(s): remove its assignments first", id, len(as))
		}
		if err := tx.ClearDirectProfile(ctx, id); err != nil {
			return err
		}
		if err := tx.DeleteProfile(ctx, id); err != nil {
			return err
		}
		return s.recomputeAll(ctx, tx)
	})
}

// AssignmentID is the id clients choose for a group assignment:
// {profileId}_{groupId}_0, and _1 for an exclusion of that group.
func AssignmentID(profileID, groupID string) string { return profileID + "_" + groupID + "_0" }

func exclusionID(profileID, groupID string) string { return profileID + "_" + groupID + "_1" }

// AddAssignment targets a profile; every device's profile follows at once.
// An empty id gets the conventional {profileId}_{groupId}_0.
func (s *Service) AddAssignment(ctx context.Context, a ProfileAssignment) (ProfileAssignment, error) {
	t := assign.Target{Kind: assign.Kind(a.TargetKind), GroupID: a.GroupID, FilterID: a.FilterID, FilterType: a.FilterType}
	if err := t.Validate(); err != nil {
		return ProfileAssignment{}, apperr.Invalid("%v", err)
	}
	if t.Kind == assign.AllLicensedUsers || t.Kind == assign.ConfigMgrCollection {
		return ProfileAssignment{}, apperr.Invalid("deployment profiles are assigned to device groups or all devices, not %s", t.Kind)
	}
	a.GroupID = strings.ToLower(a.GroupID)
	if a.ID == "" {
		key := a.GroupID
		if key == "" {
			key = string(t.Kind)
		}
		a.ID = AssignmentID(a.ProfileID, key)
		if t.Kind == assign.ExclusionGroup {
			a.ID = exclusionID(a.ProfileID, key)
		}
	}
	a.CreatedAt = s.now()
	err := s.store.AutopilotTx(ctx, func(tx Tx) error {
		// Exclusive: registrations and membership changes (shared) must not
		// compute profiles from the assignments this changes.
		if _, err := tx.LockRules(ctx, true); err != nil {
			return err
		}
		if _, err := tx.Profile(ctx, a.ProfileID); err != nil {
			return err
		}
		if a.GroupID != "" {
			if _, err := tx.Group(ctx, a.GroupID); err != nil {
				return fmt.Errorf("assignment target group %s: %w", a.GroupID, err)
			}
		}
		if err := tx.PutProfileAssignment(ctx, a); err != nil {
			return err
		}
		return s.recomputeAll(ctx, tx)
	})
	if err != nil {
		return ProfileAssignment{}, fmt.Errorf("assigning profile %s: %w", a.ProfileID, err)
	}
	return a, nil
}

// RemoveAssignment deletes an assignment; devices follow at once.
func (s *Service) RemoveAssignment(ctx context.Context, profileID, id string) error {
	return s.store.AutopilotTx(ctx, func(tx Tx) error {
		if _, err := tx.LockRules(ctx, true); err != nil {
			return err
		}
		as, err := tx.ProfileAssignments(ctx, profileID)
		if err != nil {
			return err
		}
		for _, a := range as {
			if strings.EqualFold(a.ID, id) {
				if err := tx.DeleteProfileAssignment(ctx, a.ID); err != nil {
					return err
				}
				return s.recomputeAll(ctx, tx)
			}
		}
		return fmt.Errorf("assignment %s of profile %s: %w", id, profileID, apperr.ErrNotFound)
	})
}

// AssignDirect assigns a profile to devices directly (the assign action
// with deviceIds); a direct assignment beats group targeting.
func (s *Service) AssignDirect(ctx context.Context, profileID string, deviceIDs []string) error {
	return s.store.AutopilotTx(ctx, func(tx Tx) error {
		if _, err := tx.LockRules(ctx, true); err != nil {
			return err
		}
		if _, err := tx.Profile(ctx, profileID); err != nil {
			return err
		}
		e, err := loadEngine(ctx, tx)
		if err != nil {
			return err
		}
		var ds []Device
		for _, id := range deviceIDs {
			d, err := tx.AutopilotDevice(ctx, id)
			if err != nil {
				return fmt.Errorf("device %s: %w", id, err)
			}
			d.DirectProfileID = profileID
			d.UpdatedAt = s.now()
			if err := tx.UpdateAutopilotDevice(ctx, d); err != nil {
				return err
			}
			ds = append(ds, d)
		}
		return s.recompute(ctx, tx, e, ds)
	})
}
