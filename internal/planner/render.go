package planner

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// Render writes a plan for people: the device, the ESP profile, each phase
// with its items and reasons, then the warnings with their fixes.
func Render(w io.Writer, r Report) error {
	var b strings.Builder
	d := r.Device
	fmt.Fprintf(&b, "Device %s (%s %s), ZTDId %s\n", d.SerialNumber, d.Manufacturer, d.Model, d.ZTDID)
	if d.PlannedUser != "" {
		fmt.Fprintf(&b, "User: %s\n", d.PlannedUser)
	} else {
		fmt.Fprintln(&b, "User: none assigned")
	}
	if d.Profile != nil {
		fmt.Fprintf(&b, "Deployment profile: %s (%s join, pre-provisioning %s)\n", d.Profile.DisplayName, d.Profile.JoinType, yesNo(d.Profile.PreprovisioningAllowed))
	} else {
		fmt.Fprintln(&b, "Deployment profile: none")
	}
	if e := r.ESPProfile; e != nil {
		fmt.Fprintf(&b, "ESP profile: %s (priority %d, timeout %d min) — %s\n", e.DisplayName, e.Priority, e.TimeoutMinutes, e.Reason)
	}
	tw := tabwriter.NewWriter(&b, 2, 4, 2, ' ', 0)
	for _, ph := range r.Phases {
		fmt.Fprintf(tw, "\n%s phase (predicted %s)\n", phaseTitle(ph.Phase), dur(ph.PredictedSeconds))
		if len(ph.Items) == 0 {
			fmt.Fprintln(tw, "  (nothing)")
		}
		for i, it := range ph.Items {
			flags := it.Context
			if it.Blocking {
				flags += ", blocking"
			} else if it.Tracked {
				flags += ", tracked"
			}
			fmt.Fprintf(tw, "  %d.\t%s\t%s\t%s\t%s\n", i+1, it.Name, it.Kind, flags, it.Reason)
		}
	}
	tw.Flush()
	for _, u := range r.Unsupported {
		fmt.Fprintf(&b, "\nNot installed (unsupported type): %s — %s\n", u.Name, u.Reason)
	}
	if len(r.Warnings) > 0 {
		fmt.Fprintln(&b, "\nWarnings:")
		for _, wn := range r.Warnings {
			fmt.Fprintf(&b, "  [%s] %s\n      fix: %s\n", wn.Code, wn.Message, wn.Fix)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func yesNo(b bool) string {
	if b {
		return "allowed"
	}
	return "NOT allowed"
}

func dur(s int) string {
	if s < 60 {
		return fmt.Sprintf("%d s", s)
	}
	return fmt.Sprintf("%d min %02d s", s/60, s%60)
}

func phaseTitle(p string) string {
	if p == "" {
		return p
	}
	return strings.ToUpper(p[:1]) + p[1:]
}
