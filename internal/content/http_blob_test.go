package content

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func blobServer(t *testing.T) (*httptest.Server, []byte, string) {
	t.Helper()
	s := newTestStore(t)
	data := testData(1000)
	b, err := s.Put(t.Context(), bytes.NewReader(data), 0)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/content/{sha}", func(w http.ResponseWriter, r *http.Request) {
		s.ServeBlob(w, r, r.PathValue("sha"))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, data, b.SHA256
}

func TestServeBlob(t *testing.T) {
	srv, data, sha := blobServer(t)
	etag := `"` + sha + `"`
	tests := []struct {
		name    string
		method  string
		path    string
		headers map[string]string
		status  int
		body    []byte // nil: not checked
		hdr     map[string]string
	}{
		{"whole", "GET", sha, nil, 200, data, map[string]string{
			"Content-Length": "1000", "ETag": etag, "Accept-Ranges": "bytes",
			"Content-Type": "application/octet-stream", "Repr-Digest": "sha-256=:"}},
		{"range", "GET", sha, map[string]string{"Range": "bytes=100-199"}, 206, data[100:200],
			map[string]string{"Content-Range": "bytes 100-199/1000", "Content-Length": "100"}},
		{"open range to resume", "GET", sha, map[string]string{"Range": "bytes=900-"}, 206, data[900:],
			map[string]string{"Content-Range": "bytes 900-999/1000"}},
		{"suffix range", "GET", sha, map[string]string{"Range": "bytes=-10"}, 206, data[990:], nil},
		{"If-Range matches", "GET", sha, map[string]string{"Range": "bytes=100-199", "If-Range": etag}, 206, data[100:200], nil},
		{"If-Range differs", "GET", sha, map[string]string{"Range": "bytes=100-199", "If-Range": `"other"`}, 200, data, nil},
		{"If-Range date", "GET", sha, map[string]string{"Range": "bytes=100-199", "If-Range": "Mon, 02 Jan 2006 15:04:05 GMT"}, 200, data, nil},
		{"If-None-Match", "GET", sha, map[string]string{"If-None-Match": etag}, 304, []byte{}, nil},
		{"unsatisfiable", "GET", sha, map[string]string{"Range": "bytes=2000-3000"}, 416, nil, nil},
		{"head", "HEAD", sha, nil, 200, []byte{}, map[string]string{"Content-Length": "1000"}},
		{"post", "POST", sha, nil, 405, nil, map[string]string{"Allow": "GET, HEAD"}},
		{"missing", "GET", strings.Repeat("0", 64), nil, 404, nil, nil},
		{"bad digest", "GET", "abc", nil, 400, nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(tc.method, srv.URL+"/content/"+tc.path, nil)
			for k, v := range tc.headers {
				req.Header.Set(k, v)
			}
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d (%s)", resp.StatusCode, tc.status, body)
			}
			if tc.body != nil && !bytes.Equal(body, tc.body) {
				t.Errorf("body: %d bytes, want %d", len(body), len(tc.body))
			}
			for k, v := range tc.hdr {
				if got := resp.Header.Get(k); !strings.HasPrefix(got, v) {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
		})
	}
}

// TestServeBlobResume downloads in pieces, as a device resuming would.
func TestServeBlobResume(t *testing.T) {
	srv, data, sha := blobServer(t)
	var got []byte
	for len(got) < len(data) {
		req, _ := http.NewRequest("GET", srv.URL+"/content/"+sha, nil)
		req.Header.Set("Range", fmt.Sprintf("bytes=%d-%d", len(got), len(got)+299))
		req.Header.Set("If-Range", `"`+sha+`"`)
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		part, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 206 {
			t.Fatalf("status %d", resp.StatusCode)
		}
		got = append(got, part...)
	}
	if !bytes.Equal(got, data) {
		t.Fatal("reassembled content differs")
	}
}
