package apps_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/whiteglove/whiteglove/internal/apperr"
	"github.com/whiteglove/whiteglove/internal/apps"
	"github.com/whiteglove/whiteglove/internal/directory"
	"github.com/whiteglove/whiteglove/internal/store"
	"github.com/whiteglove/whiteglove/internal/store/sqlstore"
	"github.com/whiteglove/whiteglove/internal/store/storetest"
)

// env is a catalog service over a real database, with the directory that
// owns its groups.
type env struct {
	t   *testing.T
	svc *apps.Service
	dir *directory.Service
}

func newEnv(t *testing.T, db *store.DB) *env {
	t.Helper()
	st := sqlstore.New(db)
	return &env{t: t, svc: apps.New(st.Catalog(), st, nil), dir: directory.New(st, nil)}
}

func (e *env) group(name string) string {
	e.t.Helper()
	g, err := e.dir.CreateGroup(context.Background(), directory.Group{DisplayName: name, MailNickname: name, SecurityEnabled: true})
	if err != nil {
		e.t.Fatalf("creating group %s: %v", name, err)
	}
	return g.ID
}

func (e *env) version() int64 {
	e.t.Helper()
	v, err := e.svc.Version(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	return v
}

// win32 is a valid Win32 app detected by a file.
func win32(name string) apps.App {
	return apps.App{
		Kind: apps.Win32, DisplayName: name, Publisher: "Contoso",
		InstallCommand: `setup.exe /quiet`, UninstallCommand: `setup.exe /uninstall /quiet`,
		DetectionRules: []apps.Rule{{Type: apps.RuleFile, Path: `C:\Program Files\Contoso`, FileOrFolderName: "app.exe", Operation: apps.OpExists}},
	}
}

func (e *env) createApp(a apps.App) apps.App {
	e.t.Helper()
	out, err := e.svc.CreateApp(context.Background(), a)
	if err != nil {
		e.t.Fatalf("creating %s: %v", a.DisplayName, err)
	}
	return out
}

// invalid fails unless err is an apperr.InvalidError mentioning want.
func invalid(t *testing.T, err error, want string) {
	t.Helper()
	var inv *apperr.InvalidError
	if !errors.As(err, &inv) || !strings.Contains(err.Error(), want) {
		t.Fatalf("error %v, want an invalid-input error mentioning %q", err, want)
	}
}

func TestCreateUpdateDeleteApp(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		a := e.createApp(win32("  7-Zip  "))
		if a.DisplayName != "7-Zip" || a.RunAsAccount != apps.RunAsSystem || a.RestartBehavior != apps.RestartBasedOnReturnCode ||
			a.MaxRunTimeMinutes != 60 || len(a.ReturnCodes) != 5 || strings.Join(a.RoleScopeTagIDs, ",") != "0" ||
			a.DetectionRules[0].Operator != apps.OpNotConfigured || a.Context() != apps.RunAsSystem || !a.Supported() || a.HasContent() {
			t.Fatalf("created app = %+v", a)
		}
		got, err := e.svc.App(ctx, strings.ToUpper(a.ID))
		if err != nil || got.InstallCommand != a.InstallCommand || !got.CreatedAt.Equal(a.CreatedAt) || got.DetectionRules[0].Path != `C:\Program Files\Contoso` {
			t.Fatalf("read back = %+v, %v", got, err)
		}
		u, err := e.svc.UpdateApp(ctx, a.ID, func(x *apps.App) error {
			x.InstallCommand = `setup.exe /S`
			x.RunAsAccount = apps.RunAsUser
			x.ContentSHA256, x.Size = strings.Repeat("a", 64), 9 // ignored: only SetAppContent sets content
			return nil
		})
		if err != nil || u.InstallCommand != `setup.exe /S` || u.Context() != apps.RunAsUser || u.HasContent() || u.UpdatedAt.Before(a.UpdatedAt) || !u.CreatedAt.Equal(a.CreatedAt) {
			t.Fatalf("update = %+v, %v", u, err)
		}
		sum := strings.Repeat("AB", 32)
		c, err := e.svc.SetAppContent(ctx, a.ID, sum, 123456)
		if err != nil || c.ContentSHA256 != strings.ToLower(sum) || c.Size != 123456 || c.InstallCommand != `setup.exe /S` {
			t.Fatalf("set content = %+v, %v", c, err)
		}
		_, err = e.svc.SetAppContent(ctx, a.ID, "xyz", 1)
		invalid(t, err, "SHA-256")
		// A refused update writes nothing.
		_, err = e.svc.UpdateApp(ctx, a.ID, func(x *apps.App) error { x.UninstallCommand = ""; return nil })
		invalid(t, err, "uninstallCommandLine is required")
		if got, _ := e.svc.App(ctx, a.ID); got.UninstallCommand == "" || got.Size != 123456 {
			t.Fatalf("refused update wrote: %+v", got)
		}
		if err := e.svc.DeleteApp(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.App(ctx, a.ID); !errors.Is(err, apperr.ErrNotFound) {
			t.Fatalf("deleted app: %v", err)
		}
		if err := e.svc.DeleteApp(ctx, a.ID); !errors.Is(err, apperr.ErrNotFound) {
			t.Fatalf("second delete: %v", err)
		}
	})
}

