package esp_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/whiteglove/whiteglove/internal/apperr"
	"github.com/whiteglove/whiteglove/internal/assign"
	"github.com/whiteglove/whiteglove/internal/esp"
	"github.com/whiteglove/whiteglove/internal/store"
	"github.com/whiteglove/whiteglove/internal/store/sqlstore"
	"github.com/whiteglove/whiteglove/internal/store/storetest"
)

const tenantID = "6f1c2d3e-0000-4000-8000-00000000aaaa"

// groups is a fixed membership table: object id → group ids.
type groups map[string][]string

func (g groups) MemberOf(_ context.Context, id string) ([]string, error) { return g[id], nil }

func newService(t *testing.T, db *store.DB, g esp.Membership) *esp.Service {
	t.Helper()
	if g == nil {
		g = groups{}
	}
	s := esp.New(sqlstore.New(db).ESP(), g, tenantID, nil)
	if _, err := s.EnsureDefault(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

func create(t *testing.T, s *esp.Service, name string) esp.Profile {
	t.Helper()
	p := esp.NewProfile()
	p.DisplayName = name
	p, err := s.Create(context.Background(), p)
	if err != nil {
		t.Fatalf("creating %s: %v", name, err)
	}
	return p
}

// order lists the profiles as "name:priority", the default last.
func order(t *testing.T, s *esp.Service) string {
	t.Helper()
	ps, err := s.Profiles(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range ps {
		out = append(out, fmt.Sprintf("%s:%d", p.DisplayName, p.Priority))
	}
	return strings.Join(out, " ")
}

const def = esp.DefaultDisplayName + ":0"

func TestDefaultProfile(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		st := sqlstore.New(db).ESP()
		// Replicas starting together create one default.
		var wg sync.WaitGroup
		errs := make([]error, 4)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = esp.New(st, groups{}, tenantID, nil).EnsureDefault(ctx)
			}()
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		s := esp.New(st, groups{}, tenantID, nil)
		ps, _ := s.Profiles(ctx)
		if len(ps) != 1 {
			t.Fatalf("%d profiles after concurrent EnsureDefault", len(ps))
		}
		d := ps[0]
		if !d.Default || d.Priority != 0 || d.ID != tenantID+esp.DefaultIDSuffix || d.CustomErrorMessage != esp.DefaultErrorMessage ||
			d.InstallProgressTimeoutInMinutes != 60 || d.Version != 1 || strings.Join(d.RoleScopeTagIDs, ",") != "0" {
			t.Fatalf("default profile = %+v", d)
		}
		// Found ignoring case; changeable, but not deletable, movable or assignable.
		if _, err := s.Profile(ctx, strings.ToUpper(d.ID)); err != nil {
			t.Fatal(err)
		}
		u, err := s.Update(ctx, d.ID, func(p *esp.Profile) error { p.ShowInstallationProgress = true; return nil })
		if err != nil || !u.ShowInstallationProgress || u.Version != 2 {
			t.Fatalf("update default: %+v %v", u, err)
		}
		var inv *apperr.InvalidError
		if err := s.Delete(ctx, d.ID); !errors.As(err, &inv) {
			t.Fatalf("delete default: %v", err)
		}
		if err := s.SetPriority(ctx, d.ID, 1); !errors.As(err, &inv) {
			t.Fatalf("setPriority default: %v", err)
		}
		if _, err := s.Assign(ctx, d.ID, []esp.Assignment{{Target: assign.Target{Kind: assign.AllDevices}}}); !errors.As(err, &inv) {
			t.Fatalf("assign default: %v", err)
		}
		if _, err := s.Update(ctx, d.ID, func(p *esp.Profile) error { p.DisplayName = "Mine"; return nil }); !errors.As(err, &inv) {
			t.Fatalf("renaming default: %v", err)
		}
		if _, err := s.EnsureDefault(ctx); err != nil {
			t.Fatal(err)
		}
		if got := order(t, s); got != def {
			t.Fatalf("profiles = %s", got)
		}
	})
}

func TestPriorities(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newService(t, db, nil)
		a, b, c := create(t, s, "A"), create(t, s, "B"), create(t, s, "C")
		d := create(t, s, "D")
		steps := []struct {
			what string
			do   func() error
			want string
		}{
			{"created in order", func() error { return nil }, "A:1 B:2 C:3 D:4 " + def},
			{"C to the top", func() error { return s.SetPriority(ctx, c.ID, 1) }, "C:1 A:2 B:3 D:4 " + def},
			{"C to the bottom", func() error { return s.SetPriority(ctx, c.ID, 4) }, "A:1 B:2 D:3 C:4 " + def},
			{"D to 2", func() error { return s.SetPriority(ctx, d.ID, 2) }, "A:1 D:2 B:3 C:4 " + def},
			{"A where it is", func() error { return s.SetPriority(ctx, a.ID, 1) }, "A:1 D:2 B:3 C:4 " + def},
			{"delete D closes the gap", func() error { return s.Delete(ctx, d.ID) }, "A:1 B:2 C:3 " + def},
			{"new one goes last", func() error { create(t, s, "E"); return nil }, "A:1 B:2 C:3 E:4 " + def},
			{"B to 3", func() error { return s.SetPriority(ctx, b.ID, 3) }, "A:1 C:2 B:3 E:4 " + def},
		}
		for _, st := range steps {
			if err := st.do(); err != nil {
				t.Fatalf("%s: %v", st.what, err)
			}
			if got := order(t, s); got != st.want {
				t.Fatalf("%s: %s, want %s", st.what, got, st.want)
			}
		}
		var inv *apperr.InvalidError
		for _, n := range []int{0, -1, 5} {
			if err := s.SetPriority(ctx, a.ID, n); !errors.As(err, &inv) || !strings.Contains(err.Error(), "between 1 and 4") {
				t.Errorf("setPriority %d: %v", n, err)
			}
		}
		if err := s.SetPriority(ctx, "nope", 1); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("setPriority of a missing profile: %v", err)
		}
		if _, err := s.Update(ctx, a.ID, func(p *esp.Profile) error { p.Priority = 3; return nil }); !errors.As(err, &inv) {
			t.Errorf("priority changed by update: %v", err)
		}
		if got := order(t, s); got != "A:1 C:2 B:3 E:4 "+def {
			t.Fatalf("refused calls changed the order: %s", got)
		}
	})
}

func TestConcurrentCreatesGetDistinctPriorities(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newService(t, db, nil)
		var wg sync.WaitGroup
		for i := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				p := esp.NewProfile()
				p.DisplayName = fmt.Sprintf("P%d", i)
				if _, err := s.Create(context.Background(), p); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		ps, _ := s.Profiles(context.Background())
		for i, p := range ps[:8] {
			if p.Priority != i+1 {
				t.Fatalf("priorities after concurrent creates: %s", order(t, s))
			}
		}
	})
}
