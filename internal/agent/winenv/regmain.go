package winenv

import (
	"context"
	"fmt"
	"os"
)

// RunRegIfAsked serves `PROGRAM reg …` for installers when this process
// was started that way inside a device's installer (WHITEGLOVE_ROOT set),
// and exits; otherwise it returns. Programs that run devices in-process
// (tests, the simulator) call it first thing in main or TestMain, since
// the installers' "$WHITEGLOVE" is this very program.
func RunRegIfAsked() {
	root := os.Getenv("WHITEGLOVE_ROOT")
	if len(os.Args) < 2 || os.Args[1] != "reg" || root == "" {
		return
	}
	env, err := Open(root)
	if err == nil {
		user := ""
		if u := os.Getenv("USERNAME"); u != "" && u != "SYSTEM" {
			user = u
		}
		err = RegCommand(context.Background(), env, user, os.Args[2:], os.Stdout)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(0)
}
