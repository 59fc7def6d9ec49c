package token

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"testing"
)

// FuzzVerify feeds arbitrary strings to Verify and FromRequest: they must
// never panic and never accept anything, since the service's key is fresh
// and no input can have been signed with it.
func FuzzVerify(f *testing.F) {
	keys := newFakeKeys(f)
	clock := &fakeClock{now: testEpoch}
	svc, err := New(Config{Clock: clock.Now, Authn: fakeAuthn{}, Tenants: fakeTenants{}, Keys: keys,
		Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		f.Fatal(err)
	}
	f.Add("eyJhbGciOiJFUzI1NiIsImtpZCI6IngifQ.e30.AAAA")
	f.Add("Bearer x.y.z")
	f.Fuzz(func(t *testing.T, raw string) {
		p, c, err := svc.Verify(context.Background(), raw)
		if err == nil {
			t.Fatalf("verified %q as %+v %+v", raw, p, c)
		}
		if !errors.Is(err, ErrInvalid) {
			t.Fatalf("error %v does not wrap ErrInvalid", err)
		}
		r, _ := http.NewRequest(http.MethodGet, "/", nil)
		r.Header["Authorization"] = []string{raw}
		if got, ok := FromRequest(r); ok && !strings.Contains(raw, got) {
			t.Fatalf("FromRequest(%q) = %q", raw, got)
		}
	})
}
