package directory

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/whiteglove/whiteglove/internal/directory/rule"
)

// NewUser is what creating a user takes.
type NewUser struct {
	User
	Password string // plain text, hashed before storage; empty = no sign-in
}

// CreateUser adds a user and places them in the dynamic groups whose rules
// match. The UPN must be unique (case-insensitively) and end in a domain.
func (s *Service) CreateUser(ctx context.Context, nu NewUser) (User, error) {
	u := nu.User
	if err := validateUser(u); err != nil {
		return User{}, err
	}
	if nu.Password != "" {
		if err := CheckPasswordComplexity(nu.Password); err != nil {
			return User{}, err
		}
		h, err := HashPassword(nu.Password)
		if err != nil {
			return User{}, err
		}
		u.PasswordHash = h
	}
	if u.ID == "" {
		u.ID = uuid.NewString()
	}
	u.CreatedAt = now()
	u.UpdatedAt = u.CreatedAt
	if u.MailNickname == "" {
		u.MailNickname, _, _ = strings.Cut(u.UPN, "@")
	}
	err := s.store.InTx(ctx, func(tx Tx) error {
		v, err := tx.LockRules(ctx, false)
		if err != nil {
			return err
		}
		if u.Licensed {
			if err := checkSeat(ctx, tx); err != nil {
				return err
			}
		}
		if err := tx.PutUser(ctx, u, true); err != nil {
			return err
		}
		return s.reconcileObject(ctx, tx, v, u.ID, MemberUser, userAttrs(u), rule.SubjectUser)
	})
	if err != nil {
		return User{}, fmt.Errorf("creating user %s: %w", u.UPN, err)
	}
	return u, nil
}

// UpdateUser applies change to the stored user and re-evaluates the user's
// dynamic memberships. A non-empty password replaces the current one.
func (s *Service) UpdateUser(ctx context.Context, id string, password string, change func(*User) error) (User, error) {
	var out User
	var hash string
	if password != "" {
		if err := CheckPasswordComplexity(password); err != nil {
			return User{}, err
		}
		h, err := HashPassword(password)
		if err != nil {
			return User{}, err
		}
		hash = h
	}
	err := s.store.InTx(ctx, func(tx Tx) error {
		v, err := tx.LockRules(ctx, false)
		if err != nil {
			return err
		}
		u, err := tx.User(ctx, id)
		if err != nil {
			return err
		}
		wasLicensed := u.Licensed
		if err := change(&u); err != nil {
			return err
		}
		u.ID = id
		if err := validateUser(u); err != nil {
			return err
		}
		if hash != "" {
			u.PasswordHash = hash
		}
		if u.Licensed && !wasLicensed {
			if err := checkSeat(ctx, tx); err != nil {
				return err
			}
		}
		u.UpdatedAt = now()
		if err := tx.PutUser(ctx, u, false); err != nil {
			return err
		}
		out = u
		return s.reconcileObject(ctx, tx, v, u.ID, MemberUser, userAttrs(u), rule.SubjectUser)
	})
	if err != nil {
		return User{}, fmt.Errorf("updating user %s: %w", id, err)
	}
	return out, nil
}

// DeleteUser removes a user and all their memberships.
func (s *Service) DeleteUser(ctx context.Context, id string) error {
	return s.deleteObject(ctx, id, MemberUser, Tx.DeleteUser)
}

// ErrNoSeats is returned when every licence of the subscription is in use.
var ErrNoSeats = errors.New("every licence of the subscription is assigned")

func checkSeat(ctx context.Context, tx Tx) error {
	if err := tx.LockSeats(ctx); err != nil {
		return err
	}
	t, err := tx.Tenant(ctx)
	if err != nil {
		return err
	}
	n, err := tx.LicensedUsers(ctx)
	if err != nil {
		return err
	}
	if n >= t.Seats {
		return fmt.Errorf("%w (%d of %d): buy more or remove a licence from another user", ErrNoSeats, n, t.Seats)
	}
	return nil
}

func validateUser(u User) error {
	local, domain, ok := strings.Cut(u.UPN, "@")
	if !ok || local == "" || domain == "" || strings.ContainsAny(u.UPN, " \t\r\n\"<>") || strings.Count(u.UPN, "@") != 1 {
		return invalid("userPrincipalName %q is not of the form name@domain", u.UPN)
	}
	if len(u.UPN) > 113 {
		return invalid("userPrincipalName is longer than 113 characters")
	}
	if strings.TrimSpace(u.DisplayName) == "" {
		return invalid("displayName is required")
	}
	if len(u.DisplayName) > 256 {
		return invalid("displayName is longer than 256 characters")
	}
	return nil
}
