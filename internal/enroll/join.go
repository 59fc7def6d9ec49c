package enroll

import (
	"context"
	"strconv"

	"github.com/whiteglove/whiteglove/internal/autopilot"
	"github.com/whiteglove/whiteglove/internal/directory"
)

// joined marks the device's Entra object as joined, as an Entra join does:
// trust type, name, operating system and the enrollment profile. Dynamic
// groups that look at those follow in the same transaction.
func (s *Service) joined(ctx context.Context, d autopilot.Device, md ManagedDevice, profileName string) {
	if s.devices == nil || d.EntraObjectID == "" {
		return
	}
	_, err := s.devices.UpdateDevice(ctx, d.EntraObjectID, func(dev *directory.Device) error {
		dev.TrustType, dev.DisplayName, dev.AccountEnabled = "AzureAd", md.DeviceName, true
		dev.OperatingSystem = "Windows"
		if md.OSBuild > 0 {
			dev.OperatingSystemVersion = "10.0." + strconv.Itoa(md.OSBuild) + ".0"
		}
		dev.EnrollmentProfileName = profileName
		return nil
	})
	if err != nil {
		s.log.Warn("updating the Entra device object after join", "ztdId", d.ID, "err", err)
	}
}
