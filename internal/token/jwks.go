package token

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"encoding/base64"
	"errors"
	"net/http"
	"sort"
)

// JWK is one public key in a JSON Web Key Set, as served by the keys endpoint.
type JWK struct {
	// Kty is the key type, always "EC".
	Kty string `json:"kty"`
	// Crv is the curve, always "P-256".
	Crv string `json:"crv"`
	// X is the base64url (unpadded) 32-byte X coordinate.
	X string `json:"x"`
	// Y is the base64url (unpadded) 32-byte Y coordinate.
	Y string `json:"y"`
	// Kid is the key id tokens carry in their header.
	Kid string `json:"kid"`
	// Use is "sig".
	Use string `json:"use"`
	// Alg is "ES256".
	Alg string `json:"alg"`
}

// JWKS is a JSON Web Key Set.
type JWKS struct {
	// Keys lists the published keys, sorted by kid.
	Keys []JWK `json:"keys"`
}

// jwksCacheControl lets verifiers cache the key set briefly; keys are
// published before they sign, so a short cache suffices for rotation.
const jwksCacheControl = "public, max-age=300"

// PublicJWKS renders every KeyStore public key as a JWKS, sorted by kid.
// Keys that are not P-256 are skipped.
func (s *Service) PublicJWKS(ctx context.Context) (JWKS, error) {
	keys, err := s.keys.PublicKeys(ctx)
	if err != nil {
		return JWKS{}, err
	}
	set := JWKS{Keys: make([]JWK, 0, len(keys))}
	for kid, pub := range keys {
		j, err := toJWK(kid, pub)
		if err != nil {
			s.log.WarnContext(ctx, "token: skipping unusable public key", "kid", kid, "err", err)
			continue
		}
		set.Keys = append(set.Keys, j)
	}
	sort.Slice(set.Keys, func(i, j int) bool { return set.Keys[i].Kid < set.Keys[j].Kid })
	return set, nil
}

func toJWK(kid string, pub *ecdsa.PublicKey) (JWK, error) {
	if pub == nil || pub.Curve != elliptic.P256() {
		return JWK{}, errors.New("not a P-256 key")
	}
	raw, err := pub.Bytes() // 0x04 || X(32) || Y(32)
	if err != nil {
		return JWK{}, err
	}
	enc := base64.RawURLEncoding.EncodeToString
	return JWK{Kty: "EC", Crv: "P-256", X: enc(raw[1:33]), Y: enc(raw[33:65]), Kid: kid, Use: "sig", Alg: "ES256"}, nil
}

// ParseJWK turns a JWK served by this package back into a public key.
func ParseJWK(j JWK) (*ecdsa.PublicKey, error) {
	if j.Kty != "EC" || j.Crv != "P-256" {
		return nil, errors.New("token: jwk: not an EC P-256 key")
	}
	x, errX := base64.RawURLEncoding.DecodeString(j.X)
	y, errY := base64.RawURLEncoding.DecodeString(j.Y)
	if errX != nil || errY != nil || len(x) != 32 || len(y) != 32 {
		return nil, errors.New("token: jwk: bad coordinates")
	}
	return ecdsa.ParseUncompressedPublicKey(elliptic.P256(), append(append([]byte{4}, x...), y...))
}

// serveJWKS answers the keys endpoint. The key set is the same for every
// tenant; "common" and "organizations" are served without resolving.
func (s *Service) serveJWKS(w http.ResponseWriter, r *http.Request, tenant string) {
	if tenant != "common" && tenant != "organizations" {
		if _, oerr := s.resolveTenant(r.Context(), tenant); oerr != nil {
			s.writeError(w, r, oerr)
			return
		}
	}
	set, err := s.PublicJWKS(r.Context())
	if err != nil {
		s.log.ErrorContext(r.Context(), "token: public keys", "err", err)
		s.writeError(w, r, errUnavailable)
		return
	}
	writeJSON(w, http.StatusOK, jwksCacheControl, set)
}
