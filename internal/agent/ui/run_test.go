package ui

import (
	"bytes"
	"context"
	"errors"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/whiteglove/whiteglove/internal/agent/screen"
)

// syncBuffer is a bytes.Buffer safe for the renderer's goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

const runTimeout = 10 * time.Second

// program runs Run on a pipe and a buffer, as a terminal would feed it.
type program struct {
	t      *testing.T
	views  chan screen.View
	inputs chan screen.Input
	keys   *io.PipeWriter
	out    *syncBuffer
	done   chan error
	cancel context.CancelFunc
}

func startProgram(t *testing.T) *program {
	t.Helper()
	pr, pw := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	p := &program{
		t: t, views: make(chan screen.View), inputs: make(chan screen.Input),
		keys: pw, out: &syncBuffer{}, done: make(chan error, 1), cancel: cancel,
	}
	go func() { p.done <- Run(ctx, p.views, p.inputs, Options{In: pr, Out: p.out}) }()
	t.Cleanup(func() {
		cancel()
		pw.Close()
		pr.Close()
	})
	return p
}

// show hands the UI a view.
func (p *program) show(v screen.View) {
	p.t.Helper()
	select {
	case p.views <- v:
	case <-time.After(runTimeout):
		p.t.Fatal("Run did not take the view")
	}
}

// typeUntil writes keys again and again until an input arrives: the first
// writes may reach the UI before the view does.
func (p *program) typeUntil(keys string) screen.Input {
	p.t.Helper()
	deadline := time.After(runTimeout)
	for {
		go p.keys.Write([]byte(keys)) //nolint:errcheck // the pipe closes at cleanup
		select {
		case in := <-p.inputs:
			return in
		case <-time.After(100 * time.Millisecond):
		case <-deadline:
			p.t.Fatalf("no input after typing %q; screen:\n%s", keys, p.out.String())
		}
	}
}

func (p *program) wait() error {
	p.t.Helper()
	select {
	case err := <-p.done:
		return err
	case <-time.After(runTimeout):
		p.t.Fatal("Run did not return")
		return nil
	}
}

func TestRunSendsWhatIsPressed(t *testing.T) {
	p := startProgram(t)
	p.show(screen.View{Kind: screen.Configuration, Device: device, Actions: []screen.Action{screen.Refresh, screen.Provision}})
	if in := p.typeUntil("p"); in.Action != screen.Provision {
		t.Fatalf("got %v, want provision", in.Action)
	}
	close(p.views)
	if err := p.wait(); err != nil {
		t.Fatalf("Run after views closed: %v", err)
	}
	if out := p.out.String(); !bytes.Contains([]byte(out), []byte("Windows Autopilot Configuration")) {
		t.Fatalf("screen not drawn:\n%q", out)
	}
}

func TestRunWindowsKeyFromTerminalBytes(t *testing.T) {
	p := startProgram(t)
	p.show(welcome)
	// "n" presses Next once the Welcome screen is up: the UI has the view.
	if in := p.typeUntil("n"); in.Action != screen.Next {
		t.Fatalf("got %v, want next", in.Action)
	}
	const f12 = "\x1b[24~"
	go p.keys.Write([]byte(f12 + f12 + f12 + f12 + f12 + "\r")) //nolint:errcheck
	deadline := time.After(runTimeout)
	for {
		select {
		case in := <-p.inputs:
			if in.Action == screen.Next {
				continue // a late "n" from typeUntil
			}
			if in.Action != screen.Preprovision {
				t.Fatalf("got %v, want preprovision", in.Action)
			}
			p.cancel()
			if err := p.wait(); !errors.Is(err, context.Canceled) {
				t.Fatalf("Run after cancel = %v, want context.Canceled", err)
			}
			return
		case <-deadline:
			t.Fatalf("no preprovision; screen:\n%s", p.out.String())
		}
	}
}

func TestRunEndsWithContext(t *testing.T) {
	p := startProgram(t)
	p.show(screen.View{Kind: screen.Progress})
	p.cancel()
	if err := p.wait(); !errors.Is(err, context.Canceled) {
		t.Fatalf("Run = %v, want context.Canceled", err)
	}
}
