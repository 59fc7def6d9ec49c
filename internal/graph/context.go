package graph

import (
	"context"

	"github.com/whiteglove/whiteglove/internal/token"
)

type ctxKey int

const (
	keyRequestID ctxKey = iota
	keyPrincipal
)

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
