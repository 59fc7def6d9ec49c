// Package aptest makes valid hardware hashes for tests and benchmarks.
package aptest

import (
	"crypto/sha256"
	"fmt"

	"github.com/whiteglove/whiteglove/internal/autopilot/hwhash"
)

// Hash returns a valid base64 hardware hash for a device with this serial
// number, made by whiteglove's own encoder (the same one the device client
// uses). The same serial always gives the same device identity.
func Hash(serial string) string {
	sum := sha256.Sum256([]byte(serial))
	uuid := fmt.Sprintf("%x-%x-%x-%x-%x", sum[0:4], sum[4:6], sum[6:8], sum[8:10], sum[10:16])
	h := &hwhash.Hash{
		SerialNumber: serial, Manufacturer: "Contoso", Model: "Book 14", SMBIOSUUID: uuid,
		MACs: []string{fmt.Sprintf("02:00:%02x:%02x:%02x:%02x", sum[0], sum[1], sum[2], sum[3])},
	}
	return hwhash.EncodeString(h)
}
