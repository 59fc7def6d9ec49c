package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/whiteglove/whiteglove/internal/agent"
	"github.com/whiteglove/whiteglove/internal/agent/auto"
	"github.com/whiteglove/whiteglove/internal/agent/hwinfo"
	"github.com/whiteglove/whiteglove/internal/agent/screen"
	"github.com/whiteglove/whiteglove/internal/agent/ui"
	"github.com/whiteglove/whiteglove/internal/agent/winenv"
	"github.com/whiteglove/whiteglove/internal/autopilot/hwhash"
	"github.com/whiteglove/whiteglove/internal/config"
	"github.com/whiteglove/whiteglove/internal/deviceapi/wire"
	"github.com/whiteglove/whiteglove/internal/tpm"
)

// deviceFlags are what `device` and `hash` share: the TPM and the machine.
type deviceFlags struct {
	state, tpmKind, tpmPath, serial string
	edition                         string
	build                           int
}

func (f *deviceFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.state, "state", "", "the device's state directory (survives power-off)")
	fs.StringVar(&f.tpmKind, "tpm", "hardware", "TPM: hardware (/dev/tpmrm0), simulator (TPM 2.0 reference simulator) or software")
	fs.StringVar(&f.tpmPath, "tpm-path", "", "TPM device node for --tpm hardware (default /dev/tpmrm0)")
	fs.StringVar(&f.serial, "serial", "", "use a synthetic machine with this serial number instead of this machine's SMBIOS data (demo, tests, simulator)")
	fs.StringVar(&f.edition, "edition", "Enterprise", "the Windows edition this device reports (Pro, Enterprise, Education)")
	fs.IntVar(&f.build, "build", 26100, "the Windows build this device reports (26100 = 24H2)")
}

func (f *deviceFlags) check() error {
	if f.state == "" {
		return errors.New("--state DIR is required")
	}
	return nil
}

// hashFunc collects the hardware hash: this machine's, or a synthetic one.
func (f *deviceFlags) hashFunc(t tpm.TPM) func(ctx context.Context, ek []byte) (*hwhash.Hash, error) {
	return func(ctx context.Context, ek []byte) (*hwhash.Hash, error) {
		if f.serial != "" {
			return hwinfo.Synthetic(f.serial, ek), nil
		}
		info := t.Info()
		return hwinfo.Collect(ctx, hwinfo.Options{SysRoot: "/", EKModulus: ek, TPMManufacturer: info.Manufacturer, TPMVersion: info.Version})
	}
}

// facts reads what requirement rules compare.
func facts(stateDir string, build int) winenv.Facts {
	f := winenv.Facts{Build: build, Arch: map[string]string{"amd64": "x64", "386": "x86", "arm64": "arm64", "arm": "arm"}[runtime.GOARCH], Processors: runtime.NumCPU()}
	var st syscall.Statfs_t
	if syscall.Statfs(stateDir, &st) == nil {
		f.FreeDiskMB = int(st.Bavail * uint64(st.Bsize) >> 20)
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		if n, ok := hwinfo.ParseMemTotal(string(b)); ok {
			f.MemoryMB = int(n >> 20)
		}
	}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		f.CPUSpeedMHz = hwinfo.ParseCPUInfo(string(b)).MHz
	}
	return f
}

func device(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("device", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		df                         deviceFlags
		server, mode, windowsKey   string
		userUPN, password, network string
	)
	df.register(fs)
	fs.StringVar(&server, "server", "", "the whiteglove service URL")
	fs.StringVar(&mode, "auto", "", "run headless: technician (pre-provision and reseal) or user (sign in and reach the desktop)")
	fs.StringVar(&windowsKey, "windows-key", ui.DefaultWindowsKey, "the key standing in for the Windows key (press it five times on the first screen)")
	fs.StringVar(&userUPN, "user", "", "--auto user: the user's UPN")
	fs.StringVar(&password, "password", "", "--auto user: the password (prefer standard input or WHITEGLOVE_PASSWORD)")
	fs.StringVar(&network, "network", "wired", "--auto user: wired or wifi")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := config.Apply(fs, "", os.Getenv); err != nil {
		return err
	}
	if err := df.check(); err != nil {
		return err
	}
	if server == "" {
		return errors.New("--server URL is required")
	}
	if mode != "" && mode != auto.Technician && mode != auto.User {
		return fmt.Errorf("--auto must be technician or user, not %q", mode)
	}
	if err := os.MkdirAll(df.state, 0o700); err != nil {
		return fmt.Errorf("creating the state directory: %w", err)
	}
	logf, err := os.OpenFile(filepath.Join(df.state, "client.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("opening the client log: %w", err)
	}
	defer logf.Close()
	log := slog.New(slog.NewTextHandler(logf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if mode == auto.User && password == "" {
		if password = os.Getenv("WHITEGLOVE_PASSWORD"); password == "" {
			b, _ := io.ReadAll(io.LimitReader(os.Stdin, 4096))
			password = strings.TrimRight(string(b), "\r\n")
		}
	}
	for boot := 1; ; boot++ {
		res, err := deviceBoot(ctx, df, server, mode, windowsKey, auto.Credentials{UPN: userUPN, Password: password, Network: network}, log, stdout)
		if errors.Is(err, agent.ErrReboot) {
			fmt.Fprintf(stdout, "restarting (boot %d): the device resumes where it was\n", boot+1)
			continue
		}
		if err != nil {
			return err
		}
		switch res.Stage {
		case agent.StageSealed:
			fmt.Fprintf(stdout, "resealed after %s; the device powers off — the next start runs the user flow\n", res.Elapsed.Round(time.Millisecond))
		case agent.StageDesktop:
			fmt.Fprintf(stdout, "desktop reached after %s\n", res.Elapsed.Round(time.Millisecond))
		}
		return nil
	}
}

// deviceBoot is one power-on of the device: it opens the TPM and the
// state, runs the flow, and closes them again.
func deviceBoot(ctx context.Context, df deviceFlags, server, mode, windowsKey string, au auto.Credentials, log *slog.Logger, stdout io.Writer) (agent.Result, error) {
	t, err := tpm.Open(ctx, df.tpmKind, df.tpmPath, df.state)
	if err != nil {
		return agent.Result{}, fmt.Errorf("opening the TPM: %w", err)
	}
	defer t.Close()
	views := make(chan screen.View, 1)
	inputs := make(chan screen.Input, 4)
	cfg := agent.Config{
		Server: server, StateDir: df.state, TPM: t, Hash: df.hashFunc(t),
		OS:    wire.OSInfo{Edition: df.edition, Build: df.build, Arch: "x64"},
		Facts: facts(df.state, df.build), Log: log, Views: views, Inputs: inputs,
	}
	if mode != "" {
		cfg.Print = func(s string) { fmt.Fprintln(stdout, s) }
	}
	d, err := agent.Open(cfg)
	if err != nil {
		return agent.Result{}, err
	}
	defer d.Close()
	rctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	if mode != "" {
		go auto.Drive(rctx, cancel, mode, au, views, inputs, stdout)
	} else {
		go func() {
			err := ui.Run(rctx, views, inputs, ui.Options{WindowsKey: windowsKey, AltScreen: true})
			if err != nil && rctx.Err() == nil {
				cancel(err)
			}
		}()
	}
	res, err := d.Run(rctx)
	if cause := context.Cause(rctx); cause != nil && !errors.Is(cause, context.Canceled) && (err == nil || errors.Is(err, context.Canceled)) {
		return res, cause
	}
	return res, err
}
