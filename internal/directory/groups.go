package directory

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/whiteglove/whiteglove/internal/directory/rule"
)

// RuleError is a dynamic membership rule that does not parse.
type RuleError struct{ Err error }

func (e *RuleError) Error() string { return "membershipRule: " + e.Err.Error() }
func (e *RuleError) Unwrap() error { return e.Err }

// CreateGroup adds a group. A dynamic group's rule is parsed and evaluated
// against every object of its kind before the call returns, in the same
// transaction: the group is never visible with a half-computed membership.
func (s *Service) CreateGroup(ctx context.Context, g Group) (Group, error) {
	if g.ID == "" {
		g.ID = uuid.NewString()
	}
	r, err := prepareGroup(&g)
	if err != nil {
		return Group{}, err
	}
	g.CreatedAt = now()
	g.UpdatedAt = g.CreatedAt
	err = s.store.InTx(ctx, func(tx Tx) error {
		if _, err := tx.LockRules(ctx, g.Dynamic()); err != nil {
			return err
		}
		if err := tx.PutGroup(ctx, g, true); err != nil {
			return err
		}
		if !g.Dynamic() {
			return nil
		}
		if _, err := tx.BumpRulesVersion(ctx); err != nil {
			return err
		}
		added, _, err := s.recomputeGroup(ctx, tx, g.ID, activeRule(g, r))
		s.log.Info("dynamic group created", "group", g.ID, "members", added)
		return err
	})
	if err != nil {
		return Group{}, fmt.Errorf("creating group %q: %w", g.DisplayName, err)
	}
	return g, nil
}

// UpdateGroup applies change to a stored group. When the rule, the
// processing state or the group type changes, membership is recomputed for
// that one group, writing only the difference.
func (s *Service) UpdateGroup(ctx context.Context, id string, change func(*Group) error) (Group, error) {
	// Most edits (a rename, a description) need only the shared rules lock,
	// so device and user writes go on; an edit that turns out to touch the
	// rule is rolled back and redone under the exclusive lock.
	out, err := s.updateGroup(ctx, id, change, false)
	if errors.Is(err, errNeedRulesLock) {
		out, err = s.updateGroup(ctx, id, change, true)
	}
	return out, err
}

var errNeedRulesLock = errors.New("the edit changes a membership rule")

func (s *Service) updateGroup(ctx context.Context, id string, change func(*Group) error, exclusive bool) (Group, error) {
	var out Group
	err := s.store.InTx(ctx, func(tx Tx) error {
		if _, err := tx.LockRules(ctx, exclusive); err != nil {
			return err
		}
		old, err := tx.Group(ctx, id)
		if err != nil {
			return err
		}
		g := old
		g.GroupTypes = append([]string(nil), old.GroupTypes...)
		if err := change(&g); err != nil {
			return err
		}
		g.ID = id
		r, err := prepareGroup(&g)
		if err != nil {
			return err
		}
		g.UpdatedAt = now()
		if err := tx.PutGroup(ctx, g, false); err != nil {
			return err
		}
		out = g
		ruleChanged := g.Dynamic() != old.Dynamic() || g.MembershipRule != old.MembershipRule || g.RuleProcessingState != old.RuleProcessingState
		if !ruleChanged {
			return nil
		}
		if !exclusive {
			return errNeedRulesLock
		}
		if _, err := tx.BumpRulesVersion(ctx); err != nil {
			return err
		}
		switch {
		case g.Dynamic() && !old.Dynamic():
			// Static members do not survive the switch to a rule.
			if err := s.dropStatic(ctx, tx, id); err != nil {
				return err
			}
		case !g.Dynamic() && old.Dynamic():
			// Converting to static keeps today's members, now static.
			return keepAsStatic(ctx, tx, id)
		}
		if g.Dynamic() && g.RuleProcessingState == RuleProcessingPaused {
			return nil // paused: membership frozen as it is
		}
		added, removed, err := s.recomputeGroup(ctx, tx, id, activeRule(g, r))
		s.log.Info("dynamic group recomputed", "group", id, "added", added, "removed", removed)
		return err
	})
	if err != nil {
		return Group{}, fmt.Errorf("updating group %s: %w", id, err)
	}
	return out, nil
}

