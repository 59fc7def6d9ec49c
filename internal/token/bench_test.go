package token

import (
	"context"
	"log/slog"
	"testing"
)

func benchService(b *testing.B) *Service {
	keys := newFakeKeys(b)
	clock := &fakeClock{now: testEpoch}
	svc, err := New(Config{Issuer: DefaultIssuer, Clock: clock.Now, Authn: fakeAuthn{},
		Tenants: fakeTenants{}, Keys: keys, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	return svc
}

var benchUser = IssueRequest{
	Principal: Principal{Kind: KindUser, ObjectID: testUserOID, Name: testUPN, TenantID: testTenant, Roles: []string{"Intune Administrator"}},
	ClientID:  publicClient,
}

func BenchmarkIssue(b *testing.B) {
	svc := benchService(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := svc.Issue(ctx, benchUser); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	svc := benchService(b)
	ctx := context.Background()
	tok, err := svc.Issue(ctx, benchUser)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, _, err := svc.Verify(ctx, tok.AccessToken); err != nil {
				b.Fatal(err)
			}
		}
	})
}
