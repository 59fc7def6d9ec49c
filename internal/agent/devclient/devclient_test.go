package devclient

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/whiteglove/whiteglove/internal/deviceapi/wire"
)

func resp(status int, body string) *http.Response {
	return &http.Response{StatusCode: status, Body: io.NopCloser(strings.NewReader(body))}
}

func TestDecode(t *testing.T) {
	for _, tc := range []struct {
		name      string
		status    int
		body      string
		transient bool
		problem   string
		wantErr   bool
	}{
		{"ok", 200, `{"accessToken":"x"}`, false, "", false},
		{"problem", 403, `{"error":{"code":"TpmNotTrusted","message":"m","action":"a"}}`, false, wire.CodeUntrustedTPM, true},
		{"4xx without a problem", 404, `not json`, false, "", true},
		{"5xx is transient", 503, `{"error":{"code":"InternalError"}}`, true, "", true},
		{"429 is transient", 429, ``, true, "", true},
		{"bad JSON on success", 200, `{"accessToken":`, false, "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out wire.Token
			err := decode(resp(tc.status, tc.body), &out)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v", err)
			}
			var te *TransientError
			if errors.As(err, &te) != tc.transient {
				t.Errorf("transient = %v, want %v (%v)", !tc.transient, tc.transient, err)
			}
			var p *wire.Problem
			if tc.problem != "" && (!errors.As(err, &p) || p.Code != tc.problem) {
				t.Errorf("problem = %v", err)
			}
			if !tc.wantErr && out.AccessToken != "x" {
				t.Errorf("decoded %+v", out)
			}
		})
	}
}

func TestNewRefusesBadURLs(t *testing.T) {
	for _, u := range []string{"", "ftp://x", "http://", "::", "localhost:8080"} {
		if _, err := New(u, nil); err == nil {
			t.Errorf("%q accepted", u)
		}
	}
	if _, err := New("https://whiteglove.example:8443/", nil); err != nil {
		t.Error(err)
	}
}

func FuzzDecode(f *testing.F) {
	f.Add(200, []byte(`{"accessToken":"x"}`))
	f.Add(403, []byte(`{"error":{"code":"x"}}`))
	f.Add(500, []byte(`garbage`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if status < 100 || status > 999 {
			return
		}
		var out wire.Manifest
		err := decode(resp(status, string(body)), &out)
		if status >= 500 && err == nil {
			t.Fatalf("status %d decoded without error", status)
		}
	})
}
