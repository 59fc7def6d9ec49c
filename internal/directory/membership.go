package directory

import (
	"context"
	"fmt"

	"github.com/whiteglove/whiteglove/internal/directory/rule"
)

// deviceAttrs exposes a device to the rule engine.
func deviceAttrs(d Device) rule.Attrs {
	return rule.Attrs{
		Scalars: map[string]string{
			"accountEnabled":        boolString(d.AccountEnabled),
			"displayName":           d.DisplayName,
			"deviceId":              d.DeviceID,
			"objectId":              d.ID,
			"deviceOSType":          d.OperatingSystem,
			"deviceOSVersion":       d.OperatingSystemVersion,
			"deviceManufacturer":    d.Manufacturer,
			"deviceModel":           d.Model,
			"enrollmentProfileName": d.EnrollmentProfileName,
			"managementType":        "",
			"deviceOwnership":       "Company",
		},
		Multis: map[string][]string{"devicePhysicalIds": d.PhysicalIDs},
	}
}

// userAttrs exposes a user to the rule engine.
func userAttrs(u User) rule.Attrs {
	return rule.Attrs{
		Scalars: map[string]string{
			"accountEnabled":    boolString(u.AccountEnabled),
			"userPrincipalName": u.UPN,
			"displayName":       u.DisplayName,
			"givenName":         u.GivenName,
			"surname":           u.Surname,
			"mail":              u.Mail,
			"mailNickname":      u.MailNickname,
			"department":        u.Department,
			"jobTitle":          u.JobTitle,
			"usageLocation":     u.UsageLocation,
			"objectId":          u.ID,
			"userType":          "Member",
		},
	}
}

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// reconcileObject brings one object's dynamic memberships in line with the
// rules: it adds the groups whose rules now match and drops the rest.
func (s *Service) reconcileObject(ctx context.Context, tx Tx, version int64, id, kind string, obj rule.Object, subject rule.Subject) error {
	set, err := s.rules.get(ctx, tx, version)
	if err != nil {
		return fmt.Errorf("loading dynamic rules: %w", err)
	}
	want := set.Match(obj, subject)
	have, err := tx.DynamicGroupsOf(ctx, id)
	if err != nil {
		return fmt.Errorf("reading dynamic memberships of %s: %w", id, err)
	}
	haveSet := make(map[string]bool, len(have))
	for _, g := range have {
		haveSet[g] = true
	}
	var changes []MembershipChange
	for _, g := range want {
		if haveSet[g] {
			delete(haveSet, g)
			continue
		}
		if err := tx.AddMembers(ctx, g, []Member{{ID: id, Type: kind, Source: SourceDynamic}}); err != nil {
			return fmt.Errorf("adding %s to group %s: %w", id, g, err)
		}
		changes = append(changes, MembershipChange{GroupID: g, MemberID: id, MemberType: kind, Added: true})
	}
	for g := range haveSet {
		if err := tx.RemoveMembers(ctx, g, []string{id}); err != nil {
			return fmt.Errorf("removing %s from group %s: %w", id, g, err)
		}
		changes = append(changes, MembershipChange{GroupID: g, MemberID: id, MemberType: kind})
	}
	return s.notify(ctx, tx, changes)
}

// recomputeGroup evaluates one rule against every object of its kind and
// writes only the difference from the stored membership. A nil rule (the
// group became static, or processing is paused with clear=true) empties the
// dynamic membership.
func (s *Service) recomputeGroup(ctx context.Context, tx Tx, groupID string, r *rule.Rule) (added, removed int, err error) {
	members, err := tx.Members(ctx, groupID)
	if err != nil {
		return 0, 0, fmt.Errorf("reading members of %s: %w", groupID, err)
	}
	have := make(map[string]bool, len(members))
	for _, m := range members {
		if m.Source == SourceDynamic {
			have[m.ID] = true
		}
	}
	var adds []Member
	kinds := make(map[string]string, len(members))
	for _, m := range members {
		kinds[m.ID] = m.Type
	}
	consider := func(id, kind string, obj rule.Object) {
		if r.Match(obj) {
			if have[id] {
				delete(have, id)
			} else {
				adds = append(adds, Member{ID: id, Type: kind, Source: SourceDynamic})
			}
		}
	}
	if r != nil {
		switch r.Subject() {
		case rule.SubjectDevice:
			err = tx.EachDevice(ctx, func(d Device) error {
				consider(d.ID, MemberDevice, deviceAttrs(d))
				return nil
			})
		case rule.SubjectUser:
			err = tx.EachUser(ctx, func(u User) error {
				consider(u.ID, MemberUser, userAttrs(u))
				return nil
			})
		}
		if err != nil {
			return 0, 0, fmt.Errorf("evaluating rule of %s: %w", groupID, err)
		}
	}
	removes := make([]string, 0, len(have))
	for id := range have {
		removes = append(removes, id)
	}
	if err := tx.RemoveMembers(ctx, groupID, removes); err != nil {
		return 0, 0, fmt.Errorf("removing members of %s: %w", groupID, err)
	}
	if err := tx.AddMembers(ctx, groupID, adds); err != nil {
		return 0, 0, fmt.Errorf("adding members to %s: %w", groupID, err)
	}
	changes := make([]MembershipChange, 0, len(adds)+len(removes))
	for _, m := range adds {
		changes = append(changes, MembershipChange{GroupID: groupID, MemberID: m.ID, MemberType: m.Type, Added: true})
	}
	for _, id := range removes {
		changes = append(changes, MembershipChange{GroupID: groupID, MemberID: id, MemberType: kinds[id]})
	}
	return len(adds), len(removes), s.notify(ctx, tx, changes)
}
