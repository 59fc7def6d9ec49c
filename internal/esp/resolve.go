package esp

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/whiteglove/whiteglove/internal/apperr"
	"github.com/whiteglove/whiteglove/internal/assign"
)

// ResolveInput is who an ESP profile is resolved for.
type ResolveInput struct {
	// DeviceID is the device's Entra object id (required).
	DeviceID string
	// UserID is the assigned user's Entra object id; "" when there is no
	// user (self-deploying, or not known yet).
	UserID string
	// UserLicensed says whether the user holds a licence (for
	// allLicensedUsers targets).
	UserLicensed bool
	// PreProvisioning resolves for the technician phase: only profiles
	// targeted at the device count, never those targeted at the user.
	PreProvisioning bool
}

// Via says how the resolved profile reached the device.
type Via string

// The ways a profile applies, in the order they are tried.
const (
	ViaDevice  Via = "device"  // targeted at the device (a group it is in, or all devices)
	ViaUser    Via = "user"    // targeted at the user (not in pre-provisioning)
	ViaDefault Via = "default" // nothing else applies
)

// Resolution is the ESP profile that applies, and why.
type Resolution struct {
	Profile Profile
	Via     Via
	// Target is the including target that matched; zero for the default.
	Target assign.Target
	// Reason explains the choice in a sentence for people (plan, console).
	Reason string
	// Excluded lists the ids of profiles, in priority order, that include
	// the device (or the user, when the user was considered) but are
	// removed by an exclusion group.
	Excluded []string
	// DeviceESP reports whether the device phase alone gets an ESP that the
	// technician flow can run: the highest-priority profile targeted at the
	// device or, when none is, the default profile — and that profile shows
	// installation progress. User-targeted profiles never count. It is
	// computed for every resolution; pre-provisioning requires it.
	DeviceESP bool
}

// Resolve decides the ESP profile for a device and, optionally, its user:
// the highest-priority profile targeted at the device; else (outside
// pre-provisioning) the highest-priority one targeted at the user; else the
// default. Exclusions beat inclusions, evaluated for the device and the user
// separately (assign.Applies).
func (s *Service) Resolve(ctx context.Context, in ResolveInput) (Resolution, error) {
	if in.DeviceID == "" {
		return Resolution{}, apperr.Invalid("resolving the ESP profile needs the device's object id")
	}
	rules, err := s.Rules(ctx)
	if err != nil {
		return Resolution{}, err
	}
	dev, err := s.subject(ctx, in.DeviceID, true, false)
	if err != nil {
		return Resolution{}, err
	}
	var user *assign.Subject
	if in.UserID != "" && !in.PreProvisioning {
		u, err := s.subject(ctx, in.UserID, false, in.UserLicensed)
		if err != nil {
			return Resolution{}, err
		}
		user = &u
	}
	return rules.Resolve(in, dev, user), nil
}

// Rules is every ESP profile with its assignments, read once, for resolving
// many devices in memory (bulk manifest computation).
type Rules struct {
	def     *Profile
	ranked  []Profile
	targets map[string][]Assignment
}

// Rules reads the profiles and assignments.
func (s *Service) Rules(ctx context.Context) (*Rules, error) {
	all, err := s.store.Profiles(ctx)
	if err != nil {
		return nil, fmt.Errorf("resolving ESP profile: listing profiles: %w", err)
	}
	targets, err := s.store.AllAssignments(ctx)
	if err != nil {
		return nil, fmt.Errorf("resolving ESP profile: listing assignments: %w", err)
	}
	return NewRules(all, targets)
}

// NewRules builds rules from profiles (in priority order, the default
// among them) and their assignments by profile id.
func NewRules(profiles []Profile, targets map[string][]Assignment) (*Rules, error) {
	r := &Rules{targets: targets}
	for i := range profiles {
		if profiles[i].Default {
			r.def = &profiles[i]
		} else {
			r.ranked = append(r.ranked, profiles[i])
		}
	}
	if r.def == nil {
		return nil, fmt.Errorf("resolving ESP profile: the default profile is missing (EnsureDefault runs at start-up): %w", apperr.ErrNotFound)
	}
	return r, nil
}

