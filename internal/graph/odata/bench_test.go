package odata

import (
	"strconv"
	"testing"
)

func BenchmarkFilterMatch(b *testing.B) {
	f, err := ParseFilter("startswith(displayName,'dev') and accountEnabled eq true and "+
		"(serialNumber in ('SN-1','SN-500','SN-999') or physicalIds/any(p: startswith(p,'[ZTDID]')))", testSchema)
	if err != nil {
		b.Fatal(err)
	}
	items := make([]Entity, 1000)
	for i := range items {
		items[i] = MapEntity{
			"displayName":    "Device " + strconv.Itoa(i),
			"accountEnabled": i%2 == 0,
			"serialNumber":   "SN-" + strconv.Itoa(i),
			"physicalIds":    []string{"[OrderId]o" + strconv.Itoa(i), "[ZTDID]z" + strconv.Itoa(i)},
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for i := 0; i < b.N; i++ {
		if f.Match(items[i%len(items)]) {
			n++
		}
	}
	_ = n
}

func BenchmarkParseFilter(b *testing.B) {
	const src = "startswith(displayName,'dev') and accountEnabled eq true and physicalIds/any(p: startswith(p,'[ZTDID]'))"
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := ParseFilter(src, testSchema); err != nil {
			b.Fatal(err)
		}
	}
}
