package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/signal"
	"strings"

	"github.com/whiteglove/whiteglove/internal/authz"
	"github.com/whiteglove/whiteglove/internal/client"
	"github.com/whiteglove/whiteglove/internal/config"
	"github.com/whiteglove/whiteglove/internal/directory"
	"github.com/whiteglove/whiteglove/internal/exportplan"
	"github.com/whiteglove/whiteglove/internal/importer"
	"github.com/whiteglove/whiteglove/internal/planner"
	"github.com/whiteglove/whiteglove/internal/store"
	"github.com/whiteglove/whiteglove/internal/store/sqlstore"
)

// multi is a repeatable string flag.
type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(v string) error { *m = append(*m, v); return nil }

// importCmd streams a CSV file to a running service.
func importCmd(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o importer.Options
	var results string
	fs.StringVar(&o.Server, "server", "http://127.0.0.1:8080", "the whiteglove service")
	fs.StringVar(&o.Tenant, "tenant", "organizations", "tenant id or domain")
	fs.StringVar(&o.ClientID, "client-id", "", "app client id (or WHITEGLOVE_CLIENT_ID)")
	fs.StringVar(&results, "results", "", "write one JSON line per device line here (default: standard output)")
	quiet := fs.Bool("quiet", false, "no progress bar")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: whiteglove import [flags] FILE.csv   (client secret in WHITEGLOVE_CLIENT_SECRET)")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("import takes one CSV file")
	}
	if o.ClientID == "" {
		o.ClientID = os.Getenv("WHITEGLOVE_CLIENT_ID")
	}
	o.ClientSecret = os.Getenv("WHITEGLOVE_CLIENT_SECRET")
	o.Results = stdout
	if results != "" {
		f, err := os.Create(results)
		if err != nil {
			return err
		}
		defer f.Close()
		o.Results = f
	}
	if !*quiet {
		o.Progress = stderr
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	sum, err := importer.Import(ctx, fs.Arg(0), o)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "%s (%s, %s): %d device lines, %d imported, %d not imported\n", fs.Arg(0), sum.Encoding, sum.Variant, sum.Rows, sum.Imported, sum.Failed)
	return nil
}

// openDirectory opens the service's database directly, for admin commands
// run on the service's host.
func openDirectory(ctx context.Context, fs *flag.FlagSet, data, db string) (*directory.Service, func(), error) {
	if err := config.Apply(fs, "", os.Getenv); err != nil {
		return nil, nil, err
	}
	st, err := store.Open(ctx, store.Config{DSN: db, DataDir: data})
	if err != nil {
		return nil, nil, err
	}
	return directory.New(sqlstore.New(st), nil), func() { st.Close() }, nil
}

// appCmd registers an app with chosen roles and prints its secret once.
func appCmd(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("app", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", "./whiteglove-data", "data directory (embedded SQLite)")
	db := fs.String("db", "", "PostgreSQL DSN")
	name := fs.String("name", "", "display name")
	clientID := fs.String("client-id", "", "client id (generated when empty; an existing one gets a new secret)")
	var roles multi
	fs.Var(&roles, "role", "application role, repeatable (e.g. DeviceManagementServiceConfig.ReadWrite.All, or 'admin' for all)")
	if len(args) == 0 || args[0] != "add" {
		return errors.New("usage: whiteglove app add --name NAME --role ROLE [--role ROLE…] [--client-id ID]")
	}
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *name == "" || len(roles) == 0 {
		return errors.New("app add needs --name and at least one --role")
	}
	var granted []string
	for _, r := range roles {
		if r == "admin" {
			granted = append(granted, authz.AdminRoles...)
			continue
		}
		granted = append(granted, r)
	}
	ctx := context.Background()
	dir, closeDB, err := openDirectory(ctx, fs, *data, *db)
	if err != nil {
		return err
	}
	defer closeDB()
	secret, err := directory.RandomSecret(32)
	if err != nil {
		return err
	}
	a, err := dir.RegisterApp(ctx, *clientID, *name, secret, granted)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "client id:     %s\nclient secret: %s\nroles:         %s\n(the secret is shown only now)\n", a.ClientID, secret, strings.Join(a.Roles, " "))
	return nil
}

// userCmd sets a person's roles.
func userCmd(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("user", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", "./whiteglove-data", "data directory (embedded SQLite)")
	db := fs.String("db", "", "PostgreSQL DSN")
	var roles multi
	fs.Var(&roles, "role", "admin or technician, repeatable; none removes every role")
	if len(args) < 2 || args[0] != "roles" {
		return errors.New("usage: whiteglove user roles UPN [--role admin|technician …]")
	}
	upn := args[1]
	if err := fs.Parse(args[2:]); err != nil {
		return err
	}
	for _, r := range roles {
		if r != authz.PersonAdmin && r != authz.PersonTechnician {
			return fmt.Errorf("unknown role %q: use admin or technician", r)
		}
	}
	ctx := context.Background()
	dir, closeDB, err := openDirectory(ctx, fs, *data, *db)
	if err != nil {
		return err
	}
	defer closeDB()
	u, err := dir.Store().UserByUPN(ctx, upn)
	if err != nil {
		return fmt.Errorf("user %s: %w", upn, err)
	}
	if _, err := dir.UpdateUser(ctx, u.ID, "", func(u *directory.User) error { u.Roles = append([]string(nil), roles...); return nil }); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s now has roles: %s\n", u.UPN, strings.Join(roles, " "))
	return nil
}

// planCmd asks a running service what a device gets in each phase.
func planCmd(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("plan", flag.ContinueOnError)
	fs.SetOutput(stderr)
	server := fs.String("server", "http://127.0.0.1:8080", "the whiteglove service")
	tenant := fs.String("tenant", "organizations", "tenant id or domain")
	clientID := fs.String("client-id", "", "app client id (or WHITEGLOVE_CLIENT_ID); secret in WHITEGLOVE_CLIENT_SECRET")
	device := fs.String("device", "", "serial number or ZTDId")
	upn := fs.String("user", "", "plan for this user (default: the device's assigned user)")
	asJSON := fs.Bool("json", false, "print JSON")
	fromExport := fs.String("from-export", "", "plan from an Intune export in this directory, without a service (see internal/exportplan/README.md)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *device == "" || fs.NArg() > 0 {
		return errors.New("usage: whiteglove plan --device SERIAL|ZTDID [--user UPN] [--json] [--from-export DIR]")
	}
	ctx := context.Background()
	var rep planner.Report
	if *fromExport != "" {
		t, err := exportplan.Load(ctx, *fromExport)
		if err != nil {
			return err
		}
		defer t.Close()
		for _, n := range t.Notes {
			fmt.Fprintln(stderr, "note:", n)
		}
		if rep, err = t.Plan(ctx, *device, *upn); err != nil {
			return err
		}
	} else {
		if *clientID == "" {
			*clientID = os.Getenv("WHITEGLOVE_CLIENT_ID")
		}
		tok, err := client.Token(ctx, nil, *server, *tenant, *clientID, os.Getenv("WHITEGLOVE_CLIENT_SECRET"))
		if err != nil {
			return err
		}
		q := url.Values{"device": {*device}}
		if *upn != "" {
			q.Set("user", *upn)
		}
		if err := client.GetJSON(ctx, nil, *server, "/api/autopilot/plan?"+q.Encode(), tok, &rep); err != nil {
			return err
		}
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	return planner.Render(stdout, rep)
}
