package apps

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/whiteglove/whiteglove/internal/apperr"
	"github.com/whiteglove/whiteglove/internal/assign"
)

// The Graph collections assignments arrive in, named in messages.
const (
	PropAppAssign    = "mobileAppAssignments"              // mobileApps/{id}/assign
	PropPolicyAssign = "assignments"                       // deviceConfigurations/{id}/assign
	PropScriptAssign = "deviceManagementScriptAssignments" // deviceManagementScripts/{id}/assign
	PropAssignments  = "assignments"                       // …/{id}/assignments (one at a time)
)

// AssignApp replaces an app's assignments with as (an empty set unassigns
// it) and returns them as stored, with generated ids where none was
// given. Targets must be valid, distinct and name existing groups.
func (s *Service) AssignApp(ctx context.Context, id string, as []AppAssignment) ([]AppAssignment, error) {
	if err := s.checkGroups(ctx, PropAppAssign, appTargets(as)); err != nil {
		return nil, fmt.Errorf("assigning app %s: %w", id, err)
	}
	return s.replaceAppAssignments(ctx, id, PropAppAssign, func([]AppAssignment) ([]AppAssignment, error) { return as, nil })
}

// AddAppAssignment adds one assignment to an app and returns it as stored.
func (s *Service) AddAppAssignment(ctx context.Context, id string, a AppAssignment) (AppAssignment, error) {
	if err := s.checkGroups(ctx, "", []assign.Target{a.Target}); err != nil {
		return AppAssignment{}, fmt.Errorf("assigning app %s: %w", id, err)
	}
	out, err := s.replaceAppAssignments(ctx, id, PropAssignments, func(cur []AppAssignment) ([]AppAssignment, error) {
		return append(cur, a), nil
	})
	if err != nil {
		return AppAssignment{}, err
	}
	return out[len(out)-1], nil
}

// DeleteAppAssignment removes one assignment of an app; apperr.ErrNotFound
// when the app or the assignment does not exist.
func (s *Service) DeleteAppAssignment(ctx context.Context, id, assignmentID string) error {
	_, err := s.replaceAppAssignments(ctx, id, PropAssignments, func(cur []AppAssignment) ([]AppAssignment, error) {
		i := slices.IndexFunc(cur, func(a AppAssignment) bool { return strings.EqualFold(a.ID, assignmentID) })
		if i < 0 {
			return nil, fmt.Errorf("assignment %s: %w", assignmentID, apperr.ErrNotFound)
		}
		return slices.Delete(cur, i, i+1), nil
	})
	return err
}

// replaceAppAssignments computes an app's new assignment set from its
// current one with next and stores it. Callers check the groups of the
// targets they add first; those already stored are not checked again, so
// a group deleted since never blocks other edits.
func (s *Service) replaceAppAssignments(ctx context.Context, id, prop string, next func([]AppAssignment) ([]AppAssignment, error)) ([]AppAssignment, error) {
	var out []AppAssignment
	err := s.write(ctx, func(tx Tx) error {
		a, err := tx.App(ctx, id)
		if err != nil {
			return err
		}
		as, err := next(slices.Clone(a.Assignments))
		if err != nil {
			return err
		}
		if out, err = normalizeAppAssignments(as, prop); err != nil {
			return err
		}
		return tx.ReplaceAppAssignments(ctx, a.ID, out)
	})
	if err != nil {
		return nil, fmt.Errorf("assigning app %s: %w", id, err)
	}
	s.log.Info("app assigned", "app", id, "assignments", len(out))
	return out, nil
}

func appTargets(as []AppAssignment) []assign.Target {
	out := make([]assign.Target, len(as))
	for i, a := range as {
		out[i] = a.Target
	}
	return out
}

func targetsOf(as []Assignment) []assign.Target {
	out := make([]assign.Target, len(as))
	for i, a := range as {
		out[i] = a.Target
	}
	return out
}

// AssignPolicy replaces a policy's assignments, as AssignApp does.
func (s *Service) AssignPolicy(ctx context.Context, id string, as []Assignment) ([]Assignment, error) {
	if err := s.checkGroups(ctx, PropPolicyAssign, targetsOf(as)); err != nil {
		return nil, fmt.Errorf("assigning policy %s: %w", id, err)
	}
	return s.replaceAssignments(ctx, ItemPolicy, id, PropPolicyAssign, func([]Assignment) ([]Assignment, error) { return as, nil })
}

