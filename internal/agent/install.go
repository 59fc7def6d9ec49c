package agent

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/whiteglove/whiteglove/internal/agent/winenv"
	"github.com/whiteglove/whiteglove/internal/apps"
	"github.com/whiteglove/whiteglove/internal/content"
	"github.com/whiteglove/whiteglove/internal/deviceapi/wire"
)

// modeledKey records modeled installs (simulator, benchmarks).
const modeledKey = `HKLM\SOFTWARE\whiteglove\Modeled`

// Install retries for the "retry" return code (Intune waits 5 minutes; a
// device on the bench does not).
var retryDelays = []time.Duration{time.Second, 2 * time.Second, 4 * time.Second}

// installApp installs an app: requirements, detection first, download with
// resume, SHA-256 check, extraction, the installer with its return codes,
// detection after. skipped is true when the app was already there or does
// not apply to this device.
func (e *engine) installApp(ctx context.Context, category string, it wire.Item) (skipped bool, detail string, err error) {
	a := it.App
	facts := e.facts
	facts.User = e.user
	if e.Model != nil {
		// A modeled install leaves a marker that its detection finds, so a
		// modeled app, like a real one, is installed once per device.
		key := modeledKey + `\` + it.ID
		if ok, err := e.env.Registry().KeyExists(key); err != nil {
			return false, "", err
		} else if ok {
			return true, "already installed (modeled)", nil
		}
		d := e.Model(it)
		start := time.Now()
		select {
		case <-ctx.Done():
			return false, "", context.Cause(ctx)
		case <-time.After(d):
		}
		e.addInstallTime(time.Since(start))
		if err := e.env.Registry().Set(key, "Version", winenv.Value{Type: "REG_SZ", Data: a.Version}); err != nil {
			return false, "", err
		}
		return false, fmt.Sprintf("modeled install of %s", d), nil
	}
	if len(a.Requirements) > 0 && string(a.Requirements) != "null" {
		var req apps.Requirements
		if err := json.Unmarshal(a.Requirements, &req); err != nil {
			return false, "", fmt.Errorf("reading the requirements: %w", err)
		}
		ok, why, err := e.env.CheckRequirements(ctx, req, facts)
		if err != nil {
			return false, "", fmt.Errorf("checking requirements: %w", err)
		}
		if !ok {
			e.rec.record(wire.Event{Step: "requirements", ItemID: it.ID, Name: it.Name, Category: category, State: stSkipped, Detail: why})
			return true, "not applicable: " + why, nil
		}
	}
	var pkg *content.Package
	detect := func() (bool, string, error) { return e.detect(ctx, a, pkg, facts) }
	if known := len(a.Detection) > 0 || a.ProductCode != ""; known {
		present, why, err := detect()
		if err != nil {
			return false, "", fmt.Errorf("detecting before install: %w", err)
		}
		e.rec.record(wire.Event{Step: "detect", ItemID: it.ID, Name: it.Name, Category: category, State: stSucceeded, Detail: "before install: " + why})
		if present {
			return true, "already installed (" + why + ")", nil
		}
	}
	dir, p, err := e.fetch(ctx, category, it)
	if err != nil {
		return false, "", err
	}
	pkg = &p
	if len(a.Detection) == 0 && a.ProductCode == "" && p.Manifest.Detection != nil {
		present, why, err := detect()
		if err != nil {
			return false, "", fmt.Errorf("detecting before install: %w", err)
		}
		e.rec.record(wire.Event{Step: "detect", ItemID: it.ID, Name: it.Name, Category: category, State: stSucceeded, Detail: "before install: " + why})
		if present {
			return true, "already installed (" + why + ")", nil
		}
	}
	cmdline := a.InstallCommand
	if cmdline == "" || strings.HasPrefix(strings.ToLower(strings.TrimSpace(cmdline)), "msiexec") || a.Type == "windowsMobileMSI" {
		cmdline = p.Manifest.InstallCommand
	}
	for attempt := 0; ; attempt++ {
		if err := e.rec.record(wire.Event{Step: "install", ItemID: it.ID, Name: it.Name, Category: category, State: stStarted, Detail: cmdline}); err != nil {
			return false, "", err
		}
		code, out, err := e.run(ctx, dir, cmdline, a.MaxRunTimeMinutes, facts.User)
		if err != nil {
			return false, "", fmt.Errorf("running the installer: %w", err)
		}
		kind := codeType(a.ReturnCodes, code)
		e.rec.record(wire.Event{Step: "install", ItemID: it.ID, Name: it.Name, Category: category, State: stSucceeded,
			Detail: fmt.Sprintf("exit code %d (%s)%s", code, kind, tail(out))})
		switch kind {
		case "retry":
			if attempt < len(retryDelays) {
				e.rec.record(wire.Event{Step: "install", ItemID: it.ID, Name: it.Name, Category: category, State: stRetrying, Detail: fmt.Sprintf("attempt %d of %d", attempt+2, len(retryDelays)+1)})
				select {
				case <-ctx.Done():
					return false, "", context.Cause(ctx)
				case <-time.After(retryDelays[attempt]):
				}
				continue
			}
			return false, "", fmt.Errorf("the installer asked to retry %d times (exit code %d)", attempt+1, code)
		case "failed":
			return false, "", fmt.Errorf("the installer failed with exit code %d%s", code, tail(out))
		case "hardReboot":
			e.rec.record(wire.Event{Step: "reboot", ItemID: it.ID, Name: it.Name, Category: category, State: stRebooting, Detail: "hard reboot requested by exit code " + fmt.Sprint(code)})
			return false, "", ErrReboot
		case "softReboot":
			e.rec.record(wire.Event{Step: "reboot", ItemID: it.ID, Name: it.Name, Category: category, State: "required", Detail: "soft reboot after the phase (exit code " + fmt.Sprint(code) + ")"})
		}
		break
	}
	if len(a.Detection) == 0 && a.ProductCode == "" && p.Manifest.Detection == nil {
		return false, "installed (no detection rule: the exit code decides)", nil
	}
	present, why, err := detect()
	if err != nil {
		return false, "", fmt.Errorf("detecting after install: %w", err)
	}
	e.rec.record(wire.Event{Step: "detect", ItemID: it.ID, Name: it.Name, Category: category, State: stSucceeded, Detail: "after install: " + why})
	if !present {
		return false, "", fmt.Errorf("the installer succeeded but the app is not detected (%s)", why)
	}
	return false, "installed and detected", nil
}

// detect runs the app's detection: Graph rules, else the MSI product code,
// else the package's own detection.
func (e *engine) detect(ctx context.Context, a *wire.App, pkg *content.Package, facts winenv.Facts) (bool, string, error) {
	switch {
	case len(a.Detection) > 0:
		rules := make([]apps.Rule, len(a.Detection))
		for i, raw := range a.Detection {
			if err := json.Unmarshal(raw, &rules[i]); err != nil {
				return false, "", fmt.Errorf("reading detection rule %d: %w", i+1, err)
			}
		}
		return e.env.Detect(ctx, rules, facts)
	case a.ProductCode != "":
		ok, err := e.env.MSIDetect(a.ProductCode, a.ProductVersion)
		if ok {
			return true, "product " + a.ProductCode + " installed", err
		}
		return false, "product " + a.ProductCode + " not installed", err
	case pkg != nil && pkg.Manifest.Detection != nil:
		return e.env.DetectPackage(*pkg.Manifest.Detection, facts)
	}
	return false, "no detection rule", nil
}

// fetch downloads, checks and extracts an app's package once.
func (e *engine) fetch(ctx context.Context, category string, it wire.Item) (string, content.Package, error) {
	a := it.App
	if !content.ValidSHA256(a.ContentSHA256) {
		return "", content.Package{}, errors.New("the app has no committed content")
	}
	downloads := filepath.Join(e.dir, "downloads")
	if err := os.MkdirAll(downloads, 0o700); err != nil {
		return "", content.Package{}, err
	}
	blob := filepath.Join(downloads, a.ContentSHA256)
	if _, err := os.Stat(blob); err != nil {
		e.rec.record(wire.Event{Step: "download", ItemID: it.ID, Name: it.Name, Category: category, State: stStarted, Detail: fmt.Sprintf("%d bytes", a.Size)})
		last := time.Now()
		err := e.api.Download(ctx, a.ContentSHA256, a.Size, blob, func(n int64) {
			if time.Since(last) > time.Second {
				last = time.Now()
				e.rec.line(category, LineApps, "running", fmt.Sprintf("%s: %d of %d MB", it.Name, n>>20, a.Size>>20))
			}
		})
		if err != nil {
			e.rec.record(wire.Event{Step: "download", ItemID: it.ID, Name: it.Name, Category: category, State: stFailed, Error: err.Error()})
			return "", content.Package{}, fmt.Errorf("downloading the package: %w", err)
		}
		e.rec.record(wire.Event{Step: "download", ItemID: it.ID, Name: it.Name, Category: category, State: stSucceeded, Detail: "SHA-256 verified"})
	}
	f, err := os.Open(blob)
	if err != nil {
		return "", content.Package{}, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return "", content.Package{}, err
	}
	pkg, err := content.ReadPackage(f, st.Size())
	if err != nil {
		return "", content.Package{}, fmt.Errorf("reading the package: %w", err)
	}
	dir := filepath.Join(e.dir, "apps", a.ContentSHA256)
	if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		if err := os.MkdirAll(filepath.Dir(dir), 0o700); err != nil {
			return "", content.Package{}, err
		}
		if err := content.Extract(ctx, pkg, dir); err != nil {
			return "", content.Package{}, fmt.Errorf("extracting the package: %w", err)
		}
	}
	return dir, pkg, nil
}

// run runs a command line with /bin/sh in dir, with the Windows-like
// environment, killing its whole process group at the time limit.
func (e *engine) run(ctx context.Context, dir, cmdline string, maxMinutes int, user string) (int, string, error) {
	if maxMinutes <= 0 {
		maxMinutes = apps.DefaultRunTime
	}
	ctx, cancel := context.WithTimeout(ctx, time.Duration(maxMinutes)*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "/bin/sh", "-c", cmdline)
	cmd.Dir = dir
	cmd.Env = e.environ(user)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	var out capBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	e.addInstallTime(time.Since(start))
	if ctx.Err() == context.DeadlineExceeded {
		return 0, out.String(), fmt.Errorf("the command ran longer than its %d-minute limit and was stopped", maxMinutes)
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode(), out.String(), nil
	}
	if err != nil {
		return 0, out.String(), err
	}
	return 0, out.String(), nil
}

// environ is the installers' environment: the emulated Windows variables,
// PATH, and WHITEGLOVE (this program, for `"$WHITEGLOVE" reg add …`).
func (e *engine) environ(user string) []string {
	env := e.env.Vars(user)
	exe, _ := os.Executable()
	env = append(env, "PATH="+os.Getenv("PATH"), "WHITEGLOVE="+exe, "HOME="+os.Getenv("HOME"), "LANG=C.UTF-8")
	// Tests run the client as a re-executed test binary; its marker must
	// reach `"$WHITEGLOVE" reg …` too.
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "WHITEGLOVE_TEST_") {
			env = append(env, kv)
		}
	}
	return env
}

func codeType(codes []wire.ReturnCode, code int) string {
	for _, c := range codes {
		if int(c.Code) == code {
			return c.Type
		}
	}
	return "failed"
}

func tail(out string) string {
	out = strings.TrimSpace(out)
	if out == "" {
		return ""
	}
	if len(out) > 300 {
		out = "…" + out[len(out)-300:]
	}
	return ": " + out
}

// capBuffer keeps the first 64 KiB written.
type capBuffer struct{ b []byte }

func (c *capBuffer) Write(p []byte) (int, error) {
	if room := 64<<10 - len(c.b); room > 0 {
		c.b = append(c.b, p[:min(len(p), room)]...)
	}
	return len(p), nil
}
func (c *capBuffer) String() string { return string(c.b) }

var _ io.Writer = (*capBuffer)(nil)

// runScript runs a script once; exit 0 is success.
func (e *engine) runScript(ctx context.Context, category string, it wire.Item) (string, error) {
	facts := e.facts
	if it.Script.RunAsAccount == apps.RunAsUser {
		facts.User = e.user
	}
	start := time.Now()
	code, stdout, stderr, err := e.env.RunScript(ctx, it.Script.Content, facts)
	e.addInstallTime(time.Since(start))
	if err != nil {
		return "", fmt.Errorf("running the script: %w", err)
	}
	if code != 0 {
		return "", fmt.Errorf("the script exited with %d%s", code, tail(stderr+stdout))
	}
	return "exit code 0" + tail(stdout), nil
}
