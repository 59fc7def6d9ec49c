package agent

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/whiteglove/whiteglove/internal/agent/diag"
)

// Facts is what a diagnostics bundle says about the device.
type Facts struct {
	Collected time.Time `json:"collected"`
	TPM       any       `json:"tpm"`
	OS        any       `json:"os"`
	System    any       `json:"system"`
	Stage     string    `json:"stage"`
	ZTDID     string    `json:"ztdId"`
	Boots     int       `json:"boots"`
}

// CollectLogs writes a diagnostics zip under the state directory's logs
// folder and, when the device is enrolled, uploads it to the service.
func (d *Device) CollectLogs(ctx context.Context) (string, error) {
	now := d.cfg.Now()
	path := filepath.Join(d.dir, "logs", "whiteglove-diagnostics-"+now.Format("20060102-150405")+".zip")
	f := Facts{Collected: now, OS: d.cfg.OS, System: d.cfg.Facts, Stage: d.st.Stage, ZTDID: d.st.ZTDID, Boots: d.st.Boots}
	if d.cfg.TPM != nil {
		f.TPM = d.cfg.TPM.Info()
	}
	if err := diag.Write(d.dir, path, f); err != nil {
		return "", fmt.Errorf("writing the diagnostics bundle: %w", err)
	}
	if d.id.key != nil {
		b, err := os.ReadFile(path)
		if err != nil {
			return path, err
		}
		if err := d.api.UploadLogs(ctx, b); err != nil {
			return path, fmt.Errorf("written to %s, but uploading failed: %w", path, err)
		}
		return path + " (uploaded)", nil
	}
	return path, nil
}
