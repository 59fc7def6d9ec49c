package exportplan

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/whiteglove/whiteglove/internal/apps"
	"github.com/whiteglove/whiteglove/internal/assign"
	"github.com/whiteglove/whiteglove/internal/autopilot"
	"github.com/whiteglove/whiteglove/internal/directory"
	"github.com/whiteglove/whiteglove/internal/esp"
	"github.com/whiteglove/whiteglove/internal/planner"
	"github.com/whiteglove/whiteglove/internal/store"
	"github.com/whiteglove/whiteglove/internal/store/sqlstore"
	"github.com/whiteglove/whiteglove/internal/targeting"
)

// Tenant is an export loaded into a temporary embedded tenant, ready to
// plan. Close removes it.
type Tenant struct {
	// Notes say what of the export could not be loaded as it is, and what
	// was done instead (skipped, kept as static, planned unvalidated). A
	// plan is still right about everything else; print them for the admin.
	Notes []string

	tmp      string
	db       *store.DB
	planner  *planner.Planner
	toExport map[string]string // whiteglove id -> export id (apps, policies, scripts, profiles, ESP)
}

// Plan loads the export in dir, plans device (serial number or ZTDId) for
// user (UPN; "" = the device's assigned user) and removes the temporary
// tenant. Ids in the report are the export's.
func Plan(ctx context.Context, dir, device, user string) (planner.Report, error) {
	t, err := Load(ctx, dir)
	if err != nil {
		return planner.Report{}, err
	}
	defer t.Close()
	return t.Plan(ctx, device, user)
}

// Plan plans a device of the loaded export; ids in the report are the
// export's.
func (t *Tenant) Plan(ctx context.Context, device, user string) (planner.Report, error) {
	rep, err := t.planner.Plan(ctx, device, user)
	if err != nil {
		return planner.Report{}, err
	}
	t.translate(&rep)
	return rep, nil
}

// Close releases the temporary tenant and deletes its files.
func (t *Tenant) Close() error {
	err := t.db.Close()
	if rerr := os.RemoveAll(t.tmp); err == nil {
		err = rerr
	}
	return err
}

// loader carries the state of one Load.
type loader struct {
	ctx       context.Context
	t         *Tenant
	st        *sqlstore.Store
	dir       *directory.Service
	ap        *autopilot.Service
	es        *esp.Service
	cat       *apps.Service
	users     map[string]bool
	devices   map[string]directory.Device // by object id
	groups    map[string]bool
	toNew     map[string]string // export id -> whiteglove id
	extra     []targeting.Item  // items planned without the apps service
	extraApps []apps.App
}

func (l *loader) note(format string, args ...any) {
	l.t.Notes = append(l.t.Notes, fmt.Sprintf(format, args...))
}

// newID translates an export id of a catalog item, profile or ESP.
func (l *loader) newID(exportID string) string {
	if n, ok := l.toNew[strings.ToLower(exportID)]; ok {
		return n
	}
	return exportID
}

func (l *loader) mapped(exportID, newID string) {
	l.toNew[strings.ToLower(exportID)] = newID
	l.t.toExport[newID] = exportID
}

// Load reads the export in dir into a fresh temporary tenant.
func Load(ctx context.Context, dir string) (*Tenant, error) {
	e, err := Read(dir)
	if err != nil {
		return nil, err
	}
	return LoadExport(ctx, e)
}

