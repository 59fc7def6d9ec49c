// Package auto answers the device client's screens the way a script
// would — pre-provision and reseal (technician), or sign in and reach the
// desktop (user) — for headless runs, the demo, the simulator and tests.
// A screen it cannot get past ends the run with its reason.
package auto

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/whiteglove/whiteglove/internal/agent/screen"
)

// Modes.
const (
	Technician = "technician"
	User       = "user"
)

// Credentials are what the user flow types.
type Credentials struct {
	UPN, Password string
	Network       string // "wired" (default) or "wifi"
}

// Drive reads views until ctx ends, sending the inputs a script would.
// It prints each new screen to out (nil: silent) and calls cancel with the
// reason when the run cannot go on.
func Drive(ctx context.Context, cancel context.CancelCauseFunc, mode string, au Credentials, views <-chan screen.View, inputs chan<- screen.Input, out io.Writer) {
	if out == nil {
		out = io.Discard
	}
	send := func(a screen.Action, vals map[string]string) {
		select {
		case inputs <- screen.Input{Action: a, Values: vals}:
		case <-ctx.Done():
		}
	}
	var last screen.Kind
	collected, signedIn := false, 0
	for {
		var v screen.View
		select {
		case <-ctx.Done():
			return
		case v = <-views:
		}
		if v.Kind != last {
			fmt.Fprintln(out, Describe(v))
			last = v.Kind
		}
		switch v.Kind {
		case screen.Welcome:
			if mode == Technician {
				send(screen.Preprovision, nil)
			} else {
				send(screen.Next, map[string]string{"language": "en-US"})
			}
		case screen.Network:
			send(screen.Next, map[string]string{"network": network(au)})
		case screen.Configuration:
			send(screen.Provision, nil)
		case screen.Blocked:
			cancel(fmt.Errorf("cannot continue: %s", ProblemText(v)))
			return
		case screen.Success:
			if v.Offers(screen.Reseal) {
				send(screen.Reseal, nil)
			} else if v.Offers(screen.Next) {
				send(screen.Next, nil)
			}
		case screen.Pending:
			if len(v.Pending) == 0 {
				send(screen.ConfirmReseal, nil)
			}
		case screen.SignIn:
			if v.Error != "" {
				cancel(fmt.Errorf("sign-in refused: %s", v.Error))
				return
			}
			signedIn++
			if signedIn > 1 {
				continue
			}
			send(screen.SubmitSignIn, map[string]string{"user": au.UPN, "password": au.Password})
		case screen.Failure:
			if v.Offers(screen.CollectLogs) && !collected {
				collected = true
				send(screen.CollectLogs, nil)
				continue
			}
			if v.Notice != "" {
				fmt.Fprintln(out, v.Notice)
			}
			cancel(fmt.Errorf("provisioning failed after %s: %s", v.Elapsed.Round(time.Second), ProblemText(v)))
			return
		}
	}
}

// ProblemText is the reason a screen gives.
func ProblemText(v screen.View) string {
	if v.Problem != nil {
		s := v.Problem.Code + ": " + v.Problem.Message
		if v.Problem.Action != "" {
			s += " " + v.Problem.Action
		}
		return s
	}
	if v.Error != "" {
		return v.Error
	}
	return v.Message
}

// Describe is one line about a screen.
func Describe(v screen.View) string {
	s := "== " + string(v.Kind)
	switch v.Kind {
	case screen.Configuration, screen.Success, screen.Failure, screen.Pending:
		u := v.Device.User
		if u == "" {
			u = "(none)"
		}
		s += fmt.Sprintf(": profile %q, organization %q, user %s, device %s (%s)", v.Device.Profile, v.Device.Organization, u, v.Device.ZTDID, v.Device.SerialNumber)
	}
	if v.Kind == screen.Success || v.Kind == screen.Failure {
		s += fmt.Sprintf(", elapsed %s", v.Elapsed.Round(time.Millisecond))
	}
	if v.Kind == screen.Failure || v.Kind == screen.Blocked {
		s += " — " + ProblemText(v)
		if v.Custom != "" {
			s += " — " + v.Custom
		}
	}
	if v.Kind == screen.Pending && len(v.Pending) > 0 {
		s += ": pending " + strings.Join(v.Pending, ", ")
	}
	return s
}

func network(c Credentials) string {
	if c.Network == "" {
		return "wired"
	}
	return c.Network
}
