// Command dyngroups measures dynamic-group evaluation and the incremental
// update of one rule, and prints each figure with its ratio against a
// ceiling measured in the same run on the same machine:
//
//  1. evaluation: N devices against R rules through the rule set
//     (devices/s), against a bare loop that only folds each device's
//     physical ids and probes a hash map (the least work any indexed
//     evaluator must do);
//  2. incremental update: one rule changed so that it matches all N devices,
//     recomputed and written through the directory on a real database
//     (seconds), against a raw multi-row INSERT of the same N membership
//     rows into the same database.
//
// Flags choose the sizes; -db postgres://… runs step 2 on PostgreSQL
// instead of a temporary SQLite database.
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"log"
	"os"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/whiteglove/whiteglove/internal/directory"
	"github.com/whiteglove/whiteglove/internal/directory/rule"
	"github.com/whiteglove/whiteglove/internal/store"
	"github.com/whiteglove/whiteglove/internal/store/sqlstore"
)

func main() {
	devices := flag.Int("devices", 100_000, "devices")
	rules := flag.Int("rules", 1_000, "rules")
	dsn := flag.String("db", "", "PostgreSQL DSN for the update step; empty = temporary SQLite")
	flag.Parse()
	ctx := context.Background()

	ds := makeDevices(*devices)
	rs := makeRules(*rules)
	evaluation(ds, rs)
	if err := update(ctx, ds, rs, *dsn); err != nil {
		log.Fatal(err)
	}
}

// makeDevices builds Autopilot-like device objects: a ZTDID, a group tag
// from 300 tags, a purchase order from 100, a model from 40.
func makeDevices(n int) []directory.Device {
	out := make([]directory.Device, n)
	for i := range out {
		out[i] = directory.Device{
			ID: uuid.NewString(), DeviceID: uuid.NewString(), AccountEnabled: true,
			DisplayName: fmt.Sprintf("PC-%06d", i), Manufacturer: "Contoso", Model: fmt.Sprintf("Model %d", i%40),
			OperatingSystem: "Windows",
			PhysicalIDs: []string{
				"[ZTDID]:" + uuid.NewString(),
				fmt.Sprintf("[OrderId]:TAG%d", i%300),
				fmt.Sprintf("[PurchaseOrderId]:PO%d", i%100),
				fmt.Sprintf("[HWID]:h:%d", 6896142841360412+i),
			},
		}
	}
	return out
}

// makeRules mixes the rule forms Autopilot admins write: group tags (60%),
// purchase orders (20%), models (10%), ZTDID prefixes and profile names.
func makeRules(n int) []*rule.Rule {
	out := make([]*rule.Rule, 0, n)
	for i := 0; i < n; i++ {
		var text string
		switch {
		case i%10 < 6:
			text = fmt.Sprintf(`(device.devicePhysicalIds -any (_ -eq "[OrderID]:tag%d"))`, i%400)
		case i%10 < 8:
			text = fmt.Sprintf(`(device.devicePhysicalIds -any _ -eq "[PurchaseOrderId]:PO%d")`, i%150)
		case i%10 == 8:
			text = fmt.Sprintf(`(device.deviceModel -eq "Model %d") and (device.accountEnabled -eq true)`, i%60)
		default:
			if i%20 == 9 {
				text = `(device.devicePhysicalIDs -any (_ -startsWith "[ZTDid]"))`
			} else {
				text = fmt.Sprintf(`(device.enrollmentProfileName -eq "Profile %d")`, i)
			}
		}
		r, err := rule.Parse(text)
		if err != nil {
			log.Fatalf("rule %q: %v", text, err)
		}
		out = append(out, r)
	}
	return out
}

func attrs(d directory.Device) rule.Attrs {
	return rule.Attrs{
		Scalars: map[string]string{
			"accountEnabled": "true", "displayName": d.DisplayName, "deviceModel": d.Model,
			"deviceManufacturer": d.Manufacturer, "enrollmentProfileName": d.EnrollmentProfileName,
		},
		Multis: map[string][]string{"devicePhysicalIds": d.PhysicalIDs},
	}
}

func evaluation(ds []directory.Device, rs []*rule.Rule) {
	set := rule.NewSet()
	for i, r := range rs {
		set.Put(fmt.Sprintf("g%d", i), r)
	}
	objs := make([]rule.Attrs, len(ds))
	for i, d := range ds {
		objs[i] = attrs(d)
	}

	// Ceiling: one hash-map probe per physical id and model, with the ids
	// already folded — the least work any indexed evaluator must do.
	lits := map[string]int{}
	for i := 0; i < len(rs); i++ {
		lits[fmt.Sprintf("[orderid]:tag%d", i%400)]++
	}
	folded := make([][]string, len(objs))
	for i, o := range objs {
		for _, p := range o.Multis["devicePhysicalIds"] {
			folded[i] = append(folded[i], strings.ToLower(p))
		}
		folded[i] = append(folded[i], strings.ToLower(o.Scalars["deviceModel"]))
	}
	hits := 0
	probe := func() time.Duration {
		start := time.Now()
		for _, ids := range folded {
			for _, p := range ids {
				hits += lits[p]
			}
		}
		return time.Since(start)
	}
	matches := 0
	run := func() time.Duration {
		matches = 0
		start := time.Now()
		for _, o := range objs {
			matches += len(set.Match(o, rule.SubjectDevice))
		}
		return time.Since(start)
	}
	probe() // warm up both
	run()
	ceiling := float64(len(objs)) / probe().Seconds()
	elapsed := run()
	rate := float64(len(objs)) / elapsed.Seconds()

	fmt.Printf("dynamic-group evaluation: %d devices x %d rules in %.2fs = %.0f devices/s (%.1f M rule evaluations/s effective), %d memberships\n",
		len(objs), len(rs), elapsed.Seconds(), rate, rate*float64(len(rs))/1e6, matches)
	fmt.Printf("  ceiling (hash-map probes on pre-folded ids, no rule logic): %.0f devices/s; ratio %.2f of ceiling (hits %d)\n", ceiling, rate/ceiling, hits)
}

