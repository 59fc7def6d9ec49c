package graph

import (
	"context"
	"net/http"
	"net/url"

	"github.com/whiteglove/whiteglove/internal/token"
)

type ctxKey int

const (
	keyRequestID ctxKey = iota
	keyPrincipal
	keyPublicURL
)

// publicBase is the configured public URL of the service, nil when links
// are built from the request's own host.
func publicBase(r *http.Request) *url.URL {
	u, _ := r.Context().Value(keyPublicURL).(*url.URL)
	return u
}

// RequestID returns the id given to the current request ("" outside one).
func RequestID(ctx context.Context) string {
	s, _ := ctx.Value(keyRequestID).(string)
	return s
}

// Caller returns who the request's token speaks for; ok is false on public
// routes called without a token.
func Caller(ctx context.Context) (token.Principal, bool) {
	p, ok := ctx.Value(keyPrincipal).(token.Principal)
	return p, ok
}

func withRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, keyRequestID, id)
}

func withPrincipal(ctx context.Context, p token.Principal) context.Context {
	return context.WithValue(ctx, keyPrincipal, p)
}
