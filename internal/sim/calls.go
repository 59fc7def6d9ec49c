package sim

import (
	"net/http"
	"sync"
	"time"
)

// calls is a device's HTTP transport that remembers when each request
// started, so a report can say how many device API calls fell inside the
// technician phase.
type calls struct {
	next  http.RoundTripper
	mu    sync.Mutex
	start []time.Time
}

// newCalls gives a device a connection pool of its own, as a real device
// has: a shared pool would make the simulator, not the service, the
// bottleneck.
func newCalls() *calls {
	return &calls{next: http.DefaultTransport.(*http.Transport).Clone()}
}

func (c *calls) RoundTrip(r *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.start = append(c.start, time.Now())
	c.mu.Unlock()
	return c.next.RoundTrip(r)
}

// within counts the requests that started in [from, to].
func (c *calls) within(from, to time.Time) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, t := range c.start {
		if !t.Before(from) && !t.After(to) {
			n++
		}
	}
	return n
}

// close drops the pool's idle connections.
func (c *calls) close() {
	if t, ok := c.next.(*http.Transport); ok {
		t.CloseIdleConnections()
	}
}