// AddPolicyAssignment adds one assignment to a policy.
func (s *Service) AddPolicyAssignment(ctx context.Context, id string, a Assignment) (Assignment, error) {
	return s.addAssignment(ctx, ItemPolicy, id, a)
}

// DeletePolicyAssignment removes one assignment of a policy.
func (s *Service) DeletePolicyAssignment(ctx context.Context, id, assignmentID string) error {
	return s.deleteAssignment(ctx, ItemPolicy, id, assignmentID)
}

// AssignScript replaces a script's assignments, as AssignApp does.
func (s *Service) AssignScript(ctx context.Context, id string, as []Assignment) ([]Assignment, error) {
	if err := s.checkGroups(ctx, PropScriptAssign, targetsOf(as)); err != nil {
		return nil, fmt.Errorf("assigning script %s: %w", id, err)
	}
	return s.replaceAssignments(ctx, ItemScript, id, PropScriptAssign, func([]Assignment) ([]Assignment, error) { return as, nil })
}

// AddScriptAssignment adds one assignment to a script.
func (s *Service) AddScriptAssignment(ctx context.Context, id string, a Assignment) (Assignment, error) {
	return s.addAssignment(ctx, ItemScript, id, a)
}

// DeleteScriptAssignment removes one assignment of a script.
func (s *Service) DeleteScriptAssignment(ctx context.Context, id, assignmentID string) error {
	return s.deleteAssignment(ctx, ItemScript, id, assignmentID)
}

func (s *Service) addAssignment(ctx context.Context, kind ItemKind, id string, a Assignment) (Assignment, error) {
	if err := s.checkGroups(ctx, "", []assign.Target{a.Target}); err != nil {
		return Assignment{}, fmt.Errorf("assigning %s %s: %w", kind, id, err)
	}
	out, err := s.replaceAssignments(ctx, kind, id, PropAssignments, func(cur []Assignment) ([]Assignment, error) {
		return append(cur, a), nil
	})
	if err != nil {
		return Assignment{}, err
	}
	return out[len(out)-1], nil
}

func (s *Service) deleteAssignment(ctx context.Context, kind ItemKind, id, assignmentID string) error {
	_, err := s.replaceAssignments(ctx, kind, id, PropAssignments, func(cur []Assignment) ([]Assignment, error) {
		i := slices.IndexFunc(cur, func(a Assignment) bool { return strings.EqualFold(a.ID, assignmentID) })
		if i < 0 {
			return nil, fmt.Errorf("assignment %s: %w", assignmentID, apperr.ErrNotFound)
		}
		return slices.Delete(cur, i, i+1), nil
	})
	return err
}

// replaceAssignments is replaceAppAssignments for policies and scripts.
func (s *Service) replaceAssignments(ctx context.Context, kind ItemKind, id, prop string, next func([]Assignment) ([]Assignment, error)) ([]Assignment, error) {
	var out []Assignment
	err := s.write(ctx, func(tx Tx) error {
		ownerID, cur, err := owner(ctx, tx, kind, id)
		if err != nil {
			return err
		}
		as, err := next(slices.Clone(cur))
		if err != nil {
			return err
		}
		if out, err = normalizeAssignments(as, prop); err != nil {
			return err
		}
		return tx.ReplaceAssignments(ctx, kind, ownerID, out)
	})
	if err != nil {
		return nil, fmt.Errorf("assigning %s %s: %w", kind, id, err)
	}
	s.log.Info("catalog item assigned", "kind", kind, "id", id, "assignments", len(out))
	return out, nil
}

// owner returns the stored id and current assignments of a policy or script.
func owner(ctx context.Context, tx Tx, kind ItemKind, id string) (string, []Assignment, error) {
	if kind == ItemScript {
		sc, err := tx.Script(ctx, id)
		return sc.ID, sc.Assignments, err
	}
	p, err := tx.Policy(ctx, id)
	return p.ID, p.Assignments, err
}
