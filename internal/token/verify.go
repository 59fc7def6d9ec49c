package token

import (
	"context"
	"crypto/elliptic"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Leeway is the clock skew Verify tolerates on exp, nbf and iat.
const Leeway = 60 * time.Second

// maxTokenLen caps what Verify will parse; real tokens are under 2 KiB.
const maxTokenLen = 16 << 10

// Verify checks a raw access token minted by this service and returns who it
// speaks for. It accepts only ES256 with a kid known to the KeyStore, checks
// exp, nbf and iat with Leeway, requires aud to be Microsoft Graph (URL or
// app id), and requires iss to be "{Issuer}/{tid}/v2.0" for the token's own
// tid — or, when Config.Issuer is empty, any "http(s)://{host}/{tid}/v2.0".
//
// A correctly signed but expired token yields an error wrapping ErrExpired;
// every other rejection wraps ErrInvalid. Any other error is a KeyStore
// failure and should be treated as a server error, not as a bad token.
func (s *Service) Verify(ctx context.Context, raw string) (Principal, Claims, error) {
	if raw == "" || len(raw) > maxTokenLen {
		return Principal{}, Claims{}, fmt.Errorf("%w: empty or oversized token", ErrInvalid)
	}
	var storeErr error
	keyfunc := func(t *jwt.Token) (any, error) {
		if typ, ok := t.Header["typ"]; ok && typ != "JWT" {
			return nil, errors.New("typ is not JWT")
		}
		if _, ok := t.Header["crit"]; ok {
			return nil, errors.New("crit header not supported")
		}
		kid, _ := t.Header["kid"].(string)
		if kid == "" {
			return nil, errors.New("no kid")
		}
		k, err := s.cache.lookup(ctx, kid)
		if err != nil {
			storeErr = err
			return nil, err
		}
		if k == nil || k.Curve != elliptic.P256() {
			return nil, fmt.Errorf("unknown kid %q", kid)
		}
		return k, nil
	}
	parser := jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodES256.Alg()}),
		jwt.WithLeeway(Leeway),
		jwt.WithTimeFunc(s.now),
		jwt.WithExpirationRequired(),
		jwt.WithNotBeforeRequired(),
		jwt.WithIssuedAt(),
		jwt.WithAudience(GraphAudience, GraphAudience+"/", GraphAppID),
		jwt.WithStrictDecoding(),
	)
	var c wireClaims
	_, err := parser.ParseWithClaims(raw, &c, keyfunc)
	switch {
	case storeErr != nil:
		return Principal{}, Claims{}, fmt.Errorf("token: verify: key store: %w", storeErr)
	case errors.Is(err, jwt.ErrTokenExpired):
		return Principal{}, Claims{}, fmt.Errorf("%w: %v", ErrExpired, err)
	case err != nil:
		return Principal{}, Claims{}, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if err := s.checkClaims(&c); err != nil {
		return Principal{}, Claims{}, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	return principalOf(&c), claimsOf(&c), nil
}

// checkClaims enforces what the JWT library does not: our issuer, version,
// token type and the identity claims Principal is built from.
func (s *Service) checkClaims(c *wireClaims) error {
	if !validTenantID(c.Tid) {
		return errors.New("missing or malformed tid")
	}
	if !s.issuerOK(c.Iss, c.Tid) {
		return fmt.Errorf("issuer %q not accepted", c.Iss)
	}
	if c.Iat == nil || c.Nbf == nil || c.Exp == nil {
		return errors.New("missing iat, nbf or exp")
	}
	if c.Ver != "2.0" {
		return errors.New("ver is not 2.0")
	}
	if c.OID == "" || c.Sub == "" {
		return errors.New("missing oid or sub")
	}
	switch Kind(c.IDTyp) {
	case KindApp:
		if c.AppID == "" {
			return errors.New("app token without appid")
		}
	case KindUser:
		if c.UPN == "" {
			return errors.New("user token without upn")
		}
	default:
		return fmt.Errorf("unknown idtyp %q", c.IDTyp)
	}
	return nil
}

// issuerOK implements the issuer rule documented on Verify.
func (s *Service) issuerOK(iss, tid string) bool {
	if s.issuer != "" {
		return iss == issuerFor(s.issuer, tid)
	}
	u, err := url.Parse(iss)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" &&
		u.User == nil && u.RawQuery == "" && !u.ForceQuery && u.Fragment == "" &&
		u.RawPath == "" && u.Path == "/"+tid+"/v2.0"
}

func principalOf(c *wireClaims) Principal {
	p := Principal{Kind: Kind(c.IDTyp), ObjectID: c.OID, TenantID: c.Tid, Roles: c.Roles, Name: c.AppID}
	if p.Kind == KindUser {
		p.Name = c.UPN
	}
	return p
}

func claimsOf(c *wireClaims) Claims {
	out := Claims{
		Issuer: c.Iss, TenantID: c.Tid, ObjectID: c.OID, Subject: c.Sub,
		AppID: c.AppID, UPN: c.UPN, Name: c.Name, IDType: c.IDTyp,
		Roles: c.Roles, Scopes: strings.Fields(c.Scp), TokenID: c.JTI,
		IssuedAt: c.Iat.Time, NotBefore: c.Nbf.Time, Expiry: c.Exp.Time,
	}
	if len(c.Aud) > 0 {
		out.Audience = c.Aud[0]
	}
	return out
}

// FromRequest extracts the raw token from the Authorization header. It takes
// "Bearer <jwt>" (scheme matched case-insensitively) and also a bare "<jwt>"
// with no scheme, as the Autopilot companion app sends it. Other schemes,
// repeated Authorization headers and values that are not three dot-separated
// base64url segments are refused.
func FromRequest(r *http.Request) (raw string, ok bool) {
	vals := r.Header.Values("Authorization")
	if len(vals) != 1 {
		return "", false
	}
	v := strings.TrimSpace(vals[0])
	if scheme, rest, found := strings.Cut(v, " "); found {
		if !strings.EqualFold(scheme, "Bearer") {
			return "", false
		}
		v = strings.TrimSpace(rest)
	}
	if !looksLikeJWT(v) {
		return "", false
	}
	return v, true
}

// looksLikeJWT reports whether v is three non-empty base64url segments.
func looksLikeJWT(v string) bool {
	if len(v) > maxTokenLen || strings.Count(v, ".") != 2 {
		return false
	}
	for _, seg := range strings.Split(v, ".") {
		if seg == "" {
			return false
		}
		for i := 0; i < len(seg); i++ {
			b := seg[i]
			if !(b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '-' || b == '_') {
				return false
			}
		}
	}
	return true
}