func TestMSIAndUnsupportedApps(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		msi := e.createApp(apps.App{Kind: apps.MSI, DisplayName: "Agent", ProductCode: "{23170F69-40C1-2702-2201-000001000000}", ProductVersion: "22.01"})
		if msi.RunAsAccount != apps.RunAsUser || msi.ODataType != "windowsMobileMSI" {
			t.Fatalf("MSI = %+v", msi)
		}
		_, err := e.svc.UpdateApp(ctx, msi.ID, func(a *apps.App) error { a.RunAsAccount = apps.RunAsSystem; return nil })
		invalid(t, err, "useDeviceContext cannot be changed")
		_, err = e.svc.CreateApp(ctx, apps.App{Kind: apps.MSI, DisplayName: "NoCode", ProductVersion: "1.0"})
		invalid(t, err, "productCode")
		_, err = e.svc.CreateApp(ctx, apps.App{Kind: apps.MSI, DisplayName: "NoVersion", ProductCode: "{23170F69-40C1-2702-2201-000001000000}"})
		invalid(t, err, "productVersion is required")
		web := e.createApp(apps.App{Kind: apps.Unsupported, ODataType: "webApp", DisplayName: "Portal"})
		if web.Supported() || web.Context() != apps.RunAsUser {
			t.Fatalf("web app = %+v", web)
		}
		_, err = e.svc.CreateApp(ctx, apps.App{Kind: apps.Unsupported, ODataType: "webApp", DisplayName: "X", InstallCommand: "x.exe"})
		invalid(t, err, "does not install webApp")
		all, err := e.svc.Apps(ctx)
		if err != nil || len(all) != 2 || all[0].ID != msi.ID || all[1].ODataType != "webApp" {
			t.Fatalf("apps = %+v, %v", all, err)
		}
	})
}

func TestDependencies(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		vc := e.createApp(win32("VC++ runtime"))
		net := e.createApp(win32(".NET"))
		appA := win32("App")
		appA.Dependencies = []string{strings.ToUpper(vc.ID), net.ID, vc.ID}
		app := e.createApp(appA)
		if strings.Join(app.Dependencies, ",") != vc.ID+","+net.ID {
			t.Fatalf("dependencies = %v", app.Dependencies)
		}
		// net → app would close app → net → app.
		before := e.version()
		_, err := e.svc.SetDependencies(ctx, net.ID, []string{app.ID})
		invalid(t, err, `".NET" → "App" → ".NET"`)
		_, err = e.svc.SetDependencies(ctx, vc.ID, []string{vc.ID})
		invalid(t, err, "cannot depend on itself")
		msi := e.createApp(apps.App{Kind: apps.MSI, DisplayName: "MSI", ProductCode: "{23170F69-40C1-2702-2201-000001000000}", IgnoreVersionDetection: true})
		_, err = e.svc.SetDependencies(ctx, vc.ID, []string{msi.ID})
		invalid(t, err, "only depend on other win32LobApp")
		_, err = e.svc.SetDependencies(ctx, vc.ID, []string{"00000000-0000-4000-8000-000000000000"})
		invalid(t, err, "does not exist")
		if e.version() != before+1 { // only the MSI creation wrote
			t.Fatalf("refused dependency changes bumped the version: %d → %d", before, e.version())
		}
		if got, _ := e.svc.App(ctx, net.ID); len(got.Dependencies) != 0 {
			t.Fatalf("refused change wrote dependencies: %v", got.Dependencies)
		}
		// A dependency cannot be deleted while used; its dependents can.
		var st *apperr.StateError
		if err := e.svc.DeleteApp(ctx, vc.ID); !errors.As(err, &st) || !strings.Contains(err.Error(), `"App"`) {
			t.Fatalf("deleting a dependency: %v", err)
		}
		if err := e.svc.DeleteApp(ctx, app.ID); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.DeleteApp(ctx, vc.ID); err != nil {
			t.Fatalf("deleting a dependency no longer used: %v", err)
		}
		chain := win32("Chain")
		chain.Dependencies = []string{net.ID}
		c := e.createApp(chain)
		if u, err := e.svc.SetDependencies(ctx, c.ID, nil); err != nil || len(u.Dependencies) != 0 {
			t.Fatalf("clearing dependencies: %+v %v", u, err)
		}
	})
}