// Resolve applies the rules to a device subject and, unless nil, its user
// subject (pass nil in pre-provisioning: user-targeted profiles never count).
func (r *Rules) Resolve(in ResolveInput, dev assign.Subject, user *assign.Subject) Resolution {
	var res Resolution
	p, t, ok := pick(r.ranked, r.targets, dev, &res.Excluded)
	if ok {
		res.Profile, res.Via, res.Target = p, ViaDevice, t
		res.DeviceESP = p.ShowInstallationProgress
		res.Reason = fmt.Sprintf("%s is the highest-priority ESP profile targeted at the device, via %s", name(p), describeTarget(t))
		if in.PreProvisioning && !p.ShowInstallationProgress {
			res.Reason += ", but it does not show installation progress: pre-provisioning needs an ESP, so turn on its showInstallationProgress"
		}
		return res
	}
	res.DeviceESP = r.def.ShowInstallationProgress
	if user != nil && !in.PreProvisioning {
		if p, t, ok := pick(r.ranked, r.targets, *user, &res.Excluded); ok {
			res.Profile, res.Via, res.Target = p, ViaUser, t
			res.Reason = fmt.Sprintf("no ESP profile is targeted at the device; %s is the highest-priority one targeted at the user, via %s", name(p), describeTarget(t))
			return res
		}
	}
	res.Profile, res.Via = *r.def, ViaDefault
	res.Reason = defaultReason(in, *r.def)
	return res
}

// subject builds the assignment subject of a device or user.
func (s *Service) subject(ctx context.Context, objectID string, device, licensed bool) (assign.Subject, error) {
	ids, err := s.groups.MemberOf(ctx, objectID)
	if err != nil {
		return assign.Subject{}, fmt.Errorf("resolving ESP profile: reading the groups of %s: %w", objectID, err)
	}
	groups := make(map[string]bool, len(ids))
	for _, g := range ids {
		groups[strings.ToLower(g)] = true
	}
	return assign.Subject{IsDevice: device, Licensed: licensed, Groups: groups}, nil
}

// pick returns the first ranked profile whose assignments cover sub, with
// the including target that matched; profiles that include sub but exclude
// it too are added to excluded.
func pick(ranked []Profile, assignments map[string][]Assignment, sub assign.Subject, excluded *[]string) (Profile, assign.Target, bool) {
	for _, p := range ranked {
		as := assignments[p.ID]
		ts := make([]assign.Target, len(as))
		for i, a := range as {
			ts[i] = a.Target
		}
		if assign.Applies(ts, sub) {
			for _, t := range ts {
				if t.Includes(sub) {
					return p, t, true
				}
			}
		}
		for _, t := range ts {
			if t.Includes(sub) && !slices.Contains(*excluded, p.ID) {
				*excluded = append(*excluded, p.ID)
				break
			}
		}
	}
	return Profile{}, assign.Target{}, false
}

func defaultReason(in ResolveInput, def Profile) string {
	var b strings.Builder
	switch {
	case in.PreProvisioning:
		b.WriteString("no ESP profile is targeted at the device (pre-provisioning ignores profiles targeted at users); ")
	case in.UserID == "":
		b.WriteString("no ESP profile is targeted at the device and there is no user; ")
	default:
		b.WriteString("no ESP profile is targeted at the device or the user; ")
	}
	fmt.Fprintf(&b, "the default profile %q applies", def.DisplayName)
	if in.PreProvisioning && !def.ShowInstallationProgress {
		b.WriteString(", but it does not show installation progress: pre-provisioning needs an ESP, so target an ESP profile at the device or turn on showInstallationProgress in the default profile")
	}
	return b.String()
}

func name(p Profile) string {
	return fmt.Sprintf("profile %q (priority %d)", p.DisplayName, p.Priority)
}

// Digest identifies the rules' content: it changes when any profile's
// settings, priority or assignments change.
func (r *Rules) Digest() string {
	b, _ := json.Marshal(struct {
		D *Profile
		R []Profile
		T map[string][]Assignment
	}{r.def, r.ranked, r.targets})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}
