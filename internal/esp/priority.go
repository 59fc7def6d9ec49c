package esp

import (
	"context"
	"fmt"

	"github.com/whiteglove/whiteglove/internal/apperr"
)

// SetPriority moves a profile to priority n (1 is the highest) and shifts
// the profiles in between by one, as Intune does: moving C to 1 in A1 B2 C3
// gives C1 A2 B3; moving A to 3 gives B1 C2 A3. n must be between 1 and the
// number of profiles other than the default, which cannot be moved.
func (s *Service) SetPriority(ctx context.Context, id string, n int) error {
	err := s.store.InTx(ctx, func(tx Tx) error {
		if err := tx.Lock(ctx); err != nil {
			return err
		}
		p, err := tx.Profile(ctx, id)
		if err != nil {
			return err
		}
		if p.Default {
			return apperr.Invalid("the default ESP profile always has the lowest priority (0) and cannot be moved")
		}
		ordered, err := s.ranked(ctx, tx)
		if err != nil {
			return err
		}
		if n < 1 || n > len(ordered) {
			return apperr.Invalid("priority must be between 1 and %d (the number of ESP profiles other than the default), not %d", len(ordered), n)
		}
		rest := make([]Profile, 0, len(ordered))
		for _, o := range ordered {
			if o.ID != p.ID {
				rest = append(rest, o)
			}
		}
		moved := append(rest[:n-1:n-1], p)
		moved = append(moved, rest[n-1:]...)
		return tx.SetPriorities(ctx, renumber(moved))
	})
	if err != nil {
		return fmt.Errorf("setting the priority of ESP profile %s: %w", id, err)
	}
	s.log.Info("ESP profile priority set", "profile", id, "priority", n)
	return nil
}

// ranked returns the profiles other than the default, highest priority first.
func (s *Service) ranked(ctx context.Context, r Reader) ([]Profile, error) {
	all, err := r.Profiles(ctx)
	if err != nil {
		return nil, err
	}
	out := all[:0:0]
	for _, p := range all {
		if !p.Default {
			out = append(out, p)
		}
	}
	return out, nil
}

// renumber gives ordered profiles priorities 1..n and returns the changes.
func renumber(ordered []Profile) map[string]int {
	changes := map[string]int{}
	for i, p := range ordered {
		if p.Priority != i+1 {
			changes[p.ID] = i + 1
		}
	}
	return changes
}
