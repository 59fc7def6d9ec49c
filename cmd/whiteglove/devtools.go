package main

import (
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/whiteglove/whiteglove/internal/agent/diag"
	"github.com/whiteglove/whiteglove/internal/agent/hwinfo"
	"github.com/whiteglove/whiteglove/internal/agent/winenv"
	"github.com/whiteglove/whiteglove/internal/config"
	"github.com/whiteglove/whiteglove/internal/tpm"
)

// hash writes this device's Get-WindowsAutopilotInfo-style CSV row.
func hash(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("hash", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var df deviceFlags
	var appendTo, groupTag, user string
	df.register(fs)
	fs.StringVar(&appendTo, "append", "", "append the row to this CSV file (the header is written when the file is new)")
	fs.StringVar(&groupTag, "group-tag", "", "the Group Tag column")
	fs.StringVar(&user, "assigned-user", "", "the Assigned User column (a UPN)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := config.Apply(fs, "", os.Getenv); err != nil {
		return err
	}
	if err := df.check(); err != nil {
		return err
	}
	ctx := context.Background()
	t, err := tpm.Open(ctx, df.tpmKind, df.tpmPath, df.state)
	if err != nil {
		return fmt.Errorf("opening the TPM: %w", err)
	}
	defer t.Close()
	ek, err := t.EK(ctx)
	if err != nil {
		return fmt.Errorf("reading the TPM's endorsement key: %w", err)
	}
	h, err := df.hashFunc(t)(ctx, tpm.EKModulus(ek))
	if err != nil {
		return err
	}
	row, err := hwinfo.Row(h, groupTag, user)
	if err != nil {
		return err
	}
	if appendTo != "" {
		if err := hwinfo.AppendCSV(appendTo, row); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "appended %s (serial %s) to %s\n", "the hardware hash", row.Serial, appendTo)
		return nil
	}
	w := csv.NewWriter(stdout)
	w.Write(row.Columns())
	w.Write(rowFields(row))
	w.Flush()
	return w.Error()
}

func rowFields(r hwinfo.CSVRow) []string {
	out := []string{r.Serial, r.ProductID, r.Hash}
	for _, c := range r.Columns()[3:] {
		switch c {
		case "Group Tag":
			out = append(out, r.GroupTag)
		case "Assigned User":
			out = append(out, r.AssignedUser)
		}
	}
	return out
}

// reg is reg.exe for installers on a device: it edits the device's
// emulated registry (WHITEGLOVE_ROOT says where the device keeps it).
func reg(args []string, stdout, stderr io.Writer) error {
	root := os.Getenv("WHITEGLOVE_ROOT")
	if root == "" {
		return errors.New("reg runs inside a device's installers: WHITEGLOVE_ROOT is not set")
	}
	env, err := winenv.Open(root)
	if err != nil {
		return err
	}
	user := ""
	if u := os.Getenv("USERNAME"); u != "" && u != "SYSTEM" {
		user = u
	}
	return winenv.RegCommand(context.Background(), env, user, args, stdout)
}

// diagnose prints the timeline of a diagnostics bundle, failures first.
func diagnose(args []string, stdout, stderr io.Writer) error {
	if len(args) != 1 || args[0] == "-h" || args[0] == "--help" {
		return errors.New("usage: whiteglove diagnose FILE.zip")
	}
	f, err := os.Open(filepath.Clean(args[0]))
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	rep, err := diag.Read(f, st.Size())
	if err != nil {
		return err
	}
	diag.Print(stdout, rep)
	return nil
}
