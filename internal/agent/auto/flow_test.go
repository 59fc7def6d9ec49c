package auto_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/whiteglove/whiteglove/internal/agent"
	"github.com/whiteglove/whiteglove/internal/agent/auto"
	"github.com/whiteglove/whiteglove/internal/agent/diag"
	"github.com/whiteglove/whiteglove/internal/agent/hwinfo"
	"github.com/whiteglove/whiteglove/internal/agent/screen"
	"github.com/whiteglove/whiteglove/internal/agent/winenv"
	"github.com/whiteglove/whiteglove/internal/apps"
	"github.com/whiteglove/whiteglove/internal/assign"
	"github.com/whiteglove/whiteglove/internal/autopilot"
	"github.com/whiteglove/whiteglove/internal/autopilot/hwhash"
	"github.com/whiteglove/whiteglove/internal/demo"
	"github.com/whiteglove/whiteglove/internal/deviceapi/wire"
	"github.com/whiteglove/whiteglove/internal/enroll"
	"github.com/whiteglove/whiteglove/internal/esp"
	"github.com/whiteglove/whiteglove/internal/server"
	"github.com/whiteglove/whiteglove/internal/store/storetest"
	"github.com/whiteglove/whiteglove/internal/tpm"
)

type env struct {
	t   *testing.T
	srv *server.Server
	url string
}

func start(t *testing.T) *env {
	t.Helper()
	cfg := storetest.Config(t, storetest.Backends[0])
	srv, err := server.New(context.Background(), server.Config{DataDir: cfg.DataDir, DB: cfg.DSN, Demo: true, DemoDeployment: true, TrustSimulatedTPMs: true},
		slog.New(slog.DiscardHandler), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { ts.Close(); srv.Close() })
	return &env{t: t, srv: srv, url: ts.URL}
}

type device struct {
	serial, dir string
	tpm         tpm.TPM
	ztd         string
}

// register makes a software-TPM device and imports it, assigned to upn.
func (e *env) register(serial, upn string) *device {
	e.t.Helper()
	ctx := context.Background()
	dir := filepath.Join(e.t.TempDir(), serial)
	tp, err := tpm.OpenSoftware(dir, tpm.Simulation())
	if err != nil {
		e.t.Fatal(err)
	}
	ek, _ := tp.EK(ctx)
	hash := hwhash.EncodeString(hwinfo.Synthetic(serial, tpm.EKModulus(ek)))
	res, err := e.srv.Autopilot().ImportNow(ctx, "", []autopilot.Import{{SerialNumber: serial, HardwareHash: hash, AssignedUPN: upn}})
	if err != nil || res[0].Status != autopilot.ImportComplete {
		e.t.Fatalf("import: %v %+v", err, res)
	}
	e.sync()
	return &device{serial: serial, dir: dir, tpm: tp, ztd: res[0].RegistrationID}
}

func (e *env) sync() {
	if _, err := e.srv.Manifests().Sync(context.Background()); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) config(d *device) agent.Config {
	return agent.Config{Server: e.url, StateDir: d.dir, TPM: d.tpm, OS: demo.DeviceOS, Facts: demo.DeviceFacts,
		Hash: func(_ context.Context, ek []byte) (*hwhash.Hash, error) { return hwinfo.Synthetic(d.serial, ek), nil }}
}

func (e *env) run(d *device, mode string, creds auto.Credentials) (agent.Result, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	return auto.Run(ctx, e.config(d), mode, creds, testOut{e.t})
}

// installs counts the demo installers' runs on a device.
func installs(t *testing.T, d *device) map[string]int {
	t.Helper()
	env, err := winenv.Open(filepath.Join(d.dir, "root"))
	if err != nil {
		t.Fatal(err)
	}
	p, _ := env.Path(demo.InstallLog, "")
	b, err := os.ReadFile(p)
	if errors.Is(err, os.ErrNotExist) {
		return map[string]int{}
	}
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		out[l]++
	}
	return out
}

