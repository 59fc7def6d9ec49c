package apps_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/whiteglove/whiteglove/internal/apps"
	"github.com/whiteglove/whiteglove/internal/assign"
	"github.com/whiteglove/whiteglove/internal/store"
	"github.com/whiteglove/whiteglove/internal/store/storetest"
)

// BenchmarkSnapshot reads a catalog of 500 apps (two assignments each) and
// 100 policies, the targeting engine's cache fill. It reports the time per
// snapshot as a ratio against a ceiling measured in the same run: scanning
// the same rows as raw text, with no decoding or assembly.
func BenchmarkSnapshot(b *testing.B) {
	ctx := context.Background()
	db := storetest.Open(b, store.SQLite)
	e := newEnv(&testing.T{}, db)
	for i := 0; i < 500; i++ {
		a, err := e.svc.CreateApp(ctx, win32(fmt.Sprintf("app %d", i)))
		if err != nil {
			b.Fatal(err)
		}
		_, err = e.svc.AssignApp(ctx, a.ID, []apps.AppAssignment{
			{Intent: apps.IntentRequired, Target: assign.Target{Kind: assign.AllDevices}},
			{Intent: apps.IntentAvailable, Target: assign.Target{Kind: assign.AllLicensedUsers}},
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	for i := 0; i < 100; i++ {
		if _, err := e.svc.CreatePolicy(ctx, customPolicy(fmt.Sprintf("policy %d", i), cameraOff)); err != nil {
			b.Fatal(err)
		}
	}
	ceiling := measure(b, 20, func() {
		for _, q := range []string{"SELECT id, body FROM mobile_apps", "SELECT owner_id, group_id FROM catalog_assignments", "SELECT id, body FROM device_configurations"} {
			rows, err := db.Query(ctx, q)
			if err != nil {
				b.Fatal(err)
			}
			for rows.Next() {
				var x, y string
				if err := rows.Scan(&x, &y); err != nil {
					b.Fatal(err)
				}
			}
			rows.Close()
		}
	})
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c, err := e.svc.Snapshot(ctx)
		if err != nil || len(c.Apps) != 500 {
			b.Fatalf("snapshot: %d apps, %v", len(c.Apps), err)
		}
	}
	per := b.Elapsed() / time.Duration(b.N)
	b.ReportMetric(float64(per)/float64(ceiling), "x-ceiling")
}

// measure returns the mean duration of fn over n runs.
func measure(b *testing.B, n int, fn func()) time.Duration {
	b.Helper()
	start := time.Now()
	for i := 0; i < n; i++ {
		fn()
	}
	return time.Since(start) / time.Duration(n)
}
