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

// Claimer grants a one-time job to exactly one replica.
type Claimer interface {
	ClaimOnce(ctx context.Context, name string) (bool, error)
}

// Seed adds the demo objects once per database (replicas starting together
// seed it once) and reports the demo credentials to out.
func Seed(ctx context.Context, dir *directory.Service, claims Claimer, out io.Writer) error {
	t, err := dir.Store().Tenant(ctx)
	if err != nil {
		return err
	}
	first, err := claims.ClaimOnce(ctx, "demo-seed")
	if err != nil {
		return err
	}
	if first {
		if err := seed(ctx, dir, t); err != nil {
			return err
		}
	}
	return nil
}

func seed(ctx context.Context, dir *directory.Service, t directory.Tenant) error {
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
	return nil
}
