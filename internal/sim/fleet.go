package sim

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/whiteglove/whiteglove/internal/agent/hwinfo"
	"github.com/whiteglove/whiteglove/internal/autopilot/hwhash"
	"github.com/whiteglove/whiteglove/internal/tpm"
)

// DefaultPrefix starts the serial numbers of a fleet when none is given.
const DefaultPrefix = "SIM"

// Machine is one simulated device: its serial number, its state directory
// (which keeps its software TPM, hence its identity) and the hardware hash
// it reports, bound to that TPM's endorsement key.
type Machine struct {
	Serial string
	Dir    string
	// Hash is the hardware hash as registration takes it (base64).
	Hash string
}

// Serial is the serial number of the i-th device (from 0) of a fleet:
// PREFIX-0001, PREFIX-0002… An empty prefix is DefaultPrefix.
func Serial(prefix string, i int) string {
	if prefix == "" {
		prefix = DefaultPrefix
	}
	return fmt.Sprintf("%s-%04d", prefix, i+1)
}

// Fleet returns the n machines of a fleet kept under dir, one state
// directory per serial number. A machine's software TPM is created on first
// use (an RSA-2048 endorsement key certified by the simulation
// manufacturer CA) and reused afterwards, so the same serial keeps the same
// hash: a fleet's hashes can be imported before it runs. The TPMs are made
// in parallel, as many at once as there are CPUs.
func Fleet(ctx context.Context, dir, prefix string, n int) ([]Machine, error) {
	if dir == "" {
		return nil, fmt.Errorf("a state directory for the fleet is required")
	}
	if n < 0 {
		return nil, fmt.Errorf("a fleet cannot have %d devices", n)
	}
	out := make([]Machine, n)
	errs := make([]error, n)
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i := range out {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			out[i], errs[i] = machine(ctx, dir, Serial(prefix, i))
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("preparing device %s: %w", Serial(prefix, i), err)
		}
	}
	return out, nil
}

// machine opens (creating) one device's TPM and computes its hash.
func machine(ctx context.Context, dir, serial string) (Machine, error) {
	m := Machine{Serial: serial, Dir: filepath.Join(dir, serial)}
	t, err := tpm.OpenSoftware(m.Dir, tpm.Simulation())
	if err != nil {
		return Machine{}, err
	}
	defer t.Close()
	ek, err := t.EK(ctx)
	if err != nil {
		return Machine{}, fmt.Errorf("reading the endorsement key: %w", err)
	}
	m.Hash = hwhash.EncodeString(hwinfo.Synthetic(serial, tpm.EKModulus(ek)))
	return m, nil
}

// hashOf is the synthetic machine's hash for a TPM's EK modulus.
func hashOf(serial string) func(ctx context.Context, ekModulus []byte) (*hwhash.Hash, error) {
	return func(ctx context.Context, ekModulus []byte) (*hwhash.Hash, error) {
		return hwinfo.Synthetic(serial, ekModulus), nil
	}
}

// Hashes returns the Get-WindowsAutopilotInfo rows of a fleet's n devices
// (see Fleet), ready for WriteCSV and `whiteglove import`.
func Hashes(ctx context.Context, dir, prefix string, n int) ([]hwinfo.CSVRow, error) {
	ms, err := Fleet(ctx, dir, prefix, n)
	if err != nil {
		return nil, err
	}
	rows := make([]hwinfo.CSVRow, len(ms))
	for i, m := range ms {
		h, err := hwhash.Decode(m.Hash)
		if err != nil {
			return nil, fmt.Errorf("device %s: %w", m.Serial, err)
		}
		if rows[i], err = hwinfo.Row(h, "", ""); err != nil {
			return nil, fmt.Errorf("device %s: %w", m.Serial, err)
		}
	}
	return rows, nil
}

// WriteCSV writes rows as a Get-WindowsAutopilotInfo CSV file (header
// first, CRLF line endings). Every row must have the same columns.
func WriteCSV(w io.Writer, rows []hwinfo.CSVRow) error {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	var cols []string
	for i, r := range rows {
		if i == 0 {
			cols = r.Columns()
			if err := cw.Write(cols); err != nil {
				return err
			}
		}
		if len(r.Columns()) != len(cols) {
			return fmt.Errorf("row %d (%s) has other columns than the first", i+1, r.Serial)
		}
		vals := []string{r.Serial, r.ProductID, r.Hash, r.GroupTag, r.AssignedUser}[:len(cols)]
		if err := cw.Write(vals); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
