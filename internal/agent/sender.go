package agent

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/whiteglove/whiteglove/internal/agent/devclient"
	"github.com/whiteglove/whiteglove/internal/agent/journal"
	"github.com/whiteglove/whiteglove/internal/deviceapi/wire"
)

// sender streams a session's journal to the service in batches: what the
// service acknowledged is not sent again; what it missed (the device lost
// power, the network dropped) is sent on the next round.
type sender struct {
	api     *devclient.Client
	j       *journal.Journal
	log     *slog.Logger
	mu      sync.Mutex
	session string
	acked   int64
	kick    chan struct{}
}

func newSender(api *devclient.Client, j *journal.Journal, log *slog.Logger) *sender {
	return &sender{api: api, j: j, log: log, kick: make(chan struct{}, 1)}
}

// follow switches to a session the service knows.
func (s *sender) follow(session string) {
	s.mu.Lock()
	if s.session != session {
		s.session, s.acked = session, 0
	}
	s.mu.Unlock()
	s.poke()
}

func (s *sender) poke() {
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// run sends every 250 ms or when poked, until ctx ends.
func (s *sender) run(ctx context.Context) {
	t := time.NewTicker(250 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-s.kick:
		}
		if err := s.flush(ctx); err != nil && ctx.Err() == nil {
			s.log.Debug("sending the timeline", "err", err)
		}
	}
}

// flush sends everything not yet acknowledged.
func (s *sender) flush(ctx context.Context) error {
	s.mu.Lock()
	session, acked := s.session, s.acked
	s.mu.Unlock()
	if session == "" {
		return nil
	}
	for {
		recs := s.j.Since(session, acked)
		if len(recs) == 0 {
			return nil
		}
		if len(recs) > 500 {
			recs = recs[:500]
		}
		evs := make([]wire.Event, len(recs))
		for i, r := range recs {
			evs[i] = r.Event
		}
		ack, err := s.api.Events(ctx, session, evs)
		if err != nil {
			return err
		}
		s.mu.Lock()
		if s.session == session && ack.Through > s.acked {
			s.acked = ack.Through
		}
		acked = s.acked
		s.mu.Unlock()
		if ack.Through < evs[len(evs)-1].Seq {
			return nil // a gap the service waits for; next round
		}
	}
}
