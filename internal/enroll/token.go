package enroll

import (
	"context"
	"crypto/ecdsa"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/whiteglove/whiteglove/internal/apperr"
	"github.com/whiteglove/whiteglove/internal/deviceapi/wire"
)

var b64 = base64.RawURLEncoding

// mac signs data with the token key under a purpose label.
func (s *Service) mac(purpose string, data []byte) []byte {
	m := hmac.New(sha256.New, s.tokenKey)
	m.Write([]byte(purpose))
	m.Write([]byte{0})
	m.Write(data)
	return m.Sum(nil)
}

// Nonce returns a short-lived value for a device to sign. It is stateless:
// its expiry is in it, under the service's MAC.
func (s *Service) Nonce() wire.Nonce {
	exp := s.now().Add(NonceLifetime)
	body := make([]byte, 8, 24)
	binary.BigEndian.PutUint64(body, uint64(exp.Unix()))
	r := make([]byte, 16)
	_, _ = rand.Read(r)
	body = append(body, r...)
	return wire.Nonce{Nonce: b64.EncodeToString(body) + "." + b64.EncodeToString(s.mac("nonce", body)), ExpiresAt: exp}
}

func (s *Service) checkNonce(n string) error {
	body64, sig64, ok := strings.Cut(n, ".")
	body, err1 := b64.DecodeString(body64)
	sig, err2 := b64.DecodeString(sig64)
	if !ok || err1 != nil || err2 != nil || len(body) != 24 || !hmac.Equal(sig, s.mac("nonce", body)) {
		return errors.New("the nonce is not one this service issued")
	}
	if s.now().Unix() > int64(binary.BigEndian.Uint64(body)) {
		return errors.New("the nonce expired")
	}
	return nil
}

// Unauthorized is a failed device authentication.
func unauthorized(format string, args ...any) *wire.Problem {
	return problem(wire.CodeUnauthorized, "Authenticate again with the device certificate; a device whose managed device was deleted must enroll again.", format, args...)
}

// Token exchanges proof of possession of the device key for an access token.
func (s *Service) Token(ctx context.Context, req wire.TokenRequest) (wire.Token, error) {
	if err := s.checkNonce(req.Nonce); err != nil {
		return wire.Token{}, unauthorized("%v.", err)
	}
	ztd, cert, err := s.ca.VerifyDevice(req.Certificate, s.now())
	if err != nil {
		return wire.Token{}, unauthorized("The device certificate is not valid: %v.", err)
	}
	pub, ok := cert.PublicKey.(*ecdsa.PublicKey)
	if !ok {
		return wire.Token{}, unauthorized("The device certificate does not hold an ECDSA key.")
	}
	digest := sha256.Sum256([]byte(wire.TokenSigningPrefix + req.Nonce))
	if !ecdsa.VerifyASN1(pub, digest[:], req.Signature) {
		return wire.Token{}, unauthorized("The signature does not match the device certificate.")
	}
	md, err := s.st.ManagedDeviceByZTD(ctx, ztd)
	if errors.Is(err, apperr.ErrNotFound) {
		return wire.Token{}, unauthorized("Device %s has no managed device (it was deleted or released).", ztd)
	}
	if err != nil {
		return wire.Token{}, fmt.Errorf("reading the managed device: %w", err)
	}
	thumb := sha256.Sum256(req.Certificate)
	if !hmac.Equal([]byte(hex.EncodeToString(thumb[:])), []byte(md.CertThumbprint)) {
		return wire.Token{}, unauthorized("This certificate was replaced by a later enrollment of device %s.", ztd)
	}
	exp := s.now().Add(TokenLifetime)
	body, _ := json.Marshal(tokenClaims{MD: md.ID, ZTD: md.ZTDID, Thumb: md.CertThumbprint, Exp: exp.Unix()})
	return wire.Token{AccessToken: b64.EncodeToString(body) + "." + b64.EncodeToString(s.mac("token", body)), ExpiresAt: exp}, nil
}

type tokenClaims struct {
	MD    string `json:"md"`
	ZTD   string `json:"ztd"`
	Thumb string `json:"x5t"`
	Exp   int64  `json:"exp"`
}

// Authenticate checks a device access token and returns its managed
// device, which must still exist with the same certificate.
func (s *Service) Authenticate(ctx context.Context, raw string) (ManagedDevice, error) {
	body64, sig64, ok := strings.Cut(raw, ".")
	body, err1 := b64.DecodeString(body64)
	sig, err2 := b64.DecodeString(sig64)
	if !ok || err1 != nil || err2 != nil || !hmac.Equal(sig, s.mac("token", body)) {
		return ManagedDevice{}, unauthorized("The device token is not valid.")
	}
	var c tokenClaims
	if err := json.Unmarshal(body, &c); err != nil {
		return ManagedDevice{}, unauthorized("The device token is not valid.")
	}
	now := s.now()
	if now.Unix() > c.Exp {
		return ManagedDevice{}, unauthorized("The device token expired.")
	}
	md, err := s.st.ManagedDevice(ctx, c.MD)
	if errors.Is(err, apperr.ErrNotFound) {
		return ManagedDevice{}, unauthorized("The managed device was deleted.")
	}
	if err != nil {
		return ManagedDevice{}, fmt.Errorf("reading the managed device: %w", err)
	}
	if md.ZTDID != c.ZTD || md.CertThumbprint != c.Thumb {
		return ManagedDevice{}, unauthorized("The device was enrolled again; authenticate with the new certificate.")
	}
	if now.Sub(md.LastContactAt) > time.Minute {
		if err := s.st.TouchManagedDevice(ctx, md.ID, now); err != nil {
			s.log.Warn("recording last contact", "managedDeviceId", md.ID, "err", err)
		}
		md.LastContactAt = now
	}
	return md, nil
}
