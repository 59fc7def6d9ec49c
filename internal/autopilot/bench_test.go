package autopilot_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/whiteglove/whiteglove/internal/autopilot"
	"github.com/whiteglove/whiteglove/internal/autopilot/aptest"
	"github.com/whiteglove/whiteglove/internal/store"
	"github.com/whiteglove/whiteglove/internal/store/storetest"
)

// BenchmarkImportNow registers batches of 1,000 devices into a tenant where
// a dynamic [ZTDId] group feeds a profile; reports devices/s.
func BenchmarkImportNow(b *testing.B) {
	ctx := context.Background()
	f := newFixture(&testing.T{}, storetest.Open(b, store.SQLite))
	g := f.dynamicGroup("All", `(device.devicePhysicalIDs -any (_ -startsWith "[ZTDId]"))`)
	p := f.profile("P", true)
	f.assignGroup(p.ID, g)
	hashes := make([]string, 1000)
	b.ResetTimer()
	n := 0
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		reqs := make([]autopilot.Import, 1000)
		for j := range reqs {
			serial := fmt.Sprintf("B%d-%d", i, j)
			hashes[j] = aptest.Hash(serial)
			reqs[j] = autopilot.Import{SerialNumber: serial, HardwareHash: hashes[j]}
		}
		b.StartTimer()
		out, err := f.ap.ImportNow(ctx, "", reqs)
		if err != nil {
			b.Fatal(err)
		}
		for _, im := range out {
			if im.Status != autopilot.ImportComplete {
				b.Fatalf("import %s: %s %s", im.SerialNumber, im.ErrorName, im.Message)
			}
		}
		n += len(out)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "devices/s")
}
