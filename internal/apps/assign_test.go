package apps_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/whiteglove/whiteglove/internal/apperr"
	"github.com/whiteglove/whiteglove/internal/apps"
	"github.com/whiteglove/whiteglove/internal/assign"
	"github.com/whiteglove/whiteglove/internal/store"
	"github.com/whiteglove/whiteglove/internal/store/storetest"
)

func TestAppAssignmentsAndVersion(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		if v := e.version(); v != 0 {
			t.Fatalf("fresh catalog at version %d", v)
		}
		kiosks, sales := e.group("kiosks"), e.group("sales")
		a := e.createApp(win32("Agent"))
		if v := e.version(); v != 1 {
			t.Fatalf("after create: version %d", v)
		}
		set := []apps.AppAssignment{
			{ID: "fixed-id", Intent: apps.IntentRequired, Target: assign.Target{Kind: assign.Group, GroupID: strings.ToUpper(kiosks)}},
			{Intent: apps.IntentRequired, Target: assign.Target{Kind: assign.ExclusionGroup, GroupID: sales}},
			{Intent: apps.IntentAvailable, Target: assign.Target{Kind: assign.AllLicensedUsers}, Notifications: apps.NotifyHideAll},
		}
		got, err := e.svc.AssignApp(ctx, a.ID, set)
		if err != nil || len(got) != 3 || got[0].ID != "fixed-id" || got[0].Target.GroupID != kiosks || got[1].ID == "" ||
			got[0].Notifications != apps.NotifyShowAll || got[2].Notifications != apps.NotifyHideAll {
			t.Fatalf("assign = %+v, %v", got, err)
		}
		if v := e.version(); v != 2 {
			t.Fatalf("after assign: version %d", v)
		}
		// Refusals write nothing and leave the version alone.
		missing := "0d2f1c5e-1111-4222-8333-444455556666"
		for _, c := range []struct {
			set  []apps.AppAssignment
			want string
		}{
			{[]apps.AppAssignment{{Intent: apps.IntentRequired, Target: assign.Target{Kind: assign.Group, GroupID: missing}}}, "mobileAppAssignments[0].target: group " + missing + " does not exist"},
			{[]apps.AppAssignment{{Intent: apps.IntentRequired, Target: assign.Target{Kind: assign.AllDevices}}, {Intent: apps.IntentUninstall, Target: assign.Target{Kind: assign.AllDevices}}}, "already targeted by mobileAppAssignments[0]"},
			{[]apps.AppAssignment{{Target: assign.Target{Kind: assign.AllDevices}}}, "intent is required"},
			{[]apps.AppAssignment{{Intent: apps.IntentRequired, Target: assign.Target{Kind: assign.Group}}}, "needs a groupId"},
			{[]apps.AppAssignment{{ID: "x", Intent: apps.IntentRequired, Target: assign.Target{Kind: assign.AllDevices}}, {ID: "X", Intent: apps.IntentRequired, Target: assign.Target{Kind: assign.AllLicensedUsers}}}, "already used"},
		} {
			_, err := e.svc.AssignApp(ctx, a.ID, c.set)
			invalid(t, err, c.want)
		}
		if v := e.version(); v != 2 {
			t.Fatalf("refused assignments bumped the version to %d", v)
		}
		// One at a time: add, refuse a duplicate, delete.
		added, err := e.svc.AddAppAssignment(ctx, a.ID, apps.AppAssignment{Intent: apps.IntentRequired, Target: assign.Target{Kind: assign.AllDevices}})
		if err != nil || added.ID == "" {
			t.Fatalf("add: %+v %v", added, err)
		}
		_, err = e.svc.AddAppAssignment(ctx, a.ID, apps.AppAssignment{Intent: apps.IntentRequired, Target: assign.Target{Kind: assign.Group, GroupID: missing}})
		invalid(t, err, "target: group "+missing+" does not exist")
		_, err = e.svc.AddAppAssignment(ctx, a.ID, apps.AppAssignment{Intent: apps.IntentUninstall, Target: assign.Target{Kind: assign.Group, GroupID: kiosks}})
		invalid(t, err, "already targeted")
		if err := e.svc.DeleteAppAssignment(ctx, a.ID, "FIXED-ID"); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.DeleteAppAssignment(ctx, a.ID, "fixed-id"); !errors.Is(err, apperr.ErrNotFound) {
			t.Fatalf("deleting a missing assignment: %v", err)
		}
		if _, err := e.svc.AppAssignment(ctx, a.ID, added.ID); err != nil {
			t.Fatal(err)
		}
		cur, _ := e.svc.App(ctx, a.ID)
		if len(cur.Assignments) != 3 || cur.Assignments[2].ID != added.ID {
			t.Fatalf("assignments now %+v", cur.Assignments)
		}
		// Replacing with an empty set unassigns; deleting the app drops its assignments.
		if got, err := e.svc.AssignApp(ctx, a.ID, nil); err != nil || len(got) != 0 {
			t.Fatalf("unassign: %v %v", got, err)
		}
		if _, err := e.svc.AssignApp(ctx, a.ID, set[:1]); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.DeleteApp(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.AssignApp(ctx, a.ID, nil); !errors.Is(err, apperr.ErrNotFound) {
			t.Fatalf("assigning a deleted app: %v", err)
		}
		var n int
		if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM catalog_assignments").Scan(&n); err != nil || n != 0 {
			t.Fatalf("%d assignment rows left after delete (%v)", n, err)
		}
		// A group deleted after assignment never blocks other edits.
		b := e.createApp(win32("B"))
		if _, err := e.svc.AssignApp(ctx, b.ID, []apps.AppAssignment{{Intent: apps.IntentRequired, Target: assign.Target{Kind: assign.Group, GroupID: sales}}}); err != nil {
			t.Fatal(err)
		}
		if err := e.dir.DeleteGroup(ctx, sales); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.AddAppAssignment(ctx, b.ID, apps.AppAssignment{Intent: apps.IntentRequired, Target: assign.Target{Kind: assign.AllDevices}}); err != nil {
			t.Fatalf("adding next to an assignment whose group is gone: %v", err)
		}
	})
}

func TestSnapshotIsConsistent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		g := e.group("all")
		// Every write below creates one item or assigns one, bumping the
		// version by one: a consistent snapshot at version v holds exactly
		// v writes' worth of items and assignments.
		const writers, each = 4, 6
		var wg sync.WaitGroup
		errs := make(chan error, writers*each*2+64)
		for w := 0; w < writers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < each; i++ {
					a, err := e.svc.CreateApp(ctx, win32("app"))
					if err != nil {
						errs <- err
						return
					}
					_, err = e.svc.AssignApp(ctx, a.ID, []apps.AppAssignment{{Intent: apps.IntentRequired, Target: assign.Target{Kind: assign.Group, GroupID: g}}})
					if err != nil {
						errs <- err
						return
					}
				}
			}()
		}
		done := make(chan struct{})
		var checked int
		go func() {
			defer close(done)
			for {
				c, err := e.svc.Snapshot(ctx)
				if err != nil {
					errs <- err
					return
				}
				assigned := 0
				for _, a := range c.Apps {
					assigned += len(a.Assignments)
				}
				if int64(len(c.Apps)+assigned) != c.Version {
					errs <- errors.New("inconsistent snapshot")
					t.Errorf("snapshot at version %d holds %d apps and %d assignments", c.Version, len(c.Apps), assigned)
					return
				}
				checked++
				if c.Version == writers*each*2 {
					return
				}
			}
		}()
		wg.Wait()
		<-done
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		if checked == 0 {
			t.Fatal("no snapshot checked")
		}
	})
}
