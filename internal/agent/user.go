package agent

import (
	"context"
	"errors"
)

// runUser is the user flow (issue 6, in progress).
func (d *Device) runUser(ctx context.Context) (Result, error) {
	return Result{Stage: d.st.Stage}, errors.New("the user flow is not built yet")
}
