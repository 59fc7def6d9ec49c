package token

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
)

// IssueRequest describes a token to mint.
type IssueRequest struct {
	// Principal is who the token speaks for. Kind, ObjectID and TenantID are required.
	Principal Principal
	// ClientID is the app the token is issued to (appid/azp). For apps it
	// defaults to Principal.Name; for users it may be any public client id.
	ClientID string
	// Scopes are the delegated scopes (scp) of a user token; empty means the
	// configured default set. Ignored for apps, whose tokens carry no scp.
	Scopes []string
}

// Token is a freshly minted access token.
type Token struct {
	// AccessToken is the signed JWT.
	AccessToken string
	// TokenID is its jti.
	TokenID string
	// IssuedAt is its iat (and nbf).
	IssuedAt time.Time
	// ExpiresAt is its exp.
	ExpiresAt time.Time
	// Scopes is its scp, split (nil for apps).
	Scopes []string
}

// Issue mints an access token under the configured issuer, or DefaultIssuer
// when Config.Issuer is empty. The HTTP handler uses the same path.
func (s *Service) Issue(ctx context.Context, req IssueRequest) (Token, error) {
	base := s.issuer
	if base == "" {
		base = DefaultIssuer
	}
	return s.issue(ctx, base, req)
}

// expiresIn is the expires_in reported to clients: one second under the
// lifetime, as Entra reports 3599 for an hour.
func (s *Service) expiresIn() int { return int(s.lifetime/time.Second) - 1 }

func (s *Service) issue(ctx context.Context, base string, req IssueRequest) (Token, error) {
	p := req.Principal
	if p.ObjectID == "" || !validTenantID(p.TenantID) {
		return Token{}, errors.New("token: issue: principal needs an object id and a tenant id")
	}
	clientID := req.ClientID
	var scopes []string
	switch p.Kind {
	case KindApp:
		if clientID == "" {
			clientID = p.Name
		}
		if clientID == "" {
			return Token{}, errors.New("token: issue: app principal needs a client id")
		}
	case KindUser:
		scopes = req.Scopes
		if len(scopes) == 0 {
			scopes = s.scopes
		}
		scopes = append([]string(nil), scopes...)
	default:
		return Token{}, fmt.Errorf("token: issue: unknown principal kind %q", p.Kind)
	}

	key, kid, err := s.keys.SigningKey(ctx)
	if err != nil {
		return Token{}, fmt.Errorf("token: signing key: %w", err)
	}
	if key == nil || kid == "" {
		return Token{}, errors.New("token: signing key: key store returned no key")
	}
	s.cache.remember(kid, &key.PublicKey)

	iat := jwt.NewNumericDate(s.now())
	exp := jwt.NewNumericDate(iat.Add(s.lifetime))
	c := &wireClaims{
		Aud:   audience{GraphAudience},
		Iss:   issuerFor(base, p.TenantID),
		Iat:   iat,
		Nbf:   iat,
		Exp:   exp,
		AppID: clientID,
		Azp:   clientID,
		IDTyp: string(p.Kind),
		OID:   p.ObjectID,
		Roles: p.Roles,
		Sub:   p.ObjectID,
		Tid:   p.TenantID,
		JTI:   uuid.NewString(),
		Ver:   "2.0",
	}
	if p.Kind == KindUser {
		c.UPN, c.Name, c.Scp = p.Name, p.Name, strings.Join(scopes, " ")
	}
	t := jwt.NewWithClaims(jwt.SigningMethodES256, c)
	t.Header["kid"] = kid
	raw, err := t.SignedString(key)
	if err != nil {
		return Token{}, fmt.Errorf("token: sign: %w", err)
	}
	return Token{AccessToken: raw, TokenID: c.JTI, IssuedAt: iat.Time, ExpiresAt: exp.Time, Scopes: scopes}, nil
}

// validTenantID reports whether id is safe to embed in an issuer URL path:
// 1-256 characters of letters, digits, '.', '-' and '_'.
func validTenantID(id string) bool {
	if id == "" || len(id) > 256 {
		return false
	}
	for _, r := range id {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
		default:
			return false
		}
	}
	return true
}
