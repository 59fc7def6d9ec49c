// Command whiteglove is the whiteglove binary: the service and its tools.
// main only reads flags, environment and settings, wires, and exits.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/whiteglove/whiteglove/internal/config"
	"github.com/whiteglove/whiteglove/internal/demo"
	"github.com/whiteglove/whiteglove/internal/server"
)

const usage = `whiteglove — self-hosted Windows Autopilot for pre-provisioned deployment

Usage:
  whiteglove serve [flags]               run the service (Graph-compatible API, token service)
  whiteglove import [flags] FILE.csv     import Autopilot devices from a CSV file into a running service
  whiteglove plan --device SERIAL        what a device gets in each phase, and why (--json)
  whiteglove app add --name N --role R   register an app (client credentials) with chosen roles
  whiteglove user roles UPN --role R     give a person the admin or technician role
  whiteglove device --server URL --state DIR --tpm hardware|simulator|software [--auto technician|user]
                                         the device client (OOBE, pre-provisioning, user flow)
  whiteglove hash --state DIR --tpm …    this device's hardware hash as a Get-WindowsAutopilotInfo CSV row (--append FILE)
  whiteglove sim --server URL --state DIR --devices N   a fleet of simulated devices (software TPMs) pre-provisioning at once
  whiteglove diagnose FILE.zip           a device's diagnostics bundle: its timeline, failures first
  whiteglove reg add|query|delete …      reg.exe for installers running on a device
  whiteglove version                     print the version

Run 'whiteglove serve -h' for the service's flags.
`

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "whiteglove:", err)
		}
		os.Exit(2)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command given")
	}
	switch args[0] {
	case "serve":
		return serve(args[1:], stdout, stderr)
	case "import":
		return importCmd(args[1:], stdout, stderr)
	case "plan":
		return planCmd(args[1:], stdout, stderr)
	case "app":
		return appCmd(args[1:], stdout, stderr)
	case "user":
		return userCmd(args[1:], stdout, stderr)
	case "device":
		return device(args[1:], stdout, stderr)
	case "hash":
		return hash(args[1:], stdout, stderr)
	case "reg":
		return reg(args[1:], stdout, stderr)
	case "sim":
		return simCmd(args[1:], stdout, stderr)
	case "diagnose":
		return diagnose(args[1:], stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "whiteglove", version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}

func serve(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg server.Config
	var settings, logLevel, logFormat string
	var demoDevices int
	var demoDeployment bool
	fs.StringVar(&settings, "config", "", "settings file (name = value lines; see README)")
	fs.StringVar(&cfg.Listen, "listen", "127.0.0.1:8080", "address to listen on")
	fs.StringVar(&cfg.DataDir, "data", "./whiteglove-data", "data directory (embedded SQLite database)")
	fs.StringVar(&cfg.DB, "db", "", "PostgreSQL DSN (postgres://…); empty for embedded SQLite in --data")
	fs.StringVar(&cfg.ContentDir, "content", "", "app package store (default: DATA/content; replicas need a shared filesystem)")
	fs.Int64Var(&cfg.MaxUpload, "max-upload", 8<<30, "largest app package accepted, in bytes")
	fs.StringVar(&cfg.PublicURL, "public-url", "", "the service's URL as clients reach it, e.g. https://wg.example.com (behind a TLS proxy); empty uses each request's host")
	fs.StringVar(&cfg.Issuer, "issuer", "", "token issuer base URL; empty uses --public-url, else each request's host")
	fs.DurationVar(&cfg.TokenLifetime, "token-lifetime", time.Hour, "access token lifetime")
	fs.StringVar(&cfg.TenantName, "tenant-name", "Contoso", "organization name (first start only)")
	fs.StringVar(&cfg.TenantDomain, "tenant-domain", "contoso.example", "organization domain (first start only)")
	fs.IntVar(&cfg.Seats, "seats", 25, "licences in the subscription (first start only)")
	fs.StringVar(&cfg.BootstrapClientID, "bootstrap-client-id", "", "register this app id with every admin role")
	fs.StringVar(&cfg.BootstrapClientSecret, "bootstrap-client-secret", "", "its client secret (prefer the environment variable)")
	fs.BoolVar(&cfg.Demo, "demo", false, "seed a demo tenant (users, groups, apps, policies, profiles) and run a demo deployment once")
	fs.BoolVar(&demoDeployment, "demo-deployment", true, "with --demo: also seed the demo deployment (profile, ESP, apps, policies)")
	fs.IntVar(&demoDevices, "demo-devices", 3, "with --demo: how many simulated devices the demo deployment pre-provisions (0: none)")
	fs.BoolVar(&cfg.TrustSimulatedTPMs, "trust-simulated-tpms", false, "trust whiteglove's INSECURE simulated TPM manufacturer CA (demo, tests, sim only)")
	fs.StringVar(&cfg.TPMRootsDir, "tpm-roots", "", "directory of trusted TPM manufacturer root certificates (PEM or DER)")
	fs.StringVar(&logLevel, "log-level", "info", "debug, info, warn or error")
	fs.StringVar(&logFormat, "log-format", "text", "text or json")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("serve takes no arguments, got %q", fs.Args())
	}
	if settings == "" {
		settings = os.Getenv(config.EnvName("config"))
	}
	if err := config.Apply(fs, settings, os.Getenv); err != nil {
		return err
	}
	if cfg.Demo {
		cfg.TrustSimulatedTPMs = true // the demo's devices have software TPMs
		cfg.DemoDeployment = demoDeployment
	}
	log, err := newLogger(stderr, logLevel, logFormat)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	srv, err := server.New(ctx, cfg, log, stdout)
	if err != nil {
		return err
	}
	defer srv.Close()
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", cfg.Listen, err)
	}
	if cfg.Demo && cfg.DemoDeployment && demoDevices > 0 {
		go func() {
			err := demo.Rehearse(ctx, demo.Rehearsal{URL: "http://" + ln.Addr().String(), Dir: filepath.Join(cfg.DataDir, "demo-devices"),
				Devices: demoDevices, Domain: srv.Tenant.Domain, Autopilot: srv.Autopilot(), Manifests: srv.Manifests(), Enroll: srv.Enroll(),
				Claims: srv.Claims(), Out: stdout})
			if err != nil && ctx.Err() == nil {
				log.Error("the demo deployment failed", "err", err)
			}
		}()
	}
	return srv.Serve(ctx, ln)
}

func newLogger(w io.Writer, level, format string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level: %w", err)
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("--log-format must be text or json, not %q", format)
}
