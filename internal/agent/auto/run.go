package auto

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/whiteglove/whiteglove/internal/agent"
	"github.com/whiteglove/whiteglove/internal/agent/screen"
)

// Run runs one device headless in this process until it seals
// (technician) or reaches the desktop (user), starting it again each time
// it restarts. cfg.Views and cfg.Inputs are set here; cfg.TPM stays open
// across restarts.
func Run(ctx context.Context, cfg agent.Config, mode string, creds Credentials, out io.Writer) (agent.Result, error) {
	var total agent.Result
	for boot := 1; ; boot++ {
		if boot > 20 {
			return total, errors.New("the device restarted 20 times without finishing")
		}
		res, err := runOnce(ctx, cfg, mode, creds, out)
		total.Stage = res.Stage
		total.InstallTime += res.InstallTime
		total.Elapsed = res.Elapsed
		if errors.Is(err, agent.ErrReboot) {
			total.Rebooted = true
			if out != nil {
				fmt.Fprintf(out, "restarting (boot %d)\n", boot+1)
			}
			continue
		}
		return total, err
	}
}

func runOnce(ctx context.Context, cfg agent.Config, mode string, creds Credentials, out io.Writer) (agent.Result, error) {
	views := make(chan screen.View, 1)
	inputs := make(chan screen.Input, 4)
	cfg.Views, cfg.Inputs = views, inputs
	d, err := agent.Open(cfg)
	if err != nil {
		return agent.Result{}, err
	}
	defer d.Close()
	rctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	go Drive(rctx, cancel, mode, creds, views, inputs, out)
	res, err := d.Run(rctx)
	if cause := context.Cause(rctx); cause != nil && !errors.Is(cause, context.Canceled) && (err == nil || errors.Is(err, context.Canceled)) {
		return res, cause
	}
	return res, err
}