// addApp assigns one more app after the device was resealed.
func (e *env) addApp(name string, ctxAccount string, to assign.Target) string {
	e.t.Helper()
	ctx := context.Background()
	folder := strings.ReplaceAll(name, " ", "")
	base := `$ProgramFiles`
	detect := `C:\Program Files\` + folder
	if ctxAccount == apps.RunAsUser {
		base, detect = `$LOCALAPPDATA`, `%LOCALAPPDATA%\`+folder
	}
	script := `mkdir -p "` + base + `/` + folder + `" "$ProgramData/Contoso"
echo ok > "` + base + `/` + folder + `/installed.txt"
echo "` + name + ` ($USERNAME)" >> "$ProgramData/Contoso/installs.log"
`
	id, err := demo.AddApp(ctx, e.srv.Services(), apps.App{Kind: apps.Win32, DisplayName: name, Publisher: "Contoso", RunAsAccount: ctxAccount,
		InstallCommand: "sh install.sh", UninstallCommand: "sh uninstall.sh", FileName: folder + ".zip",
		DetectionRules: []apps.Rule{{Type: apps.RuleFile, Path: detect, FileOrFolderName: "installed.txt", Operation: apps.OpExists}},
	}, demo.Package(name, "1.0.0", script), to)
	if err != nil {
		e.t.Fatal(err)
	}
	e.sync()
	return id
}

func TestPreProvisionedDeviceToDesktop(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	dep := e.srv.Deployment
	d := e.register("USER-0001", "alice@contoso.example")
	if res, err := e.run(d, auto.Technician, auto.Credentials{}); err != nil || res.Stage != agent.StageSealed {
		t.Fatalf("technician: %+v %v", res, err)
	}
	// After reseal the admin assigns one more device app and one user app.
	e.addApp("Contoso Extra", apps.RunAsSystem, assign.Target{Kind: assign.Group, GroupID: dep.DevicesGroup})
	e.addApp("Contoso CRM", apps.RunAsUser, assign.Target{Kind: assign.Group, GroupID: dep.SalesGroup})
	time.Sleep(20 * time.Millisecond) // a shelf, however short

	res, err := e.run(d, auto.User, auto.Credentials{UPN: "alice@contoso.example", Password: demo.Password})
	if err != nil || res.Stage != agent.StageDesktop {
		t.Fatalf("user flow: %+v %v", res, err)
	}
	got := installs(t, d)
	want := map[string]int{demo.AppTools: 1, demo.AppVPN: 1, "Contoso Extra (SYSTEM)": 1, "Contoso CRM (alice)": 1, "Contoso Notes (alice)": 1}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("%s ran %d times, want %d (all: %v)", k, got[k], n, got)
		}
	}
	if len(got) != len(want) {
		t.Errorf("unexpected installs: %v", got)
	}
	// The user app landed in alice's profile, not SYSTEM's.
	env, _ := winenv.Open(filepath.Join(d.dir, "root"))
	if p, _ := env.Path(`%LOCALAPPDATA%\ContosoCRM\installed.txt`, "alice"); !exists(p) {
		t.Errorf("the user-context app is not in alice's profile (%s)", p)
	}
	st, _ := agent.LoadState(d.dir)
	md, err := e.srv.Enroll().ManagedDevice(ctx, st.ManagedDeviceID)
	if err != nil || md.Stage != enroll.StageComplete || md.PrimaryUser != "alice@contoso.example" || md.UserDoneAt.IsZero() {
		t.Fatalf("managed device = %+v %v", md, err)
	}
	tl, err := e.srv.Enroll().Timeline(ctx, d.ztd)
	if err != nil {
		t.Fatal(err)
	}
	if len(tl.Sessions) != 2 || tl.Sessions[0].Phase != "technician" || tl.Sessions[1].Phase != "user" ||
		tl.Sessions[0].State != enroll.SessionSucceeded || tl.Sessions[1].State != enroll.SessionSucceeded {
		t.Fatalf("sessions = %+v", tl.Sessions)
	}
	if tl.ShelfSeconds < 0.02 || tl.ProvisioningSeconds >= tl.Sessions[1].EndedAt.Sub(tl.Sessions[0].StartedAt).Seconds() {
		t.Errorf("shelf %.3fs, provisioning %.3fs: the shelf must be left out", tl.ShelfSeconds, tl.ProvisioningSeconds)
	}
	// The device phase reran in the user flow: Extra was installed there.
	found := false
	for _, ev := range tl.Sessions[1].Events {
		found = found || (ev.Name == "Contoso Extra" && ev.Step == "item" && ev.State == "succeeded")
	}
	if !found {
		t.Error("the user session does not show Contoso Extra installed by the device phase rerun")
	}
	ap, _ := e.srv.Autopilot().Store().AutopilotDevice(ctx, d.ztd)
	if ap.EnrollmentState != autopilot.EnrollmentEnrolled || ap.LastContactedAt.IsZero() {
		t.Errorf("autopilot device: %s %v", ap.EnrollmentState, ap.LastContactedAt)
	}
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }

// signInDriver answers the flow's screens, typing each of creds in turn at
// the sign-in screen and recording the errors shown.
func signInDriver(ctx context.Context, views <-chan screen.View, inputs chan<- screen.Input, creds [][2]string, shown *[]string) {
	i := 0
	var lastErr string
	for {
		var v screen.View
		select {
		case <-ctx.Done():
			return
		case v = <-views:
		}
		switch v.Kind {
		case screen.Welcome, screen.Network, screen.Working:
			inputs <- screen.Input{Action: screen.Next}
		case screen.SignIn:
			if v.Error != "" && v.Error != lastErr {
				*shown = append(*shown, v.Error)
				lastErr = v.Error
			}
			if i < len(creds) && (i == 0 || v.Error != "" || v.Title != "") {
				inputs <- screen.Input{Action: screen.SubmitSignIn, Values: map[string]string{"user": creds[i][0], "password": creds[i][1]}}
				i++
			}
		}
	}
}

func TestSignInRefusalsThenSuccess(t *testing.T) {
	e := start(t)
	d := e.register("SIGNIN-1", "alice@contoso.example")
	if _, err := e.run(d, auto.Technician, auto.Credentials{}); err != nil {
		t.Fatal(err)
	}
	views, inputs := make(chan screen.View, 1), make(chan screen.Input, 4)
	cfg := e.config(d)
	cfg.Views, cfg.Inputs = views, inputs
	dev, err := agent.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer dev.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var shown []string
	go signInDriver(ctx, views, inputs, [][2]string{
		{"alice@contoso.example", "wrong password"},
		{"carol@contoso.example", demo.Password}, // no licence
		{"bob@contoso.example", demo.Password},   // licensed, not the assigned user
		{"alice@contoso.example", demo.Password},
	}, &shown)
	res, err := dev.Run(ctx)
	if err != nil || res.Stage != agent.StageDesktop {
		t.Fatalf("run: %+v %v", res, err)
	}
	want := []string{"account or password is incorrect", "does not have a licence", "assigned to alice@contoso.example"}
	if len(shown) != len(want) {
		t.Fatalf("errors shown: %q", shown)
	}
	for i, w := range want {
		if !strings.Contains(shown[i], w) {
			t.Errorf("error %d = %q, want it to say %q", i, shown[i], w)
		}
	}
	md, _ := e.srv.Enroll().ManagedDeviceByZTD(context.Background(), d.ztd)
	if md.PrimaryUser != "alice@contoso.example" {
		t.Errorf("primary user = %q", md.PrimaryUser)
	}
}

func TestSigninAssistantDisabledGivesLocalAccount(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	p, err := e.srv.Catalog().CreatePolicy(ctx, apps.Policy{Kind: apps.CustomSettings, DisplayName: "No MSA", Settings: []apps.OMASetting{
		{Type: apps.OMAInteger, DisplayName: "Sign-in assistant off", OMAURI: apps.SigninAssistantURI, Value: "0"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.srv.Catalog().AssignPolicy(ctx, p.ID, []apps.Assignment{{Target: assign.Target{Kind: assign.Group, GroupID: e.srv.Deployment.DevicesGroup}}}); err != nil {
		t.Fatal(err)
	}
	d := e.register("MSA-1", "")
	if _, err := e.run(d, auto.Technician, auto.Credentials{}); err != nil {
		t.Fatal(err)
	}
	views, inputs := make(chan screen.View, 1), make(chan screen.Input, 4)
	cfg := e.config(d)
	cfg.Views, cfg.Inputs = views, inputs
	dev, err := agent.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer dev.Close()
	rctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	var titles []string
	var mu sync.Mutex
	go func() {
		for {
			select {
			case <-rctx.Done():
				return
			case v := <-views:
				mu.Lock()
				titles = append(titles, v.Title)
				mu.Unlock()
				switch v.Kind {
				case screen.Welcome, screen.Network, screen.Working:
					inputs <- screen.Input{Action: screen.Next}
				case screen.SignIn:
					inputs <- screen.Input{Action: screen.SubmitSignIn, Values: map[string]string{"user": "frank", "password": "x"}}
				}
			}
		}
	}()
	res, err := dev.Run(rctx)
	if err != nil || res.Stage != agent.StageDesktop {
		t.Fatalf("run: %+v %v", res, err)
	}
	cancel()
	mu.Lock()
	joined := strings.Join(titles, " | ")
	mu.Unlock()
	if !strings.Contains(joined, "License agreement") || !strings.Contains(joined, "Who's going to use this device?") || strings.Contains(joined, "Welcome to Contoso") {
		t.Errorf("screens: %s", joined)
	}
	tl, _ := e.srv.Enroll().Timeline(ctx, d.ztd)
	last := tl.Sessions[len(tl.Sessions)-1]
	if last.Phase != "user" || last.State != enroll.SessionFailed || !strings.Contains(last.Error, "sign-in assistant") {
		t.Errorf("user session = %+v", last.Session)
	}
	rep, err := e.srv.Planner().Plan(ctx, d.ztd, "")
	if err != nil {
		t.Fatal(err)
	}
	flagged := false
	for _, w := range rep.Warnings {
		flagged = flagged || strings.Contains(strings.ToLower(w.Message), "sign-in assistant")
	}
	if !flagged {
		t.Errorf("plan does not flag the sign-in assistant policy: %+v", rep.Warnings)
	}
}

type testOut struct{ t *testing.T }

func (w testOut) Write(b []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(b), "\n"))
	return len(b), nil
}

func TestMain(m *testing.M) {
	winenv.RunRegIfAsked()
	os.Exit(m.Run())
}

// drive answers screens with script: for each screen kind, the action to
// take (in turn, when several are listed); every view is recorded.
func drive(ctx context.Context, views <-chan screen.View, inputs chan<- screen.Input, script map[screen.Kind][]screen.Action, seen *[]screen.View, mu *sync.Mutex) {
	next := map[screen.Kind]int{}
	var last screen.View
	for {
		var v screen.View
		select {
		case <-ctx.Done():
			return
		case v = <-views:
		}
		mu.Lock()
		*seen = append(*seen, v)
		mu.Unlock()
		if v.Kind == last.Kind && v.Notice == last.Notice && len(v.Pending) == len(last.Pending) {
			continue // a progress update of the same screen
		}
		last = v
		acts := script[v.Kind]
		if len(acts) == 0 {
			continue
		}
		i := min(next[v.Kind], len(acts)-1)
		next[v.Kind]++
		inputs <- screen.Input{Action: acts[i]}
	}
}

func (e *env) interactive(d *device, model func(wire.Item) time.Duration, script map[screen.Kind][]screen.Action) (agent.Result, []screen.View, error) {
	views, inputs := make(chan screen.View, 1), make(chan screen.Input, 4)
	cfg := e.config(d)
	cfg.Views, cfg.Inputs, cfg.Model = views, inputs, model
	dev, err := agent.Open(cfg)
	if err != nil {
		e.t.Fatal(err)
	}
	defer dev.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var seen []screen.View
	var mu sync.Mutex
	go drive(ctx, views, inputs, script, &seen, &mu)
	res, err := dev.Run(ctx)
	cancel()
	mu.Lock()
	defer mu.Unlock()
	return res, append([]screen.View(nil), seen...), err
}

func TestFailureScreenOffersWhatTheESPAllows(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	dep := e.srv.Deployment
	bad, err := demo.AddApp(ctx, e.srv.Services(), apps.App{Kind: apps.Win32, DisplayName: "Broken Agent", Publisher: "Contoso", RunAsAccount: apps.RunAsSystem,
		InstallCommand: "sh install.sh", UninstallCommand: "sh uninstall.sh", FileName: "broken.zip",
		DetectionRules: []apps.Rule{{Type: apps.RuleFile, Path: `C:\Program Files\Broken`, FileOrFolderName: "agent.txt", Operation: apps.OpExists}},
	}, demo.Package("Broken Agent", "1.0", "echo 'license server unreachable' >&2\nexit 1\n"), assign.Target{Kind: assign.Group, GroupID: dep.DevicesGroup})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.srv.ESP().Update(ctx, dep.ESPID, func(p *esp.Profile) error {
		p.SelectedMobileAppIDs = append(p.SelectedMobileAppIDs, bad)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	d := e.register("FAIL-1", "")
	res, seen, err := e.interactive(d, nil, map[screen.Kind][]screen.Action{
		screen.Welcome: {screen.Preprovision}, screen.Configuration: {screen.Provision},
		screen.Failure: {screen.CollectLogs, screen.Quit},
	})
	if !errors.Is(err, agent.ErrQuit) {
		t.Fatalf("run: %+v %v", res, err)
	}
	var failure *screen.View
	for i := range seen {
		if seen[i].Kind == screen.Failure {
			failure = &seen[i]
		}
	}
	if failure == nil {
		t.Fatal("no failure screen")
	}
	if got := fmt.Sprint(failure.Actions); got != "[collectLogs reset retry]" {
		t.Errorf("actions = %s, want those the demo ESP allows (logs, reset, retry; not continue anyway)", got)
	}
	if !strings.Contains(failure.Error, "Broken Agent") || !strings.Contains(failure.Error, "exit code 1") || !strings.Contains(failure.Custom, "555-0100") {
		t.Errorf("failure screen: error %q, custom %q", failure.Error, failure.Custom)
	}
	if !strings.Contains(failure.Notice, "uploaded") {
		t.Errorf("notice after collecting logs: %q", failure.Notice)
	}
	tl, err := e.srv.Enroll().Timeline(ctx, d.ztd)
	if err != nil {
		t.Fatal(err)
	}
	if len(tl.Logs) != 1 || tl.Logs[0].Size == 0 || tl.Sessions[0].State != enroll.SessionFailed {
		t.Fatalf("logs %+v, session %+v", tl.Logs, tl.Sessions[0].Session)
	}
	// The bundle reads back with the failure first.
	zips, _ := filepath.Glob(filepath.Join(d.dir, "logs", "*.zip"))
	if len(zips) != 1 {
		t.Fatalf("bundles: %v", zips)
	}
	f, _ := os.Open(zips[0])
	st, _ := f.Stat()
	rep, err := diag.Read(f, st.Size())
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	diag.Print(&out, rep)
	if !strings.HasPrefix(out.String(), "FAILURES") || !strings.Contains(out.String(), "Broken Agent") {
		t.Errorf("diagnose output:\n%s", out.String())
	}
	// Reseal is never offered: the service refuses it too.
	for _, v := range seen {
		if v.Offers(screen.Reseal) {
			t.Errorf("%s offered Reseal", v.Kind)
		}
	}
}

func TestUntrackedESPAsksBeforeResealing(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	p := esp.NewProfile()
	p.DisplayName, p.ShowInstallationProgress = "No tracking", false
	created, err := e.srv.ESP().Create(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.srv.ESP().Assign(ctx, created.ID, []esp.Assignment{{Target: assign.Target{Kind: assign.Group, GroupID: e.srv.Deployment.DevicesGroup}}}); err != nil {
		t.Fatal(err)
	}
	if err := e.srv.ESP().SetPriority(ctx, created.ID, 1); err != nil {
		t.Fatal(err)
	}
	e.sync()
	d := e.register("NOESP-1", "")
	// Installs take 3 s each (modeled); the technician reseals at once.
	res, seen, err := e.interactive(d, func(wire.Item) time.Duration { return 3 * time.Second }, map[screen.Kind][]screen.Action{
		screen.Welcome: {screen.Preprovision}, screen.Configuration: {screen.Provision}, screen.Pending: {screen.ConfirmReseal},
	})
	if err != nil || res.Stage != agent.StageSealed {
		t.Fatalf("run: %+v %v", res, err)
	}
	var pending *screen.View
	for i := range seen {
		if seen[i].Kind == screen.Pending && len(seen[i].Pending) > 0 {
			pending = &seen[i]
		}
	}
	if pending == nil || !strings.Contains(pending.Title, "Enrollment succeeded") {
		t.Fatalf("no pending screen listing items: %+v", seen)
	}
	if res.Elapsed > 3*time.Second {
		t.Errorf("resealed after %s: it should not have waited for the installs", res.Elapsed)
	}
}

// TestManifestChangePushedDuringPhase assigns an app while the technician
// phase runs: the service pushes the new manifest (long poll) and the same
// phase installs it — no sync interval, no second session.
func TestManifestChangePushedDuringPhase(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	d := e.register("PUSH-1", "")
	started := make(chan struct{})
	var once sync.Once
	model := func(wire.Item) time.Duration {
		once.Do(func() { close(started) })
		return 1500 * time.Millisecond
	}
	type result struct {
		res agent.Result
		err error
	}
	done := make(chan result, 1)
	go func() {
		cfg := e.config(d)
		cfg.Model = model
		rctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		res, err := auto.Run(rctx, cfg, auto.Technician, auto.Credentials{}, nil)
		done <- result{res, err}
	}()
	select {
	case <-started:
	case r := <-done:
		t.Fatalf("finished before the first install: %+v", r)
	}
	e.addApp("Contoso Late", apps.RunAsSystem, assign.Target{Kind: assign.Group, GroupID: e.srv.Deployment.DevicesGroup})
	r := <-done
	if r.err != nil || r.res.Stage != agent.StageSealed {
		t.Fatalf("technician: %+v %v", r.res, r.err)
	}
	tl, err := e.srv.Enroll().Timeline(ctx, d.ztd)
	if err != nil {
		t.Fatal(err)
	}
	if len(tl.Sessions) != 1 {
		t.Fatalf("sessions: %d", len(tl.Sessions))
	}
	found := false
	for _, ev := range tl.Sessions[0].Events {
		found = found || (ev.Name == "Contoso Late" && ev.Step == "item" && ev.State == "succeeded")
	}
	if !found {
		t.Error("the app assigned during the phase was not installed in it")
	}
}

// TestLostSessionEndIsSentAgain: the technician phase succeeds but its end
// never reaches the service (the network drops); the next boot tells the
// service again before resealing, so the device is not stuck unsealable.
func TestLostSessionEndIsSentAgain(t *testing.T) {
	cfg := storetest.Config(t, storetest.Backends[0])
	srv, err := server.New(context.Background(), server.Config{DataDir: cfg.DataDir, DB: cfg.DSN, Demo: true, DemoDeployment: true, TrustSimulatedTPMs: true},
		slog.New(slog.DiscardHandler), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	var failEnd atomic.Bool
	failEnd.Store(true)
	h := srv.Handler()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if failEnd.Load() && strings.HasSuffix(r.URL.Path, "/end") {
			http.Error(w, "unavailable", http.StatusServiceUnavailable)
			return
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(func() { ts.Close(); srv.Close() })
	e := &env{t: t, srv: srv, url: ts.URL}
	d := e.register("ENDLOST-1", "")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := auto.Run(ctx, e.config(d), auto.Technician, auto.Credentials{}, nil); err == nil {
		t.Fatal("the first boot resealed without the service knowing the phase ended")
	}
	failEnd.Store(false) // the network is back
	res, err := auto.Run(ctx, e.config(d), auto.Technician, auto.Credentials{}, nil)
	if err != nil || res.Stage != agent.StageSealed {
		t.Fatalf("second boot: %+v %v", res, err)
	}
	md, _ := srv.Enroll().ManagedDeviceByZTD(ctx, d.ztd)
	if md.Stage != enroll.StageSealed || md.TechnicianDoneAt.IsZero() {
		t.Errorf("service: stage %s, technician done %v", md.Stage, md.TechnicianDoneAt)
	}
}
