// Package demo seeds a demonstration tenant: people (one without a licence),
// a technician, a static group and dynamic Autopilot device groups, and a few
// device objects those rules pick up. Seeding is idempotent.
package demo

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/whiteglove/whiteglove/internal/authz"
	"github.com/whiteglove/whiteglove/internal/directory"
)

// Password is the demo users' password. It is printed, because this is a
// demo; never use --demo for a real tenant.
const Password = "Whiteglove-Demo-1"

type person struct {
	local, name, dept string
	licensed          bool
	roles             []string
}

var people = []person{
	{"admin", "Ada Admin", "IT", true, []string{authz.PersonAdmin}},
	{"tech", "Theo Technician", "IT", true, []string{authz.PersonTechnician}},
	{"alice", "Alice Anders", "Sales", true, nil},
	{"bob", "Bob Berg", "Engineering", true, nil},
	{"carol", "Carol Chen", "Finance", false, nil}, // unlicensed: cannot finish the user flow
}

var groups = []directory.Group{
	{DisplayName: "Autopilot devices", MailNickname: "autopilotdevices", SecurityEnabled: true,
		GroupTypes: []string{directory.GroupTypeDynamic}, MembershipRule: `(device.devicePhysicalIDs -any (_ -startsWith "[ZTDid]"))`},
	{DisplayName: "Autopilot devices - Sales", MailNickname: "autopilotsales", SecurityEnabled: true,
		GroupTypes: []string{directory.GroupTypeDynamic}, MembershipRule: `(device.devicePhysicalIds -any (_ -eq "[OrderID]:Sales"))`},
	{DisplayName: "Sales users", MailNickname: "salesusers", SecurityEnabled: true,
		GroupTypes: []string{directory.GroupTypeDynamic}, MembershipRule: `(user.department -eq "Sales")`},
	{DisplayName: "Pilot users", MailNickname: "pilotusers", SecurityEnabled: true},
}

var devices = []directory.Device{
	{DisplayName: "DEMO-LAPTOP-01", Manufacturer: "Contoso", Model: "Book 14", OperatingSystem: "Windows",
		PhysicalIDs: []string{"[ZTDID]:6f1a2b3c-0000-4000-8000-000000000001", "[OrderId]:Sales"}},
	{DisplayName: "DEMO-LAPTOP-02", Manufacturer: "Contoso", Model: "Book 14", OperatingSystem: "Windows",
		PhysicalIDs: []string{"[ZTDID]:6f1a2b3c-0000-4000-8000-000000000002", "[OrderId]:Engineering"}},
	{DisplayName: "DEMO-KIOSK-01", Manufacturer: "Fabrikam", Model: "Kiosk 7", OperatingSystem: "Windows"},
}

// Seed adds the demo objects that are missing and reports what it did to out.
func Seed(ctx context.Context, dir *directory.Service, out io.Writer) error {
	t, err := dir.Store().Tenant(ctx)
	if err != nil {
		return err
	}
	var pilots []string
	for _, p := range people {
		upn := p.local + "@" + t.Domain
		u, err := dir.Store().UserByUPN(ctx, upn)
		if errors.Is(err, directory.ErrNotFound) {
			u, err = dir.CreateUser(ctx, directory.NewUser{Password: Password, User: directory.User{
				UPN: upn, DisplayName: p.name, Department: p.dept, AccountEnabled: true, Licensed: p.licensed, Roles: p.roles,
			}})
		}
		if err != nil {
			return fmt.Errorf("demo user %s: %w", upn, err)
		}
		if p.local == "alice" || p.local == "bob" {
			pilots = append(pilots, u.ID)
		}
	}
	existing, err := dir.Store().Groups(ctx)
	if err != nil {
		return err
	}
	have := map[string]string{}
	for _, g := range existing {
		have[g.DisplayName] = g.ID
	}
	for _, g := range groups {
		if _, ok := have[g.DisplayName]; ok {
			continue
		}
		created, err := dir.CreateGroup(ctx, g)
		if err != nil {
			return fmt.Errorf("demo group %s: %w", g.DisplayName, err)
		}
		have[g.DisplayName] = created.ID
		if g.DisplayName == "Pilot users" {
			for _, id := range pilots {
				if err := dir.AddMember(ctx, created.ID, id); err != nil {
					return err
				}
			}
		}
	}
	ds, err := dir.Store().Devices(ctx)
	if err != nil {
		return err
	}
	names := map[string]bool{}
	for _, d := range ds {
		names[d.DisplayName] = true
	}
	for _, d := range devices {
		if names[d.DisplayName] {
			continue
		}
		d.AccountEnabled = true
		if _, err := dir.CreateDevice(ctx, d); err != nil {
			return fmt.Errorf("demo device %s: %w", d.DisplayName, err)
		}
	}
	fmt.Fprintf(out, "Demo tenant %s (%s): users admin@, tech@, alice@, bob@, carol@%s (carol has no licence), password %q.\n",
		t.DisplayName, t.ID, t.Domain, Password)
	fmt.Fprintf(out, "  Get a token as the admin: curl -s -d grant_type=password -d client_id=d1ddf0e4-d672-4dae-b554-9d5bdfd93547 "+
		"-d username=admin@%s -d password=%s -d scope=https://graph.microsoft.com/.default http://HOST/%s/oauth2/v2.0/token\n",
		t.Domain, Password, t.Domain)
	return nil
}
