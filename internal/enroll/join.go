package enroll

import (
	"context"
	"fmt"
	"strconv"

	"github.com/whiteglove/whiteglove/internal/autopilot"
	"github.com/whiteglove/whiteglove/internal/directory"
)

// joined marks the device's Entra object as joined, as an Entra join does
// — trust type, name, operating system, enrollment profile — in the
// enrollment's own transaction, so dynamic groups that look at those
// follow in it too.
func (s *Service) joined(ctx context.Context, tx Tx, d autopilot.Device, md ManagedDevice, profileName string) error {
	if s.devices == nil || d.EntraObjectID == "" {
		return nil
	}
	dtx, ok := tx.(directory.Tx)
	if !ok {
		return fmt.Errorf("joining the Entra device: the enrollment transaction cannot update the directory")
	}
	_, err := s.devices.UpdateDeviceTx(ctx, dtx, d.EntraObjectID, func(dev *directory.Device) error {
		dev.TrustType, dev.DisplayName, dev.AccountEnabled = "AzureAd", md.DeviceName, true
		dev.OperatingSystem = "Windows"
		if md.OSBuild > 0 {
			dev.OperatingSystemVersion = "10.0." + strconv.Itoa(md.OSBuild) + ".0"
		}
		dev.EnrollmentProfileName = profileName
		return nil
	})
	if err != nil {
		return fmt.Errorf("joining the Entra device: %w", err)
	}
	return nil
}