func update(ctx context.Context, ds []directory.Device, rs []*rule.Rule, dsn string) error {
	cfg := store.Config{DSN: dsn}
	if dsn == "" {
		tmp, err := os.MkdirTemp("", "wg-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		cfg.DataDir = tmp
	} else {
		// Work only in a schema of the benchmark's own, created and dropped
		// through a separate connection: the rest of the database is untouched.
		admin, err := sql.Open("pgx", dsn)
		if err != nil {
			return err
		}
		defer admin.Close()
		if _, err := admin.ExecContext(ctx, "DROP SCHEMA IF EXISTS wgbench_dyngroups CASCADE; CREATE SCHEMA wgbench_dyngroups"); err != nil {
			return err
		}
		defer admin.ExecContext(context.Background(), "DROP SCHEMA IF EXISTS wgbench_dyngroups CASCADE")
		cfg.DSN = withSearchPath(dsn, "wgbench_dyngroups")
	}
	db, err := store.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	dir := directory.New(sqlstore.New(db), nil)
	if _, _, err := dir.EnsureTenant(ctx, directory.TenantSettings{DisplayName: "Bench", Domain: "bench.example", Seats: 10}); err != nil {
		return err
	}
	// 50 other dynamic groups exist, as in a real tenant.
	for i := 0; i < 50 && i < len(rs); i++ {
		if _, err := dir.CreateGroup(ctx, directory.Group{DisplayName: fmt.Sprintf("g%d", i), GroupTypes: []string{"DynamicMembership"}, MembershipRule: rs[i].String()}); err != nil {
			return err
		}
	}
	start := time.Now()
	const chunk = 5000
	for i := 0; i < len(ds); i += chunk {
		if _, err := dir.CreateDevices(ctx, ds[i:min(i+chunk, len(ds))]); err != nil {
			return err
		}
	}
	load := time.Since(start)
	fmt.Printf("loaded %d devices through the directory (with 50 dynamic groups) on %s in %.2fs = %.0f devices/s\n",
		len(ds), db.Dialect, load.Seconds(), float64(len(ds))/load.Seconds())

	g, err := dir.CreateGroup(ctx, directory.Group{DisplayName: "target", GroupTypes: []string{"DynamicMembership"},
		MembershipRule: `(device.displayName -eq "nothing matches this")`})
	if err != nil {
		return err
	}
	start = time.Now()
	if _, err := dir.UpdateGroup(ctx, g.ID, func(g *directory.Group) error {
		g.MembershipRule = `(device.devicePhysicalIDs -any (_ -startsWith "[ZTDid]"))`
		return nil
	}); err != nil {
		return err
	}
	upd := time.Since(start)
	ms, err := dir.Store().Members(ctx, g.ID)
	if err != nil {
		return err
	}
	if len(ms) != len(ds) {
		return fmt.Errorf("rule update produced %d members, want %d", len(ms), len(ds))
	}

	// Ceiling: raw multi-row inserts of the same number of rows, one transaction.
	if _, err := db.Exec(ctx, "CREATE TABLE bench_raw (group_id TEXT NOT NULL, member_id TEXT NOT NULL, member_type TEXT NOT NULL, source TEXT NOT NULL, PRIMARY KEY (group_id, member_id))"); err != nil {
		return err
	}
	start = time.Now()
	err = db.InTx(ctx, func(tx *store.Tx) error {
		for i := 0; i < len(ds); i += 500 {
			part := ds[i:min(i+500, len(ds))]
			var b strings.Builder
			b.WriteString("INSERT INTO bench_raw VALUES ")
			args := make([]any, 0, len(part)*4)
			for j, d := range part {
				if j > 0 {
					b.WriteString(",")
				}
				b.WriteString("(?,?,?,?)")
				args = append(args, g.ID, d.ID, "device", "dynamic")
			}
			if _, err := tx.Exec(ctx, b.String(), args...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	raw := time.Since(start)
	fmt.Printf("incremental update of one rule to match all %d devices on %s: %.2fs (read, evaluate, write the difference)\n", len(ds), db.Dialect, upd.Seconds())
	fmt.Printf("  ceiling (raw insert of %d rows in one transaction): %.2fs = %.0f rows/s; ratio %.2fx the ceiling's time\n",
		len(ds), raw.Seconds(), float64(len(ds))/raw.Seconds(), upd.Seconds()/raw.Seconds())
	return nil
}

func withSearchPath(dsn, schema string) string {
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	return dsn + sep + "search_path=" + schema
}
