package apps

import (
	"context"
	"fmt"
)

// CreatePolicy adds p as a new policy at version 1 and returns it as
// stored. Its id, version and times are set here; assignments are ignored
// (AssignPolicy). A custom settings profile that disables the sign-in
// assistant is stored as SigninAssistant.
func (s *Service) CreatePolicy(ctx context.Context, p Policy) (Policy, error) {
	p = p.clone()
	p.ID, p.Version, p.CreatedAt, p.Assignments = newID(), 1, now(), nil
	p.UpdatedAt = p.CreatedAt
	if err := p.normalize(nil); err != nil {
		return Policy{}, fmt.Errorf("creating policy %q: %w", p.DisplayName, err)
	}
	err := s.write(ctx, func(tx Tx) error { return tx.PutPolicy(ctx, p, true) })
	if err != nil {
		return Policy{}, fmt.Errorf("creating policy %q: %w", p.DisplayName, err)
	}
	s.log.Info("policy created", "policy", p.ID, "kind", p.Kind)
	if p.DisablesSigninAssistant() {
		s.log.Warn("policy disables the Microsoft Account sign-in assistant: users of devices it reaches in the technician flow get EULA and a local account instead of the Entra sign-in", "policy", p.ID)
	}
	return p, nil
}

// UpdatePolicy applies change to a stored policy in one transaction and
// returns the result with its version bumped. change may alter anything
// but the id, the Graph type (the kind's family) and the assignments. An
// error from change, or an invalid result, writes nothing.
func (s *Service) UpdatePolicy(ctx context.Context, id string, change func(*Policy) error) (Policy, error) {
	var out Policy
	err := s.write(ctx, func(tx Tx) error {
		old, err := tx.Policy(ctx, id)
		if err != nil {
			return err
		}
		p := old.clone()
		if err := change(&p); err != nil {
			return err
		}
		p.ID, p.CreatedAt, p.Assignments = old.ID, old.CreatedAt, old.Assignments
		p.Version, p.UpdatedAt = old.Version+1, now()
		if err := p.normalize(&old); err != nil {
			return err
		}
		out = p
		return tx.PutPolicy(ctx, p, false)
	})
	if err != nil {
		return Policy{}, fmt.Errorf("updating policy %s: %w", id, err)
	}
	return out, nil
}

// DeletePolicy removes a policy and its assignments.
func (s *Service) DeletePolicy(ctx context.Context, id string) error {
	err := s.write(ctx, func(tx Tx) error {
		p, err := tx.Policy(ctx, id)
		if err != nil {
			return err
		}
		return tx.DeletePolicy(ctx, p.ID)
	})
	if err != nil {
		return fmt.Errorf("deleting policy %s: %w", id, err)
	}
	s.log.Info("policy deleted", "policy", id)
	return nil
}

// CreateScript adds sc as a new script and returns it as stored; its id
// and times are set here and its assignments ignored (AssignScript).
func (s *Service) CreateScript(ctx context.Context, sc Script) (Script, error) {
	sc = sc.clone()
	sc.ID, sc.CreatedAt, sc.Assignments = newID(), now(), nil
	sc.UpdatedAt = sc.CreatedAt
	if err := sc.normalize(); err != nil {
		return Script{}, fmt.Errorf("creating script %q: %w", sc.DisplayName, err)
	}
	if err := s.write(ctx, func(tx Tx) error { return tx.PutScript(ctx, sc, true) }); err != nil {
		return Script{}, fmt.Errorf("creating script %q: %w", sc.DisplayName, err)
	}
	s.log.Info("script created", "script", sc.ID)
	return sc, nil
}

// UpdateScript applies change to a stored script in one transaction and
// returns the result; the id and assignments are kept whatever change does.
func (s *Service) UpdateScript(ctx context.Context, id string, change func(*Script) error) (Script, error) {
	var out Script
	err := s.write(ctx, func(tx Tx) error {
		old, err := tx.Script(ctx, id)
		if err != nil {
			return err
		}
		sc := old.clone()
		if err := change(&sc); err != nil {
			return err
		}
		sc.ID, sc.CreatedAt, sc.Assignments, sc.UpdatedAt = old.ID, old.CreatedAt, old.Assignments, now()
		if err := sc.normalize(); err != nil {
			return err
		}
		out = sc
		return tx.PutScript(ctx, sc, false)
	})
	if err != nil {
		return Script{}, fmt.Errorf("updating script %s: %w", id, err)
	}
	return out, nil
}

// DeleteScript removes a script and its assignments.
func (s *Service) DeleteScript(ctx context.Context, id string) error {
	err := s.write(ctx, func(tx Tx) error {
		sc, err := tx.Script(ctx, id)
		if err != nil {
			return err
		}
		return tx.DeleteScript(ctx, sc.ID)
	})
	if err != nil {
		return fmt.Errorf("deleting script %s: %w", id, err)
	}
	s.log.Info("script deleted", "script", id)
	return nil
}
