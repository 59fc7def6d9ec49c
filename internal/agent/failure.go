package agent

import (
	"context"

	"github.com/whiteglove/whiteglove/internal/agent/screen"
)

// failureActions are the failure screen's buttons, as the ESP profile
// allows them, and its custom message. Reset is offered only where the
// flow can start over; Continue anyway only where it can go on.
func (d *Device) failureActions(reset, continueAnyway bool) ([]screen.Action, string) {
	esp := d.st.Device.ESP
	if esp == nil {
		acts := []screen.Action{screen.CollectLogs, screen.Retry}
		if reset {
			acts = append(acts, screen.Reset)
		}
		return acts, ""
	}
	var acts []screen.Action
	if esp.AllowCollectLogs {
		acts = append(acts, screen.CollectLogs)
	}
	if esp.AllowReset && reset {
		acts = append(acts, screen.Reset)
	}
	if esp.AllowRetry {
		acts = append(acts, screen.Retry)
	}
	if esp.AllowContinueAnyway && continueAnyway {
		acts = append(acts, screen.ContinueAnyway)
	}
	return acts, esp.CustomErrorMessage
}

// logsNotice collects logs and says where they went.
func (d *Device) logsNotice(ctx context.Context) string {
	path, err := d.CollectLogs(ctx)
	if err != nil {
		return "Collecting logs failed: " + err.Error()
	}
	return "Logs written to " + path
}
