// Package client is what whiteglove's command-line tools share to talk to a
// running service: a client-credentials token and Graph-shaped errors.
package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// Token gets a client-credentials token from server for tenant
// ("organizations" when empty).
func Token(ctx context.Context, hc *http.Client, server, tenant, clientID, secret string) (string, error) {
	if clientID == "" || secret == "" {
		return "", errors.New("a client id and secret are needed (--client-id, and WHITEGLOVE_CLIENT_SECRET in the environment)")
	}
	if tenant == "" {
		tenant = "organizations"
	}
	if hc == nil {
		hc = http.DefaultClient
	}
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {clientID}, "client_secret": {secret},
		"scope": {"https://graph.microsoft.com/.default"}}
	req, err := http.NewRequestWithContext(ctx, "POST", strings.TrimRight(server, "/")+"/"+url.PathEscape(tenant)+"/oauth2/v2.0/token", strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := hc.Do(req)
	if err != nil {
		return "", fmt.Errorf("getting a token from %s: %w", server, err)
	}
	defer res.Body.Close()
	var body struct {
		AccessToken string `json:"access_token"`
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	if err := json.NewDecoder(io.LimitReader(res.Body, 1<<20)).Decode(&body); err != nil {
		return "", fmt.Errorf("reading the token response: %w", err)
	}
	if body.AccessToken == "" {
		return "", fmt.Errorf("no token: %s %s", body.Error, body.Description)
	}
	return body.AccessToken, nil
}

// ErrorMessage reads a Graph-shaped error body: "status: message".
func ErrorMessage(res *http.Response) string {
	var body struct {
		Error struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	_ = json.NewDecoder(io.LimitReader(res.Body, 1<<20)).Decode(&body)
	if body.Error.Message != "" {
		return fmt.Sprintf("%d: %s", res.StatusCode, body.Error.Message)
	}
	return res.Status
}

// GetJSON GETs server+path with the token and decodes the JSON answer into v.
func GetJSON(ctx context.Context, hc *http.Client, server, path, token string, v any) error {
	if hc == nil {
		hc = http.DefaultClient
	}
	req, err := http.NewRequestWithContext(ctx, "GET", strings.TrimRight(server, "/")+path, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("calling %s: %w", server, err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return errors.New(ErrorMessage(res))
	}
	if err := json.NewDecoder(res.Body).Decode(v); err != nil {
		return fmt.Errorf("reading the answer: %w", err)
	}
	return nil
}