// LoadExport writes an export already read into a fresh temporary tenant.
func LoadExport(ctx context.Context, e *Export) (_ *Tenant, err error) {
	tmp, err := os.MkdirTemp("", "whiteglove-export-")
	if err != nil {
		return nil, fmt.Errorf("creating the temporary tenant: %w", err)
	}
	db, err := store.Open(ctx, store.Config{DataDir: tmp})
	if err != nil {
		os.RemoveAll(tmp)
		return nil, fmt.Errorf("creating the temporary tenant: %w", err)
	}
	t := &Tenant{tmp: tmp, db: db, toExport: map[string]string{}}
	defer func() {
		if err != nil {
			t.Close()
		}
	}()
	log := slog.New(slog.DiscardHandler)
	l := &loader{ctx: ctx, t: t, st: sqlstore.New(db), users: map[string]bool{}, devices: map[string]directory.Device{},
		groups: map[string]bool{}, toNew: map[string]string{}}
	l.dir = directory.New(l.st, log)
	l.ap = autopilot.New(l.st, l.dir, log)
	licensed, domain := 0, "export.invalid"
	for _, o := range e.Users {
		if len(objs(o, "assignedLicenses")) > 0 {
			licensed++
		}
		if _, d, ok := strings.Cut(str(o, "userPrincipalName"), "@"); ok && domain == "export.invalid" && d != "" {
			domain = d
		}
	}
	tenant, _, err := l.dir.EnsureTenant(ctx, directory.TenantSettings{DisplayName: "Export", Domain: domain, Seats: licensed + 1})
	if err != nil {
		return nil, err
	}
	l.es = esp.New(l.st.ESP(), l.st, tenant.ID, log)
	def, err := l.es.EnsureDefault(ctx)
	if err != nil {
		return nil, err
	}
	l.cat = apps.New(l.st.Catalog(), l.st, log)
	steps := []func(*Export) error{l.loadUsers, l.loadDevices, l.loadIdentities, l.loadGroups, l.loadProfiles, l.loadApps,
		l.loadPolicies, l.loadScripts, func(e *Export) error { return l.loadESP(e, def.ID) }}
	for _, step := range steps {
		if err := step(e); err != nil {
			return nil, err
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	if err := l.ap.Sync(ctx); err != nil {
		return nil, fmt.Errorf("assigning deployment profiles: %w", err)
	}
	var cat planner.CatalogSource = &planner.AppsCatalog{Apps: l.cat}
	if len(l.extra) > 0 {
		snap, err := l.cat.Snapshot(ctx)
		if err != nil {
			return nil, err
		}
		cat = fixedCatalog{targeting.NewCatalog(append(planner.Items(snap), l.extra...))}
	}
	t.planner = &planner.Planner{Devices: l.st, Directory: l.st, ESP: l.es, Catalog: cat}
	return t, nil
}

// fixedCatalog is the catalog of a loaded export, which never changes.
type fixedCatalog struct{ c *targeting.Catalog }

func (f fixedCatalog) Catalog(context.Context) (*targeting.Catalog, error) { return f.c, nil }

func (l *loader) loadUsers(e *Export) error {
	for _, o := range e.Users {
		u, err := mapUser(o)
		if err == nil {
			u, err = l.dir.CreateUser(l.ctx, directory.NewUser{User: u})
		}
		if err != nil {
			l.note("users.json: user %s skipped: %v", label(o), err)
			continue
		}
		l.users[u.ID] = true
	}
	return nil
}

func (l *loader) loadDevices(e *Export) error {
	var ds []directory.Device
	for _, o := range e.Devices {
		d, err := mapDevice(o)
		if err != nil {
			l.note("devices.json: device %s skipped: %v", label(o), err)
			continue
		}
		ds = append(ds, d)
	}
	if len(ds) == 0 {
		return nil
	}
	if created, err := l.dir.CreateDevices(l.ctx, ds); err == nil {
		for _, d := range created {
			l.devices[d.ID] = d
		}
		return nil
	}
	for _, d := range ds { // one by one, to skip only the bad ones
		c, err := l.dir.CreateDevice(l.ctx, d)
		if err != nil {
			l.note("devices.json: device %q skipped: %v", d.DisplayName, err)
			continue
		}
		l.devices[c.ID] = c
	}
	return nil
}

// loadIdentities writes the Autopilot identities directly (the export has
// no hardware hash to import), each anchored on its Entra device: the one
// whose deviceId is the identity's azureActiveDirectoryDeviceId, else the
// one whose physicalIds hold [ZTDID]:<identity id>; a missing one is
// created as registration would create it.
func (l *loader) loadIdentities(e *Export) error {
	byDeviceID, byZTDID := map[string]directory.Device{}, map[string]directory.Device{}
	for _, d := range l.devices {
		byDeviceID[d.DeviceID] = d
		for _, p := range d.PhysicalIDs {
			if k, v, ok := strings.Cut(p, ":"); ok && strings.EqualFold(k, "[ZTDID]") {
				byZTDID[strings.ToLower(strings.TrimSpace(v))] = d
			}
		}
	}
	now := time.Now().UTC()
	seen := map[string]bool{}
	var ids []autopilot.Device
	for _, o := range e.Identities {
		d, err := mapIdentity(o)
		if err != nil || seen[d.ID] {
			if err == nil {
				err = errors.New("duplicate id")
			}
			l.note("windowsAutopilotDeviceIdentities.json: identity %s skipped: %v", label(o), err)
			continue
		}
		seen[d.ID] = true
		ent, ok := byDeviceID[d.EntraDeviceID]
		if !ok || d.EntraDeviceID == "" {
			ent, ok = byZTDID[d.ID]
		}
		if !ok {
			nd := directory.Device{DisplayName: d.SerialNumber, AccountEnabled: true, OperatingSystem: "Windows",
				Manufacturer: d.Manufacturer, Model: d.Model, PhysicalIDs: []string{"[ZTDID]:" + d.ID}}
			if _, err := uuid.Parse(d.EntraDeviceID); err == nil {
				nd.DeviceID = d.EntraDeviceID
			}
			if d.GroupTag != "" {
				nd.PhysicalIDs = append(nd.PhysicalIDs, "[OrderId]:"+d.GroupTag)
			}
			if d.PurchaseOrder != "" {
				nd.PhysicalIDs = append(nd.PhysicalIDs, "[PurchaseOrderId]:"+d.PurchaseOrder)
			}
			if ent, err = l.dir.CreateDevice(l.ctx, nd); err != nil {
				l.note("windowsAutopilotDeviceIdentities.json: identity %s skipped: creating its Entra device: %v", label(o), err)
				continue
			}
			l.devices[ent.ID] = ent
			l.note("windowsAutopilotDeviceIdentities.json: identity %s has no Entra device in devices.json; one was created with its ZTDID, OrderId and PurchaseOrderId markers", label(o))
		}
		d.EntraObjectID, d.EntraDeviceID = ent.ID, ent.DeviceID
		d.CreatedAt, d.UpdatedAt = now, now
		if d.UserPrincipalName != "" && !l.userByUPN(e, d.UserPrincipalName) {
			l.note("windowsAutopilotDeviceIdentities.json: identity %s is assigned to %s, who is not in users.json: plan it with --user", label(o), d.UserPrincipalName)
		}
		ids = append(ids, d)
	}
	if len(ids) == 0 {
		return nil
	}
	if err := l.st.AutopilotTx(l.ctx, func(tx autopilot.Tx) error { return tx.PutAutopilotDevices(l.ctx, ids) }); err != nil {
		return fmt.Errorf("writing the Autopilot identities: %w", err)
	}
	return nil
}

func (l *loader) userByUPN(e *Export, upn string) bool {
	for _, o := range e.Users {
		if strings.EqualFold(str(o, "userPrincipalName"), upn) {
			oid, _ := id(o)
			return l.users[oid]
		}
	}
	return false
}

// loadGroups creates the groups with their exported ids. A dynamic group
// is evaluated by whiteglove's rule engine against the exported objects;
// a rule it cannot parse keeps the members Entra computed, as a static
// group. Static members of nested groups are flattened (Intune targets
// nested members).
func (l *loader) loadGroups(e *Export) error {
	all := map[string]Group{}
	var order []string
	for _, o := range e.Groups {
		g, err := mapGroup(o)
		if err != nil {
			l.note("groups.json: group %s skipped: %v", label(o), err)
			continue
		}
		if _, dup := all[g.Group.ID]; !dup {
			order = append(order, g.Group.ID)
		}
		all[g.Group.ID] = g
	}
	for _, gid := range order {
		g := all[gid]
		if g.Group.Dynamic() {
			if _, err := l.dir.CreateGroup(l.ctx, g.Group); err == nil {
				l.groups[gid] = true
				continue
			} else {
				l.note("groups.json: dynamic group %q: %v; it keeps its exported members instead", g.Group.DisplayName, err)
			}
			g.Group.GroupTypes = slicesWithout(g.Group.GroupTypes, directory.GroupTypeDynamic)
			g.Group.MembershipRule, g.Group.RuleProcessingState = "", ""
		}
		members, skipped := l.flatten(all, gid, map[string]bool{})
		if skipped > 0 {
			l.note("groups.json: group %q: %d member(s) that are neither exported users nor exported devices were left out", g.Group.DisplayName, skipped)
		}
		if _, err := l.dir.CreateGroupWithMembers(l.ctx, g.Group, members); err != nil {
			l.note("groups.json: group %q skipped: %v", g.Group.DisplayName, err)
			continue
		}
		l.groups[gid] = true
	}
	return nil
}

// flatten returns the user and device members of a group, through nested
// groups, and how many members were neither.
func (l *loader) flatten(all map[string]Group, gid string, seen map[string]bool) ([]string, int) {
	seen[gid] = true
	var out []string
	skipped := 0
	for _, m := range all[gid].Members {
		switch {
		case l.users[m.ID] || l.devices[m.ID].ID != "":
			out = append(out, m.ID)
		case strings.EqualFold(m.Type, "group"):
			if _, ok := all[m.ID]; !ok {
				skipped++
			} else if !seen[m.ID] {
				sub, n := l.flatten(all, m.ID, seen)
				out, skipped = append(out, sub...), skipped+n
			}
		default:
			skipped++
		}
	}
	sort.Strings(out)
	return uniq(out), skipped
}

// usable drops targets naming groups not in the export (no exported object
// can be in them) and, when forbid is set, that kind of target.
func (l *loader) usable(file, name string, ts []Target, forbid assign.Kind) []Target {
	var out []Target
	for _, t := range ts {
		switch {
		case t.Target.GroupID != "" && !l.groups[t.Target.GroupID]:
			l.note("%s: %s: assignment to group %s ignored: the group is not in groups.json", file, name, t.Target.GroupID)
		case forbid != "" && t.Target.Kind == forbid:
			l.note("%s: %s: %s assignment ignored: it does not apply here", file, name, t.Target.Kind)
		default:
			out = append(out, t)
		}
	}
	return out
}

func (l *loader) notes(file, name string, ns []string) {
	for _, n := range ns {
		l.note("%s: %s: %s", file, name, n)
	}
}

// loadProfiles creates deployment profiles oldest first, so the engine's
// precedence (the oldest-created profile wins) is the tenant's.
func (l *loader) loadProfiles(e *Export) error {
	var ps []Profile
	for _, o := range e.Profiles {
		p, err := mapProfile(o)
		if err != nil {
			l.note("%s: profile %s skipped: %v", FileProfiles, label(o), err)
			continue
		}
		ps = append(ps, p)
	}
	sortProfiles(ps)
	for _, p := range ps {
		name := fmt.Sprintf("profile %q", p.Profile.DisplayName)
		l.notes(FileProfiles, name, p.Notes)
		created, err := l.ap.CreateProfile(l.ctx, p.Profile)
		if err != nil {
			l.note("%s: %s skipped: %v", FileProfiles, name, err)
			continue
		}
		l.mapped(p.ExportID, created.ID)
		for _, t := range l.usable(FileProfiles, name, p.Targets, assign.AllLicensedUsers) {
			_, err := l.ap.AddAssignment(l.ctx, autopilot.ProfileAssignment{ProfileID: created.ID, TargetKind: string(t.Target.Kind),
				GroupID: t.Target.GroupID, FilterID: t.Target.FilterID, FilterType: t.Target.FilterType})
			if err != nil {
				l.note("%s: %s: assignment ignored: %v", FileProfiles, name, err)
			}
		}
	}
	return nil
}

// loadApps creates the apps through the apps service. An app the service
// refuses is still planned, from the export as it is (same conversion to
// the targeting engine), and noted.
func (l *loader) loadApps(e *Export) error {
	var as []App
	for _, o := range e.Apps {
		a, err := mapApp(o)
		if err != nil {
			l.note("%s: app %s skipped: %v", FileApps, label(o), err)
			continue
		}
		as = append(as, a)
	}
	var created []App
	for _, a := range as {
		name := fmt.Sprintf("app %q", a.App.DisplayName)
		l.notes(FileApps, name, a.Notes)
		var assignments []apps.AppAssignment
		for _, t := range l.usable(FileApps, name, a.Targets, "") {
			switch apps.Intent(t.Intent) {
			case apps.IntentRequired, apps.IntentAvailable, apps.IntentUninstall:
				assignments = append(assignments, apps.AppAssignment{Intent: apps.Intent(t.Intent), Target: t.Target})
			default:
				l.note("%s: %s: %q assignment ignored: it does not apply to Autopilot devices", FileApps, name, t.Intent)
			}
		}
		if a.App.Kind == apps.Unsupported {
			a.App.DisplayName = fmt.Sprintf("%s (%s)", a.App.DisplayName, a.App.ODataType)
		}
		err := l.createApp(&a, assignments)
		if err != nil {
			l.note("%s: %s was refused by whiteglove's validation (%v); it is planned as exported", FileApps, name, err)
			x := a.App
			x.ID, x.Assignments, x.Size = a.ExportID, assignments, a.Size
			l.extraApps = append(l.extraApps, x)
			continue
		}
		created = append(created, a)
	}
	for _, a := range created {
		if len(a.Dependencies) == 0 {
			continue
		}
		deps := make([]string, len(a.Dependencies))
		for i, d := range a.Dependencies {
			deps[i] = l.newID(d)
		}
		if _, err := l.cat.SetDependencies(l.ctx, l.newID(a.ExportID), deps); err != nil {
			l.note("%s: app %q: dependencies ignored: %v", FileApps, a.App.DisplayName, err)
		}
	}
	for i := range l.extraApps {
		for j, d := range l.extraApps[i].Dependencies {
			l.extraApps[i].Dependencies[j] = l.newID(d)
		}
	}
	l.extra = append(l.extra, planner.Items(apps.Catalog{Apps: l.extraApps})...)
	return nil
}

func (l *loader) createApp(a *App, assignments []apps.AppAssignment) error {
	c, err := l.cat.CreateApp(l.ctx, a.App)
	if err != nil {
		return err
	}
	undo := func(err error) error {
		_ = l.cat.DeleteApp(l.ctx, c.ID)
		return err
	}
	if a.Size > 0 {
		// The export has no package: a stand-in content record carries the
		// size the duration estimate uses.
		sum := sha256.Sum256([]byte("export:" + a.ExportID))
		if _, err := l.cat.SetAppContent(l.ctx, c.ID, hex.EncodeToString(sum[:]), a.Size); err != nil {
			return undo(err)
		}
	}
	if len(assignments) > 0 {
		if _, err := l.cat.AssignApp(l.ctx, c.ID, assignments); err != nil {
			return undo(err)
		}
	}
	l.mapped(a.ExportID, c.ID)
	return nil
}

func policyAssignments(ts []Target) []apps.Assignment {
	out := make([]apps.Assignment, len(ts))
	for i, t := range ts {
		out[i] = apps.Assignment{Target: t.Target}
	}
	return out
}

func targetingAssignments(ts []Target) []targeting.Assignment {
	out := make([]targeting.Assignment, len(ts))
	for i, t := range ts {
		out[i] = targeting.Assignment{Intent: targeting.IntentRequired, Target: t.Target}
	}
	return out
}

// loadPolicies creates the policies whiteglove models through the apps
// service; other Graph types are planned as unsupported items (listed in
// a plan's "unsupported" entries, never applied).
func (l *loader) loadPolicies(e *Export) error {
	var extra []apps.Policy
	for _, o := range e.Policies {
		p, err := mapPolicy(o)
		if err != nil {
			l.note("%s: policy %s skipped: %v", FilePolicies, label(o), err)
			continue
		}
		name := fmt.Sprintf("policy %q", p.Policy.DisplayName)
		l.notes(FilePolicies, name, p.Notes)
		ts := l.usable(FilePolicies, name, p.Targets, "")
		if !p.Known {
			l.extra = append(l.extra, targeting.Item{ID: p.ExportID, Name: fmt.Sprintf("%s (%s)", p.Policy.DisplayName, p.ODataType),
				Kind: targeting.KindPolicy, Context: targeting.ContextSystem, Assignments: targetingAssignments(ts), Supported: false})
			continue
		}
		c, err := l.cat.CreatePolicy(l.ctx, p.Policy)
		if err == nil && len(ts) > 0 {
			if _, aerr := l.cat.AssignPolicy(l.ctx, c.ID, policyAssignments(ts)); aerr != nil {
				_ = l.cat.DeletePolicy(l.ctx, c.ID)
				err = aerr
			}
		}
		if err != nil {
			l.note("%s: %s was refused by whiteglove's validation (%v); it is planned as exported", FilePolicies, name, err)
			x := p.Policy
			x.ID, x.Assignments = p.ExportID, policyAssignments(ts)
			extra = append(extra, x)
			continue
		}
		l.mapped(p.ExportID, c.ID)
	}
	l.extra = append(l.extra, planner.Items(apps.Catalog{Policies: extra})...)
	return nil
}

// placeholderScript stands in for scriptContent, which list calls omit.
var placeholderScript = []byte("# scriptContent is not part of the export\r\n")

func (l *loader) loadScripts(e *Export) error {
	var extra []apps.Script
	for _, o := range e.Scripts {
		s, err := mapScript(o)
		if err != nil {
			l.note("%s: script %s skipped: %v", FileScripts, label(o), err)
			continue
		}
		name := fmt.Sprintf("script %q", s.Script.DisplayName)
		l.notes(FileScripts, name, s.Notes)
		ts := l.usable(FileScripts, name, s.Targets, "")
		sc := s.Script
		if len(sc.Content) == 0 {
			sc.Content = placeholderScript
		}
		if !strings.HasSuffix(strings.ToLower(sc.FileName), ".ps1") {
			sc.FileName = "script.ps1"
		}
		c, err := l.cat.CreateScript(l.ctx, sc)
		if err == nil && len(ts) > 0 {
			if _, aerr := l.cat.AssignScript(l.ctx, c.ID, policyAssignments(ts)); aerr != nil {
				_ = l.cat.DeleteScript(l.ctx, c.ID)
				err = aerr
			}
		}
		if err != nil {
			l.note("%s: %s was refused by whiteglove's validation (%v); it is planned as exported", FileScripts, name, err)
			x := s.Script
			x.ID, x.Assignments = s.ExportID, policyAssignments(ts)
			extra = append(extra, x)
			continue
		}
		l.mapped(s.ExportID, c.ID)
	}
	l.extra = append(l.extra, planner.Items(apps.Catalog{Scripts: extra})...)
	return nil
}

// loadESP updates the default ESP profile from the export's and creates
// the others in priority order, so they get the tenant's priorities.
func (l *loader) loadESP(e *Export, defaultID string) error {
	var cs []ESPConfig
	for _, o := range e.Enrollment {
		c, ok, err := mapEnrollment(o)
		if !ok {
			continue
		}
		if err != nil {
			l.note("%s: ESP profile %s skipped: %v", FileEnrollment, label(o), err)
			continue
		}
		cs = append(cs, c)
	}
	sortESP(cs)
	for _, c := range cs {
		name := fmt.Sprintf("ESP profile %q", c.Profile.DisplayName)
		l.notes(FileEnrollment, name, c.Notes)
		p := c.Profile
		for i, a := range p.SelectedMobileAppIDs {
			p.SelectedMobileAppIDs[i] = l.newID(a)
		}
		if c.Default {
			if _, err := l.es.Update(l.ctx, defaultID, func(d *esp.Profile) error {
				d.Settings = p.Settings
				return nil
			}); err != nil {
				l.note("%s: %s: settings ignored: %v", FileEnrollment, name, err)
				continue
			}
			l.mapped(c.ExportID, defaultID)
			continue
		}
		created, err := l.es.Create(l.ctx, p)
		if err != nil {
			l.note("%s: %s skipped: %v", FileEnrollment, name, err)
			continue
		}
		l.mapped(c.ExportID, created.ID)
		ts := l.usable(FileEnrollment, name, c.Targets, "")
		as := make([]esp.Assignment, len(ts))
		for i, t := range ts {
			as[i] = esp.Assignment{Target: t.Target}
		}
		if len(as) > 0 {
			if _, err := l.es.Assign(l.ctx, created.ID, as); err != nil {
				l.note("%s: %s: assignments ignored: %v", FileEnrollment, name, err)
			}
		}
	}
	return nil
}

// translate puts the export's ids back into a report.
func (t *Tenant) translate(r *planner.Report) {
	tr := func(s string) string {
		if e, ok := t.toExport[strings.ToLower(s)]; ok {
			return e
		}
		return s
	}
	entries := func(es []targeting.Entry) {
		for i := range es {
			es[i].ID = tr(es[i].ID)
		}
	}
	for i := range r.Phases {
		entries(r.Phases[i].Items)
	}
	entries(r.Uninstalled)
	entries(r.Unsupported)
	for i := range r.Blocking {
		r.Blocking[i] = tr(r.Blocking[i])
	}
	if r.Device.Profile != nil {
		r.Device.Profile.ID = tr(r.Device.Profile.ID)
	}
	if r.ESPProfile != nil {
		r.ESPProfile.ID = tr(r.ESPProfile.ID)
		for i := range r.ESPProfile.BlockingAppIDs {
			r.ESPProfile.BlockingAppIDs[i] = tr(r.ESPProfile.BlockingAppIDs[i])
		}
	}
	for i := range r.Warnings {
		for n, e := range t.toExport {
			r.Warnings[i].Message = strings.ReplaceAll(r.Warnings[i].Message, n, e)
		}
	}
}

func slicesWithout(ss []string, drop string) []string {
	var out []string
	for _, s := range ss {
		if !strings.EqualFold(s, drop) {
			out = append(out, s)
		}
	}
	return out
}

func uniq(ss []string) []string {
	out := ss[:0]
	for i, s := range ss {
		if i == 0 || s != ss[i-1] {
			out = append(out, s)
		}
	}
	return out
}
