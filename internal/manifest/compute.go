package manifest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/whiteglove/whiteglove/internal/assign"
	"github.com/whiteglove/whiteglove/internal/autopilot"
	"github.com/whiteglove/whiteglove/internal/directory"
	"github.com/whiteglove/whiteglove/internal/esp"
	"github.com/whiteglove/whiteglove/internal/targeting"
)

// world is what computing manifests reads, loaded once per batch.
type world struct {
	groups func(objectID string) []string
	users  map[string]directory.User // by lower-case UPN
	rules  *esp.Rules
	cat    *targeting.Catalog
}

// compute returns the manifest content of one device (version unset).
func (w *world) compute(d autopilot.Device) (Manifest, error) {
	in := targeting.Input{Device: subject(w.groups(d.EntraObjectID), true, false), Catalog: w.cat, SkipWarnings: true}
	if u, ok := w.users[strings.ToLower(d.UserPrincipalName)]; ok && d.UserPrincipalName != "" {
		s := subject(w.groups(u.ID), false, u.Licensed)
		in.User = &s
	}
	res := w.rules.Resolve(esp.ResolveInput{DeviceID: d.EntraObjectID, PreProvisioning: true}, in.Device, nil)
	in.ESP = targeting.ESP{Found: true, ID: res.Profile.ID, DeviceTargeted: res.DeviceESP, TimeoutMinutes: res.Profile.InstallProgressTimeoutInMinutes,
		SelectedMobileAppIDs: res.Profile.SelectedMobileAppIDs, AllowNonBlocking: res.Profile.AllowNonBlockingAppInstallation}
	out := targeting.Plan(in)
	// A device needs what to install, not why: reasons are for people and
	// come with the plan (GET /api/autopilot/plan); leaving them out keeps
	// the stored manifests small.
	for i := range out.Phases {
		for j := range out.Phases[i].Items {
			out.Phases[i].Items[j].Reason = ""
		}
	}
	m := Manifest{DeviceID: d.ID, Phases: out.Phases, Blocking: out.Blocking}
	body, err := json.Marshal(struct {
		Phases   []targeting.Phase `json:"phases"`
		Blocking []string          `json:"blocking"`
	}{m.Phases, m.Blocking})
	if err != nil {
		return Manifest{}, fmt.Errorf("encoding the manifest of %s: %w", d.ID, err)
	}
	sum := sha256.Sum256(body)
	m.Digest, m.Body = hex.EncodeToString(sum[:]), body
	return m, nil
}

func subject(groups []string, device, licensed bool) assign.Subject {
	s := assign.Subject{IsDevice: device, Licensed: licensed, Groups: make(map[string]bool, len(groups))}
	for _, g := range groups {
		s.Groups[strings.ToLower(g)] = true
	}
	return s
}

// store writes the manifests that moved, each one version up, and returns
// the ids of those that changed.
func store(ctx context.Context, tx Tx, ms []Manifest) ([]string, error) {
	ids := make([]string, len(ms))
	for i, m := range ms {
		ids[i] = m.DeviceID
	}
	old, err := tx.StoredManifests(ctx, ids)
	if err != nil {
		return nil, err
	}
	var put []Manifest
	var changed []string
	for _, m := range ms {
		o, had := old[m.DeviceID]
		if had && o.Digest == m.Digest {
			continue
		}
		m.Version = o.Version + 1
		put = append(put, m)
		changed = append(changed, m.DeviceID)
	}
	if err := tx.PutManifests(ctx, put); err != nil {
		return nil, err
	}
	return changed, nil
}
