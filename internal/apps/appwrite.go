package apps

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/whiteglove/whiteglove/internal/apperr"
)

// CreateApp adds a as a new app and returns it as stored. Its id and times
// are set here; its content fields start empty (SetAppContent) and its
// assignments are ignored (AssignApp). Dependencies may be given.
func (s *Service) CreateApp(ctx context.Context, a App) (App, error) {
	a = a.clone()
	a.ID, a.CreatedAt = newID(), now()
	a.UpdatedAt, a.ContentSHA256, a.Size, a.Assignments = a.CreatedAt, "", 0, nil
	if err := a.normalize(nil); err != nil {
		return App{}, fmt.Errorf("creating app %q: %w", a.DisplayName, err)
	}
	err := s.write(ctx, func(tx Tx) error {
		deps, err := checkDependencies(ctx, tx, a, a.Dependencies)
		if err != nil {
			return err
		}
		a.Dependencies = deps
		if err := tx.PutApp(ctx, a, true); err != nil {
			return err
		}
		return tx.SetDependencies(ctx, a.ID, deps)
	})
	if err != nil {
		return App{}, fmt.Errorf("creating app %q: %w", a.DisplayName, err)
	}
	s.log.Info("app created", "app", a.ID, "kind", a.ODataType)
	return a, nil
}

// UpdateApp applies change to a stored app in one transaction and returns
// the result. change may alter any property but the id, the type, the
// content fields and the assignments (those are kept whatever it does);
// changed dependencies are checked as in CreateApp. An error from change,
// or an invalid result, writes nothing.
func (s *Service) UpdateApp(ctx context.Context, id string, change func(*App) error) (App, error) {
	var out App
	err := s.write(ctx, func(tx Tx) error {
		old, err := tx.App(ctx, id)
		if err != nil {
			return err
		}
		a := old.clone()
		if err := change(&a); err != nil {
			return err
		}
		a.ID, a.Kind, a.ODataType, a.CreatedAt, a.UpdatedAt = old.ID, old.Kind, old.ODataType, old.CreatedAt, now()
		a.ContentSHA256, a.Size, a.Assignments = old.ContentSHA256, old.Size, old.Assignments
		if err := a.normalize(&old); err != nil {
			return err
		}
		if !slices.Equal(a.Dependencies, old.Dependencies) {
			deps, err := checkDependencies(ctx, tx, a, a.Dependencies)
			if err != nil {
				return err
			}
			a.Dependencies = deps
			if err := tx.SetDependencies(ctx, a.ID, deps); err != nil {
				return err
			}
		}
		out = a
		return tx.PutApp(ctx, a, false)
	})
	if err != nil {
		return App{}, fmt.Errorf("updating app %s: %w", id, err)
	}
	return out, nil
}

// SetDependencies replaces the dependencies of a Win32 app (an empty list
// removes them) and returns the app.
func (s *Service) SetDependencies(ctx context.Context, id string, deps []string) (App, error) {
	return s.UpdateApp(ctx, id, func(a *App) error {
		a.Dependencies = append([]string(nil), deps...)
		return nil
	})
}

var sha256RE = regexp.MustCompile(`^[0-9a-f]{64}$`)

// SetAppContent records the committed package of an app: the SHA-256 of
// its blob (hex) and its size in bytes. The content store calls it once
// the blob is stored; it is the only way to change these two fields.
func (s *Service) SetAppContent(ctx context.Context, id, sha256Hex string, size int64) (App, error) {
	sha256Hex = strings.ToLower(sha256Hex)
	if !sha256RE.MatchString(sha256Hex) {
		return App{}, apperr.Invalid("setting the content of app %s: %q is not a SHA-256 in hexadecimal", id, sha256Hex)
	}
	if size <= 0 {
		return App{}, apperr.Invalid("setting the content of app %s: the size must be positive, not %d", id, size)
	}
	var out App
	err := s.write(ctx, func(tx Tx) error {
		a, err := tx.App(ctx, id)
		if err != nil {
			return err
		}
		a.ContentSHA256, a.Size, a.UpdatedAt = sha256Hex, size, now()
		out = a
		return tx.PutApp(ctx, a, false)
	})
	if err != nil {
		return App{}, fmt.Errorf("setting the content of app %s: %w", id, err)
	}
	return out, nil
}

// DeleteApp removes an app and its assignments, as Intune does. An app
// that other apps depend on is refused (apperr.StateError naming them):
// remove it from their dependencies first.
func (s *Service) DeleteApp(ctx context.Context, id string) error {
	err := s.write(ctx, func(tx Tx) error {
		a, err := tx.App(ctx, id)
		if err != nil {
			return err
		}
		graph, err := tx.Dependencies(ctx)
		if err != nil {
			return err
		}
		if ds := dependents(graph, a.ID); len(ds) > 0 {
			sort.Strings(ds)
			names, err := appNames(ctx, tx, ds)
			if err != nil {
				return err
			}
			return apperr.State("%q cannot be deleted while %s depend on it; remove it from their dependencies first",
				a.DisplayName, strings.Join(names, ", "))
		}
		return tx.DeleteApp(ctx, a.ID)
	})
	if err != nil {
		return fmt.Errorf("deleting app %s: %w", id, err)
	}
	s.log.Info("app deleted", "app", id)
	return nil
}