// DeleteGroup removes a group and its memberships.
func (s *Service) DeleteGroup(ctx context.Context, id string) error {
	return s.store.InTx(ctx, func(tx Tx) error {
		// Lock before reading: a concurrent PATCH may make the group dynamic.
		if _, err := tx.LockRules(ctx, true); err != nil {
			return err
		}
		g, err := tx.Group(ctx, id)
		if err != nil {
			return err
		}
		if g.Dynamic() {
			if _, err := tx.BumpRulesVersion(ctx); err != nil {
				return err
			}
		}
		ms, err := tx.Members(ctx, id)
		if err != nil {
			return err
		}
		if err := tx.DeleteGroup(ctx, id); err != nil {
			return err
		}
		changes := make([]MembershipChange, len(ms))
		for i, m := range ms {
			changes[i] = MembershipChange{GroupID: id, MemberID: m.ID, MemberType: m.Type}
		}
		return s.notify(ctx, tx, changes)
	})
}

// ErrDynamicGroup is returned when members are added to or removed from a
// dynamic group by hand.
var ErrDynamicGroup = errors.New("members of a dynamic membership group are managed by its rule and cannot be added or removed by hand")

// AddMember adds a user or device object to a static group. The object is
// share-locked so a concurrent delete cannot leave an orphan membership.
func (s *Service) AddMember(ctx context.Context, groupID, objectID string) error {
	err := s.store.InTx(ctx, func(tx Tx) error {
		if _, err := tx.LockRules(ctx, false); err != nil {
			return err
		}
		return s.addMemberTx(ctx, tx, groupID, objectID)
	})
	if err != nil {
		return fmt.Errorf("adding %s to group %s: %w", objectID, groupID, err)
	}
	return nil
}

func (s *Service) addMemberTx(ctx context.Context, tx Tx, groupID, objectID string) error {
	g, err := tx.Group(ctx, groupID)
	if err != nil {
		return err
	}
	if g.Dynamic() {
		return ErrDynamicGroup
	}
	kind, err := tx.LockObject(ctx, objectID)
	if err != nil {
		return err
	}
	ms, err := tx.Members(ctx, groupID)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if m.ID == strings.ToLower(objectID) {
			return fmt.Errorf("%w: object %s is already a member of group %s", ErrConflict, objectID, groupID)
		}
	}
	if err := tx.AddMembers(ctx, groupID, []Member{{ID: objectID, Type: kind, Source: SourceStatic}}); err != nil {
		return err
	}
	return s.notify(ctx, tx, []MembershipChange{{GroupID: groupID, MemberID: objectID, MemberType: kind, Added: true}})
}

