package exportplan_test

import (
	"context"
	"fmt"
	"os"

	"github.com/whiteglove/whiteglove/internal/exportplan"
)

// The way `whiteglove plan --from-export` uses the package: notes go to
// standard error, the plan to standard output.
func ExampleLoad() {
	ctx := context.Background()
	t, err := exportplan.Load(ctx, "testdata/export")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer t.Close()
	for _, n := range t.Notes {
		fmt.Fprintln(os.Stderr, "note:", n)
	}
	rep, err := t.Plan(ctx, "SN-0002", "")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(rep.Device.Profile.DisplayName, len(rep.Phases[0].Items), rep.Warnings[0].Code)
	// Output: Sales - pre-provisioned 4 user-context-app
}
