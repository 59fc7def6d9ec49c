// Package devclient is the device's client of the device API: JSON calls
// with named problems, retries with backoff for what the network breaks,
// a token renewed from the device certificate, and downloads that resume.
package devclient

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/whiteglove/whiteglove/internal/deviceapi/wire"
)

// Client talks to one service.
type Client struct {
	base  string
	hc    *http.Client
	mu    sync.Mutex
	key   *ecdsa.PrivateKey
	cert  []byte
	token wire.Token
	// Backoff is the wait before each retry of a failed call.
	Backoff []time.Duration
}

// New returns a client of the service at base (http(s)://host[:port]).
func New(base string, hc *http.Client) (*Client, error) {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("the server URL %q must be http(s)://host[:port]", base)
	}
	if hc == nil {
		hc = &http.Client{Timeout: 0}
	}
	return &Client{base: strings.TrimRight(base, "/") + wire.Prefix, hc: hc,
		Backoff: []time.Duration{200 * time.Millisecond, time.Second, 3 * time.Second}}, nil
}

// SetIdentity gives the client the device key and certificate for
// authenticated calls.
func (c *Client) SetIdentity(key *ecdsa.PrivateKey, certDER []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.key, c.cert, c.token = key, certDER, wire.Token{}
}

// TransientError is a failure worth retrying (network, 5xx).
type TransientError struct{ Err error }

func (e *TransientError) Error() string { return "the service could not be reached: " + e.Err.Error() }
func (e *TransientError) Unwrap() error { return e.Err }

// call sends a JSON request and decodes a JSON answer, retrying
// transient failures. Problems come back as *wire.Problem.
func (c *Client) call(ctx context.Context, method, path string, auth bool, in, out any) error {
	var body []byte
	if in != nil {
		var err error
		if body, err = json.Marshal(in); err != nil {
			return err
		}
	}
	var err error
	for attempt := 0; ; attempt++ {
		err = c.once(ctx, method, path, auth, body, out)
		var te *TransientError
		var p *wire.Problem
		if errors.As(err, &p) && p.Code == wire.CodeUnauthorized && auth && attempt == 0 {
			c.mu.Lock()
			c.token = wire.Token{}
			c.mu.Unlock()
			continue
		}
		if !errors.As(err, &te) || attempt >= len(c.Backoff) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(c.Backoff[attempt]):
		}
	}
}

func (c *Client) once(ctx context.Context, method, path string, auth bool, body []byte, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if auth {
		tok, err := c.bearer(ctx)
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return &TransientError{err}
	}
	defer resp.Body.Close()
	return decode(resp, out)
}

func decode(resp *http.Response, out any) error {
	b, err := io.ReadAll(io.LimitReader(resp.Body, 32<<20))
	if err != nil {
		return &TransientError{err}
	}
	if resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests {
		return &TransientError{fmt.Errorf("HTTP %d: %s", resp.StatusCode, strings.TrimSpace(string(b)))}
	}
	if resp.StatusCode >= 300 {
		var e struct {
			Error *wire.Problem `json:"error"`
		}
		if json.Unmarshal(b, &e) == nil && e.Error != nil {
			return e.Error
		}
		return fmt.Errorf("HTTP %d: %s", resp.StatusCode, strings.TrimSpace(string(b)))
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fmt.Errorf("reading the service's answer: %w", err)
	}
	return nil
}

// bearer returns a valid access token, getting one with the certificate.
func (c *Client) bearer(ctx context.Context) (string, error) {
	c.mu.Lock()
	key, cert, tok := c.key, c.cert, c.token
	c.mu.Unlock()
	if tok.AccessToken != "" && time.Until(tok.ExpiresAt) > 30*time.Second {
		return tok.AccessToken, nil
	}
	if key == nil {
		return "", errors.New("the device is not enrolled yet (no device certificate)")
	}
	var n wire.Nonce
	if err := c.once(ctx, http.MethodGet, "/nonce", false, nil, &n); err != nil {
		return "", err
	}
	digest := sha256.Sum256([]byte(wire.TokenSigningPrefix + n.Nonce))
	sig, err := ecdsa.SignASN1(rand.Reader, key, digest[:])
	if err != nil {
		return "", err
	}
	body, _ := json.Marshal(wire.TokenRequest{Certificate: cert, Nonce: n.Nonce, Signature: sig})
	if err := c.once(ctx, http.MethodPost, "/token", false, body, &tok); err != nil {
		return "", err
	}
	c.mu.Lock()
	c.token = tok
	c.mu.Unlock()
	return tok.AccessToken, nil
}

// Lookup asks what the OOBE shows for this hash.
func (c *Client) Lookup(ctx context.Context, hash string) (wire.LookupResponse, error) {
	var out wire.LookupResponse
	return out, c.call(ctx, http.MethodPost, "/lookup", false, wire.LookupRequest{HardwareHash: hash}, &out)
}

// Attest starts attestation.
func (c *Client) Attest(ctx context.Context, req wire.AttestRequest) (wire.AttestChallenge, error) {
	var out wire.AttestChallenge
	return out, c.call(ctx, http.MethodPost, "/attest", false, req, &out)
}

// Enroll answers the challenge.
func (c *Client) Enroll(ctx context.Context, req wire.EnrollRequest) (wire.EnrollResponse, error) {
	var out wire.EnrollResponse
	return out, c.call(ctx, http.MethodPost, "/enroll", false, req, &out)
}

