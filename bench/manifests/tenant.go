package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/whiteglove/whiteglove/internal/apps"
	"github.com/whiteglove/whiteglove/internal/assign"
	"github.com/whiteglove/whiteglove/internal/autopilot"
	"github.com/whiteglove/whiteglove/internal/directory"
	"github.com/whiteglove/whiteglove/internal/store"
	"github.com/whiteglove/whiteglove/internal/store/sqlstore"
)

func makeGroups(ctx context.Context, dir *directory.Service, n int) ([]string, error) {
	ids := make([]string, n)
	for i := range ids {
		g, err := dir.CreateGroup(ctx, directory.Group{DisplayName: fmt.Sprintf("G%05d", i), SecurityEnabled: true})
		if err != nil {
			return nil, err
		}
		ids[i] = g.ID
	}
	return ids, nil
}

// makeDevices registers n devices (Entra objects and Autopilot identities)
// and puts each in 10 random static groups, written in bulk.
func makeDevices(ctx context.Context, st *sqlstore.Store, dir *directory.Service, n int, gids []string) ([]string, error) {
	r := rand.New(rand.NewPCG(1, 2))
	var ztd []string
	now := time.Now().UTC()
	for start := 0; start < n; start += 2000 {
		count := min(2000, n-start)
		entra := make([]directory.Device, count)
		for i := range entra {
			entra[i] = directory.Device{DisplayName: fmt.Sprintf("PC%06d", start+i), AccountEnabled: true}
		}
		err := st.AutopilotTx(ctx, func(tx autopilot.Tx) error {
			created, err := dir.CreateDevicesTx(ctx, tx, entra)
			if err != nil {
				return err
			}
			devs := make([]autopilot.Device, count)
			members := map[string][]directory.Member{}
			for i, e := range created {
				id := uuid.NewString()
				devs[i] = autopilot.Device{ID: id, Fingerprint: "bench:" + id, SerialNumber: e.DisplayName, EntraObjectID: e.ID, EntraDeviceID: e.DeviceID,
					EnrollmentState: autopilot.EnrollmentNotContacted, ProfileStatus: autopilot.ProfileNotAssigned, RemediationState: "noRemediationRequired",
					UserlessEnrollmentStatus: "allowed", CreatedAt: now, UpdatedAt: now}
				ztd = append(ztd, id)
				for k := 0; k < 10; k++ {
					g := gids[r.IntN(len(gids))]
					members[g] = append(members[g], directory.Member{ID: e.ID, Type: directory.MemberDevice, Source: directory.SourceStatic})
				}
			}
			if err := tx.PutAutopilotDevices(ctx, devs); err != nil {
				return err
			}
			for g, ms := range members {
				if err := tx.AddMembers(ctx, g, dedupe(ms)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("devices %d..: %w", start, err)
		}
	}
	return ztd, nil
}

func dedupe(ms []directory.Member) []directory.Member {
	seen := map[string]bool{}
	out := ms[:0]
	for _, m := range ms {
		if !seen[m.ID] {
			seen[m.ID] = true
			out = append(out, m)
		}
	}
	return out
}

// makeCatalog creates apps and policies, each assigned to a random group.
func makeCatalog(ctx context.Context, cat *apps.Service, nApps, nPol int, gids []string) error {
	r := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < nApps; i++ {
		a, err := cat.CreateApp(ctx, win32(fmt.Sprintf("App%05d", i)))
		if err != nil {
			return err
		}
		if _, err := cat.AssignApp(ctx, a.ID, []apps.AppAssignment{{Intent: apps.IntentRequired, Target: assign.Target{Kind: assign.Group, GroupID: gids[r.IntN(len(gids))]}}}); err != nil {
			return err
		}
	}
	for i := 0; i < nPol; i++ {
		p, err := cat.CreatePolicy(ctx, apps.Policy{Kind: apps.CustomSettings, DisplayName: fmt.Sprintf("Policy%05d", i),
			Settings: []apps.OMASetting{{Type: apps.OMAInteger, DisplayName: "S", OMAURI: "./Device/Vendor/MSFT/Policy/Config/Bench/Setting" + fmt.Sprint(i), Value: "1"}}})
		if err != nil {
			return err
		}
		if _, err := cat.AssignPolicy(ctx, p.ID, []apps.Assignment{{Target: assign.Target{Kind: assign.Group, GroupID: gids[r.IntN(len(gids))]}}}); err != nil {
			return err
		}
	}
	return nil
}

// rawUpsert writes n manifest-sized rows the plainest way, for the ceiling.
func rawUpsert(ctx context.Context, db *store.DB, n int) (time.Duration, error) {
	if _, err := db.Exec(ctx, "CREATE TABLE bench_manifests (id TEXT PRIMARY KEY, version BIGINT NOT NULL, digest TEXT NOT NULL, body TEXT NOT NULL, at TEXT NOT NULL)"); err != nil {
		return 0, err
	}
	body := strings.Repeat("x", 600)
	start := time.Now()
	err := db.InTx(ctx, func(tx *store.Tx) error {
		for i := 0; i < n; i += 200 {
			var b strings.Builder
			b.WriteString("INSERT INTO bench_manifests VALUES ")
			var args []any
			for j := i; j < min(i+200, n); j++ {
				if j > i {
					b.WriteString(",")
				}
				b.WriteString("(?,?,?,?,?)")
				args = append(args, fmt.Sprintf("%036d", j), 1, strings.Repeat("d", 64), body, "2026-01-01T00:00:00Z")
			}
			b.WriteString(" ON CONFLICT (id) DO UPDATE SET version = excluded.version")
			if _, err := tx.Exec(ctx, b.String(), args...); err != nil {
				return err
			}
		}
		return nil
	})
	return time.Since(start), err
}
