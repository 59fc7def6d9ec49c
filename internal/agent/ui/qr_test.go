package ui

import (
	"strings"
	"testing"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/whiteglove/whiteglove/internal/agent/screen"
)

// parseHalfBlocks reads a half-block drawing back into modules; rows is the
// matrix height (the last line of an odd one has no bottom half).
func parseHalfBlocks(t *testing.T, lines []string, rows int) [][]bool {
	t.Helper()
	bm := make([][]bool, rows)
	for i, line := range lines {
		for _, r := range line {
			top, bottom := false, false
			switch r {
			case '█':
				top, bottom = true, true
			case '▀':
				top = true
			case '▄':
				bottom = true
			case ' ':
			default:
				t.Fatalf("line %d: unexpected %q", i, r)
			}
			bm[2*i] = append(bm[2*i], top)
			if 2*i+1 < rows {
				bm[2*i+1] = append(bm[2*i+1], bottom)
			} else if bottom {
				t.Fatalf("line %d: ink below the last row", i)
			}
		}
	}
	return bm
}

func TestQRHalfBlocksReproduceTheMatrix(t *testing.T) {
	payloads := []string{
		"x",
		`{"ZtdId":"2b7c6a3e-9d1f-4e1a-8f3b-5c2d7e9a1b4c"}`,
		`{"ZtdId":"2b7c6a3e-9d1f-4e1a-8f3b-5c2d7e9a1b4c","SerialNumber":"PF3XK2LM","Organization":"Contoso"}`,
		strings.Repeat("0123456789", 40),
	}
	for _, p := range payloads {
		q, err := qrcode.New(p, qrcode.Medium)
		if err != nil {
			t.Fatal(err)
		}
		want := q.Bitmap()
		lines, err := qrLines(p)
		if err != nil {
			t.Fatal(err)
		}
		if n := (len(want) + 1) / 2; len(lines) != n {
			t.Fatalf("%d lines for %d rows, want %d", len(lines), len(want), n)
		}
		got := parseHalfBlocks(t, lines, len(want))
		for y := range want {
			if len(got[y]) != len(want[y]) {
				t.Fatalf("payload %.20q row %d: %d modules, want %d", p, y, len(got[y]), len(want[y]))
			}
			for x := range want[y] {
				if got[y][x] != want[y][x] {
					t.Fatalf("payload %.20q: module (%d,%d) = %v, want %v", p, x, y, got[y][x], want[y][x])
				}
			}
		}
		// The quiet zone: four light modules around the symbol.
		for x := range want[0] {
			if want[0][x] || want[3][x] {
				t.Fatal("no quiet zone in the bitmap")
			}
		}
	}
}

func TestQRDrawnOnScreens(t *testing.T) {
	payload := `{"ZtdId":"2b7c6a3e-9d1f-4e1a-8f3b-5c2d7e9a1b4c"}`
	lines, err := qrLines(payload)
	if err != nil {
		t.Fatal(err)
	}
	for _, kind := range []screen.Kind{screen.Configuration, screen.Success, screen.Failure} {
		for _, width := range []int{120, 60} {
			h := newHarness(t, Options{})
			h.view(screen.View{Kind: kind, QR: payload, Device: screen.Device{ZTDID: "2b7c6a3e-9d1f-4e1a-8f3b-5c2d7e9a1b4c"}})
			h.send(sizeMsg(width))
			txt := h.text()
			for i, l := range lines {
				if !strings.Contains(txt, strings.TrimRight(l, " ")) {
					t.Fatalf("%s at %d columns: QR line %d missing:\n%s", kind, width, i, txt)
				}
			}
		}
		h := newHarness(t, Options{})
		h.view(screen.View{Kind: kind, QR: payload})
		h.send(sizeMsg(30))
		if txt := h.text(); !strings.Contains(txt, "Widen the window") || strings.Contains(txt, "█") {
			t.Fatalf("%s at 30 columns: want a note instead of a cut QR code:\n%s", kind, txt)
		}
	}
}
