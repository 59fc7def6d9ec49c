package targeting

import (
	"fmt"
	"strings"

	"github.com/whiteglove/whiteglove/internal/assign"
)

// MaxBlockingApps is the most apps an ESP profile may block on.
const MaxBlockingApps = 100

// Duration model (seconds): per app a fixed overhead plus download time
// plus an install estimate; policies and scripts are quick.
const (
	appOverhead   = 20
	appInstall    = 45
	policySeconds = 3
	scriptSeconds = 15
)

// placed is an item with where it goes and why.
type placed struct {
	item   Item
	phase  string // "technician", "user"
	reason string
}

// Plan applies the pre-provisioning rules to in.
func Plan(in Input) Result {
	res := Result{Blocking: []string{}, Warnings: []Warning{}}
	var tech, user []placed
	items := in.Items
	var byID map[string]Item
	if in.Catalog != nil {
		byID = in.Catalog.byID
		if in.User != nil {
			items = in.Catalog.candidates(in.Device.Groups, in.User.Groups)
		} else {
			// The no-assigned-user warning looks at user-targeted apps too.
			items = in.Catalog.candidates(in.Device.Groups, in.UserGroups)
		}
	}
	if byID == nil {
		byID = make(map[string]Item, len(items))
		for _, it := range items {
			byID[it.ID] = it
		}
	}
	userSystemApps := false
	for _, it := range items {
		devReq, devWhy := covered(it, IntentRequired, in.Device, in.GroupNames)
		devUn, _ := covered(it, IntentUninstall, in.Device, in.GroupNames)
		var userReq, userUn bool
		var userWhy string
		if in.User != nil {
			userReq, userWhy = covered(it, IntentRequired, *in.User, in.GroupNames)
			userUn, _ = covered(it, IntentUninstall, *in.User, in.GroupNames)
		} else if it.Kind == KindApp && it.Context == ContextSystem && targetsUsers(it, in.UserGroups) {
			userSystemApps = true
		}
		switch {
		case devUn || userUn:
			if devReq || userReq {
				res.Uninstalled = append(res.Uninstalled, entry(it, "uninstall intent beats required", false))
			}
			continue
		case !devReq && !userReq:
			continue
		case !it.Supported:
			res.Unsupported = append(res.Unsupported, entry(it, "whiteglove cannot install this item type; it is listed, not installed", false))
			continue
		}
		switch {
		case devReq && it.Context != ContextUser:
			tech = append(tech, placed{it, "technician", "device-targeted " + devWhy})
		case devReq && it.Kind != KindApp:
			user = append(user, placed{it, "user", "device-targeted " + devWhy + ", but applies to the signed-in user: waits for the user phase"})
		case devReq:
			user = append(user, placed{it, "user", "device-targeted " + devWhy + ", but installs in user context: waits for the user phase"})
			res.Warnings = append(res.Warnings, Warning{Code: "user-context-app",
				Message: fmt.Sprintf("%s installs in user context, so it is not installed in the technician phase", it.Name),
				Fix:     "set installExperience.runAsAccount to system (or useDeviceContext for MSI) if it should be pre-provisioned"})
		case it.Kind == KindApp && it.Context == ContextSystem:
			tech = append(tech, placed{it, "technician", "user-targeted to the assigned user " + userWhy + ", system context"})
		default:
			user = append(user, placed{it, "user", "user-targeted " + userWhy})
		}
	}
	tech = withDependencies(tech, byID, "technician")
	user = withDependencies(user, byID, "user")
	user = dropAlready(user, tech)
	if in.User == nil && userSystemApps {
		res.Warnings = append(res.Warnings, Warning{Code: "no-assigned-user",
			Message: "no user is assigned to the device, so system-context apps targeted to users are not installed in the technician phase",
			Fix:     "assign the user to the Autopilot device before provisioning (assignUserToDevice), or target those apps to a device group"})
	}
	selected := map[string]bool{}
	for _, id := range in.ESP.SelectedMobileAppIDs {
		selected[strings.ToLower(id)] = true
	}
	techPhase := build("technician", tech, selected, in)
	userPhase := build("user", user, selected, in)
	res.Phases = []Phase{techPhase, userPhase}
	for _, e := range techPhase.Items {
		if e.Blocking {
			res.Blocking = append(res.Blocking, e.ID)
		}
	}
	if in.SkipWarnings {
		res.Warnings = res.Warnings[:0]
		return res
	}
	res.Warnings = append(res.Warnings, warnings(in, tech, techPhase, selected)...)
	return res
}

// covered reports whether item's assignments of intent include s (and no
// exclusion removes it), with the reason.
func covered(it Item, intent string, s assign.Subject, names map[string]string) (bool, string) {
	var hit *assign.Target
	for i := range it.Assignments {
		a := &it.Assignments[i]
		if a.Target.Kind == assign.ExclusionGroup {
			if a.Target.Excludes(s) {
				return false, "" // exclusions win
			}
			continue
		}
		if hit == nil && (a.Intent == intent || (intent == IntentRequired && a.Intent == "")) && a.Target.Includes(s) {
			hit = &a.Target
		}
	}
	if hit == nil {
		return false, ""
	}
	switch hit.Kind {
	case assign.AllDevices:
		return true, "via all devices"
	case assign.AllLicensedUsers:
		return true, "via all licensed users"
	}
	return true, "via group " + groupName(hit.GroupID, names)
}

func groupName(id string, names map[string]string) string {
	if n := names[strings.ToLower(id)]; n != "" {
		return fmt.Sprintf("%q", n)
	}
	return id
}

// targetsUsers reports whether a required assignment could reach a user.
func targetsUsers(it Item, userGroups map[string]bool) bool {
	for _, a := range it.Assignments {
		if a.Intent != IntentRequired && a.Intent != "" {
			continue
		}
		if a.Target.Kind == assign.AllLicensedUsers || (a.Target.Kind == assign.Group && userGroups[strings.ToLower(a.Target.GroupID)]) {
			return true
		}
	}
	return false
}

func entry(it Item, reason string, blocking bool) Entry {
	return Entry{ID: it.ID, Name: it.Name, Kind: it.Kind, AppType: it.AppType, Context: it.Context, Tracked: it.Tracked, Blocking: blocking, Reason: reason}
}