// EnrollUser enrolls user-driven, with the user's credentials.
func (c *Client) EnrollUser(ctx context.Context, req wire.UserEnrollRequest) (wire.EnrollResponse, error) {
	var out wire.EnrollResponse
	return out, c.call(ctx, http.MethodPost, "/enroll-user", false, req, &out)
}

// SignIn signs the user in on the enrolled device.
func (c *Client) SignIn(ctx context.Context, req wire.SignInRequest) (wire.SignInResponse, error) {
	var out wire.SignInResponse
	return out, c.call(ctx, http.MethodPost, "/signin", true, req, &out)
}

// Me returns the device's record.
func (c *Client) Me(ctx context.Context) (wire.Status, error) {
	var out wire.Status
	return out, c.call(ctx, http.MethodGet, "/me", true, nil, &out)
}

// Manifest returns a phase's manifest; with after ≥ 0 it waits up to wait
// for a version newer than after, and answers Unchanged when none came.
func (c *Client) Manifest(ctx context.Context, phase string, after int64, wait time.Duration) (wire.Manifest, error) {
	q := url.Values{"phase": {phase}}
	if after >= 0 {
		q.Set("after", strconv.FormatInt(after, 10))
		q.Set("wait", strconv.Itoa(int(wait/time.Second)))
	}
	var out wire.Manifest
	return out, c.call(ctx, http.MethodGet, "/manifest?"+q.Encode(), true, nil, &out)
}

// OpenSession opens a provisioning session (idempotent by id).
func (c *Client) OpenSession(ctx context.Context, req wire.SessionRequest) error {
	return c.call(ctx, http.MethodPost, "/sessions", true, req, nil)
}

// Events sends a batch of timeline events.
func (c *Client) Events(ctx context.Context, session string, evs []wire.Event) (wire.EventsAck, error) {
	var out wire.EventsAck
	return out, c.call(ctx, http.MethodPost, "/sessions/"+url.PathEscape(session)+"/events", true, wire.Events{Events: evs}, &out)
}

// EndSession records a session's result.
func (c *Client) EndSession(ctx context.Context, session string, r wire.SessionResult) error {
	return c.call(ctx, http.MethodPost, "/sessions/"+url.PathEscape(session)+"/end", true, r, nil)
}

// Reseal tells the service the device is being resealed.
func (c *Client) Reseal(ctx context.Context, req wire.ResealRequest) error {
	return c.call(ctx, http.MethodPost, "/reseal", true, req, nil)
}

// Certificate asks for a certificate policy's certificate.
func (c *Client) Certificate(ctx context.Context, req wire.CertificateRequest) (wire.Certificate, error) {
	var out wire.Certificate
	return out, c.call(ctx, http.MethodPost, "/certificates", true, req, &out)
}

// UploadLogs sends a diagnostics zip.
func (c *Client) UploadLogs(ctx context.Context, zip []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/logs", bytes.NewReader(zip))
	if err != nil {
		return err
	}
	tok, err := c.bearer(ctx)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/zip")
	resp, err := c.hc.Do(req)
	if err != nil {
		return &TransientError{err}
	}
	defer resp.Body.Close()
	return decode(resp, nil)
}

// Download fetches content sha into dst, resuming from dst+".part" with a
// Range request, and checks its SHA-256 before renaming it into place.
// progress, when set, gets the bytes held so far.
func (c *Client) Download(ctx context.Context, sha string, size int64, dst string, progress func(int64)) error {
	if _, err := os.Stat(dst); err == nil {
		return nil
	}
	part := dst + ".part"
	var err error
	for attempt := 0; attempt <= len(c.Backoff)+2; attempt++ {
		if err = c.downloadOnce(ctx, sha, size, part, progress); err == nil {
			break
		}
		var te *TransientError
		if !errors.As(err, &te) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(c.Backoff[min(attempt, len(c.Backoff)-1)]):
		}
	}
	if err != nil {
		return err
	}
	f, err := os.Open(part)
	if err != nil {
		return err
	}
	h := sha256.New()
	_, err = io.Copy(h, f)
	f.Close()
	if err != nil {
		return err
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != strings.ToLower(sha) {
		os.Remove(part)
		return fmt.Errorf("the downloaded content's SHA-256 is %s, not %s: removed, it will be downloaded again", got, sha)
	}
	return os.Rename(part, dst)
}

func (c *Client) downloadOnce(ctx context.Context, sha string, size int64, part string, progress func(int64)) error {
	f, err := os.OpenFile(part, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	defer f.Close()
	have, err := f.Seek(0, io.SeekEnd)
	if err != nil {
		return err
	}
	if size > 0 && have >= size {
		return nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/content/"+sha, nil)
	if err != nil {
		return err
	}
	tok, err := c.bearer(ctx)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	if have > 0 {
		req.Header.Set("Range", fmt.Sprintf("bytes=%d-", have))
		req.Header.Set("If-Range", `"`+sha+`"`)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return &TransientError{err}
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusPartialContent:
	case http.StatusOK:
		if err := f.Truncate(0); err != nil {
			return err
		}
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return err
		}
		have = 0
	default:
		return decode(resp, nil)
	}
	buf := make([]byte, 256<<10)
	for {
		n, rerr := resp.Body.Read(buf)
		if n > 0 {
			if _, err := f.Write(buf[:n]); err != nil {
				return err
			}
			have += int64(n)
			if progress != nil {
				progress(have)
			}
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			f.Sync()
			return &TransientError{rerr}
		}
	}
	return f.Sync()
}
