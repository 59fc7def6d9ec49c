package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"
)

// count runs a COUNT(*) query on the tenant's database.
func (t *tenant) count(ctx context.Context, q string, args ...any) (int, error) {
	var n int
	if err := t.db.QueryRow(ctx, q, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("counting rows: %w", err)
	}
	return n, nil
}

// waitRegistered waits until all n imports are submitted (submitted
// counts those the clients saw accepted), none is still processing, and n
// identities read assignedInSync to the tenant's profile; it returns the time
// since start at that moment. It probes the database every 100 ms, and
// gives up when nothing moves for a minute.
func (t *tenant) waitRegistered(ctx context.Context, n int, start time.Time, submitted func() int, what string) (time.Duration, error) {
	last, lastMove, lastPrint := -1, time.Now(), time.Now()
	for {
		// An indexed probe every 100 ms; a full count every 5 s for progress.
		// submitted is read first: the imports it counts were committed
		// before the probe looks.
		all := submitted() == n
		var one int
		err := t.db.QueryRow(ctx, "SELECT 1 FROM autopilot_imports WHERE status = 'unknown' LIMIT 1").Scan(&one)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return 0, fmt.Errorf("probing for unfinished imports: %w", err)
		}
		if all && err != nil {
			break
		}
		if time.Since(lastPrint) > 5*time.Second {
			lastPrint = time.Now()
			total := submitted()
			pending, err := t.count(ctx, "SELECT COUNT(*) FROM autopilot_imports WHERE status = 'unknown'")
			if err != nil {
				return 0, err
			}
			done := total - pending
			if done != last {
				last, lastMove = done, time.Now()
			}
			if time.Since(lastMove) > time.Minute {
				return 0, fmt.Errorf("%s: stalled at %d of %d imports finished", what, done, n)
			}
			el := time.Since(start).Seconds()
			fmt.Fprintf(os.Stderr, "  %s: %.0fs: %d/%d submitted, %d finished, %.0f devices/s so far\n", what, el, total, n, done, float64(done)/el)
		}
		time.Sleep(100 * time.Millisecond)
	}
	// Assignment commits with registration; poll anyway, the figure is
	// "complete and assignedInSync".
	deadline := time.Now().Add(time.Minute)
	for {
		in, err := t.count(ctx, "SELECT COUNT(*) FROM autopilot_devices WHERE profile_status = 'assignedInSync' AND profile_id = ?", t.prof)
		if err != nil {
			return 0, err
		}
		if in == n {
			return time.Since(start), nil
		}
		if time.Now().After(deadline) {
			return 0, fmt.Errorf("%s: only %d of %d identities read assignedInSync a minute after every import finished", what, in, n)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// verify checks the end state: n imports complete without error, each
// pointing at an identity that reads assignedInSync to the profile, and n
// Entra devices in the dynamic group.
func (t *tenant) verify(ctx context.Context, n int, what string) error {
	checks := []struct {
		name string
		q    string
		args []any
	}{
		{"imports", "SELECT COUNT(*) FROM autopilot_imports", nil},
		{"imports complete", "SELECT COUNT(*) FROM autopilot_imports WHERE status = 'complete' AND error_code = 0", nil},
		{"identities", "SELECT COUNT(*) FROM autopilot_devices", nil},
		{"imports registered as an identity assignedInSync to the profile",
			`SELECT COUNT(*) FROM autopilot_imports i JOIN autopilot_devices d ON d.id = i.registration_id
			 WHERE d.profile_status = 'assignedInSync' AND d.profile_id = ?`, []any{t.prof}},
		{"Entra devices in the dynamic group", "SELECT COUNT(*) FROM group_members WHERE group_id = ? AND member_type = 'device'", []any{strings.ToLower(t.group)}},
	}
	for _, c := range checks {
		got, err := t.count(ctx, c.q, c.args...)
		if err != nil {
			return fmt.Errorf("%s: verifying %s: %w", what, c.name, err)
		}
		if got != n {
			return fmt.Errorf("%s: %d %s, want %d", what, got, c.name, n)
		}
	}
	return nil
}
