package odata

import (
	"math"
	"reflect"
	"testing"
	"time"
)

type stringerEnum int

func (stringerEnum) String() string { return "complete" }

func TestNormalize(t *testing.T) {
	var nilStr *string
	tm := mustTime("2024-01-01T00:00:00Z")
	tests := []struct{ in, want any }{
		{int(1), int64(1)}, {int32(2), int64(2)}, {int16(3), int64(3)}, {int8(4), int64(4)},
		{uint(5), int64(5)}, {uint64(math.MaxUint64), float64(math.MaxUint64)}, {uint32(6), int64(6)},
		{uint16(7), int64(7)}, {uint8(8), int64(8)}, {float32(0.5), 0.5},
		{nilStr, nil}, {&tm, tm}, {[]string(nil), nil}, {[]any{"a", "b"}, []string{"a", "b"}},
		{[]any{"a", 1}, []any{"a", 1}}, {[]any(nil), nil}, {stringerEnum(1), "complete"},
		{struct{}{}, struct{}{}},
	}
	for _, tt := range tests {
		if got := normalize(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("normalize(%#v) = %#v, want %#v", tt.in, got, tt.want)
		}
	}
}

func TestCompareSortValues(t *testing.T) {
	t1, t2 := mustTime("2024-01-01T00:00:00Z"), mustTime("2024-01-02T00:00:00Z")
	tests := []struct {
		a, b any
		want int
	}{
		{nil, "a", -1}, {"a", nil, 1}, {false, true, -1}, {true, true, 0}, {true, false, 1},
		{int64(1), 2.5, -1}, {math.NaN(), int64(1), -1}, {int64(1), math.NaN(), 1},
		{t2, t1, 1}, {"B", "a", 1}, {"a", "A", 0}, {int64(9), t1, -1}, {struct{}{}, struct{}{}, 0},
		{time.Time{}, "x", -1},
	}
	for _, tt := range tests {
		if got := compareSortValues(tt.a, tt.b); got != tt.want {
			t.Errorf("compareSortValues(%v, %v) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestFoldHelpers(t *testing.T) {
	if !hasSuffixFold("GERÄT", "rät") || hasSuffixFold("a", "ab") || !containsFold("ÄRGER", "rge") || foldCompare("ä", "Ä") != 0 {
		t.Error("fold helpers mishandle non-ASCII")
	}
	if Kind(0).String() != "Kind(0)" || kindNull.String() != "Null" {
		t.Error("Kind.String")
	}
}