// CreateGroupWithMembers creates a static group and its first members in
// one transaction (members@odata.bind): all or nothing.
func (s *Service) CreateGroupWithMembers(ctx context.Context, g Group, memberIDs []string) (Group, error) {
	if len(memberIDs) == 0 {
		return s.CreateGroup(ctx, g)
	}
	if g.Dynamic() {
		return Group{}, ErrDynamicGroup
	}
	if g.ID == "" {
		g.ID = uuid.NewString()
	}
	if _, err := prepareGroup(&g); err != nil {
		return Group{}, err
	}
	g.CreatedAt = now()
	g.UpdatedAt = g.CreatedAt
	err := s.store.InTx(ctx, func(tx Tx) error {
		if _, err := tx.LockRules(ctx, false); err != nil {
			return err
		}
		if err := tx.PutGroup(ctx, g, true); err != nil {
			return err
		}
		for _, id := range memberIDs {
			if err := s.addMemberTx(ctx, tx, g.ID, id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return Group{}, fmt.Errorf("creating group %q with %d members: %w", g.DisplayName, len(memberIDs), err)
	}
	return g, nil
}

// RemoveMember removes an object from a static group.
func (s *Service) RemoveMember(ctx context.Context, groupID, objectID string) error {
	return s.store.InTx(ctx, func(tx Tx) error {
		if _, err := tx.LockRules(ctx, false); err != nil {
			return err
		}
		g, err := tx.Group(ctx, groupID)
		if err != nil {
			return err
		}
		if g.Dynamic() {
			return ErrDynamicGroup
		}
		ms, err := tx.Members(ctx, groupID)
		if err != nil {
			return err
		}
		for _, m := range ms {
			if m.ID == strings.ToLower(objectID) {
				if err := tx.RemoveMembers(ctx, groupID, []string{objectID}); err != nil {
					return err
				}
				return s.notify(ctx, tx, []MembershipChange{{GroupID: groupID, MemberID: objectID, MemberType: m.Type}})
			}
		}
		return fmt.Errorf("%w: object %s is not a member of group %s", ErrNotFound, objectID, groupID)
	})
}

// prepareGroup validates g, normalises its types and parses its rule.
func prepareGroup(g *Group) (*rule.Rule, error) {
	if strings.TrimSpace(g.DisplayName) == "" {
		return nil, invalid("displayName is required")
	}
	if len(g.DisplayName) > 256 {
		return nil, invalid("displayName is longer than 256 characters")
	}
	if !g.Dynamic() {
		if g.MembershipRule != "" {
			return nil, invalid("membershipRule needs groupTypes to include %q", GroupTypeDynamic)
		}
		g.RuleProcessingState = ""
		return nil, nil
	}
	if strings.TrimSpace(g.MembershipRule) == "" {
		return nil, invalid("a dynamic group needs a membershipRule")
	}
	if len(g.MembershipRule) > 3072 {
		return nil, invalid("membershipRule is longer than 3072 characters")
	}
	r, err := rule.Parse(g.MembershipRule)
	if err != nil {
		return nil, &RuleError{Err: err}
	}
	switch {
	case g.RuleProcessingState == "":
		g.RuleProcessingState = RuleProcessingOn
	case equalFold(g.RuleProcessingState, RuleProcessingOn):
		g.RuleProcessingState = RuleProcessingOn
	case equalFold(g.RuleProcessingState, RuleProcessingPaused):
		g.RuleProcessingState = RuleProcessingPaused
	default:
		return nil, invalid("membershipRuleProcessingState must be %q or %q", RuleProcessingOn, RuleProcessingPaused)
	}
	return r, nil
}

// activeRule is the rule to evaluate now: nil when processing is paused.
func activeRule(g Group, r *rule.Rule) *rule.Rule {
	if g.RuleProcessingState == RuleProcessingPaused {
		return nil
	}
	return r
}

func (s *Service) dropStatic(ctx context.Context, tx Tx, groupID string) error {
	ms, err := tx.Members(ctx, groupID)
	if err != nil {
		return err
	}
	var ids []string
	var changes []MembershipChange
	for _, m := range ms {
		if m.Source == SourceStatic {
			ids = append(ids, m.ID)
			changes = append(changes, MembershipChange{GroupID: groupID, MemberID: m.ID, MemberType: m.Type})
		}
	}
	if err := tx.RemoveMembers(ctx, groupID, ids); err != nil {
		return err
	}
	return s.notify(ctx, tx, changes)
}

func keepAsStatic(ctx context.Context, tx Tx, groupID string) error {
	ms, err := tx.Members(ctx, groupID)
	if err != nil {
		return err
	}
	var ids []string
	var again []Member
	for _, m := range ms {
		if m.Source == SourceDynamic {
			ids = append(ids, m.ID)
			again = append(again, Member{ID: m.ID, Type: m.Type, Source: SourceStatic})
		}
	}
	if err := tx.RemoveMembers(ctx, groupID, ids); err != nil {
		return err
	}
	return tx.AddMembers(ctx, groupID, again)
}
