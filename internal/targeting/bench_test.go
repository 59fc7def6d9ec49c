package targeting

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"testing"
	"time"

	"github.com/whiteglove/whiteglove/internal/assign"
)

// bigTenant is 5,000 apps and 10,000 policies over 10,000 groups.
func bigTenant() []Item {
	r := rand.New(rand.NewPCG(1, 2))
	var items []Item
	for i := 0; i < 15000; i++ {
		g := fmt.Sprintf("g%d", r.IntN(10000))
		t := assign.Target{Kind: assign.Group, GroupID: g}
		if i < 5000 {
			ctx := ContextSystem
			if i%4 == 0 {
				ctx = ContextUser
			}
			items = append(items, app(fmt.Sprintf("app%d", i), AppWin32, ctx, t))
		} else {
			items = append(items, policy(fmt.Sprintf("pol%d", i), i%3 == 0, t))
		}
		if i%50 == 0 {
			items[i].Assignments = append(items[i].Assignments, Assignment{Intent: IntentRequired, Target: assign.Target{Kind: assign.ExclusionGroup, GroupID: fmt.Sprintf("g%d", r.IntN(10000))}})
		}
	}
	return items
}

func BenchmarkPlan(b *testing.B) {
	items := bigTenant()
	cat := NewCatalog(items)
	in := goodInput()
	in.Catalog = cat
	r := rand.New(rand.NewPCG(3, 4))
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		in.Device = device()
		for j := 0; j < 30; j++ {
			in.Device.Groups[fmt.Sprintf("g%d", r.IntN(10000))] = true
		}
		in.User = user(fmt.Sprintf("g%d", r.IntN(10000)), fmt.Sprintf("g%d", r.IntN(10000)))
		start := time.Now()
		Plan(in)
		lat = append(lat, time.Since(start))
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
}
