package content

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

type uploadAnswer struct {
	Expires string   `json:"expirationDateTime"`
	Next    []string `json:"nextExpectedRanges"`
	SHA256  string   `json:"sha256"`
	Size    int64    `json:"size"`
	Error   *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func uploadServer(t *testing.T, autoCommit bool) (*httptest.Server, *Uploads) {
	t.Helper()
	u := newTestUploads(t, t.TempDir(), &fakeClock{t: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)})
	mux := http.NewServeMux()
	mux.Handle("/uploads/{id}", UploadHandler{Uploads: u, AutoCommit: autoCommit})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, u
}

func do(t *testing.T, srv *httptest.Server, method, id, contentRange string, body []byte) (int, uploadAnswer) {
	t.Helper()
	req, _ := http.NewRequest(method, srv.URL+"/uploads/"+id, bytes.NewReader(body))
	if contentRange != "" {
		req.Header.Set("Content-Range", contentRange)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var a uploadAnswer
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &a); err != nil {
			t.Fatalf("answer %q: %v", raw, err)
		}
	}
	return resp.StatusCode, a
}

func TestUploadHandlerFlow(t *testing.T) {
	srv, u := uploadServer(t, true)
	data := testData(1000)
	s, _ := u.Begin(t.Context(), 1000, shaOf(data))

	status, a := do(t, srv, "PUT", s.ID, "bytes 0-399/1000", data[:400])
	if status != 202 || len(a.Next) != 1 || a.Next[0] != "400-" || a.Expires != "2026-01-03T03:04:05Z" {
		t.Fatalf("first chunk: %d %+v", status, a)
	}
	// The client lost that answer and sends the chunk again.
	status, a = do(t, srv, "PUT", s.ID, "bytes 0-399/1000", data[:400])
	if status != 416 || a.Error == nil || a.Error.Code != "invalidRange" || a.Next[0] != "400-" {
		t.Fatalf("resent chunk: %d %+v", status, a)
	}
	status, a = do(t, srv, "GET", s.ID, "", nil)
	if status != 200 || a.Next[0] != "400-" {
		t.Fatalf("status: %d %+v", status, a)
	}
	status, a = do(t, srv, "PATCH", s.ID, "bytes 400-999/1000", data[400:])
	if status != 201 || a.SHA256 != shaOf(data) || a.Size != 1000 {
		t.Fatalf("last chunk: %d %+v", status, a)
	}
	if status, _ := do(t, srv, "DELETE", s.ID, "", nil); status != 204 {
		t.Errorf("DELETE: %d", status)
	}
	if status, a := do(t, srv, "GET", s.ID, "", nil); status != 404 || a.Error.Code != "itemNotFound" {
		t.Errorf("GET after DELETE: %d %+v", status, a)
	}
}

func TestUploadHandlerManualCommit(t *testing.T) {
	srv, u := uploadServer(t, false)
	data := testData(10)
	s, _ := u.Begin(t.Context(), 10, shaOf(testData(9)))
	if status, a := do(t, srv, "POST", s.ID, "", nil); status != 409 || a.Next[0] != "0-" {
		t.Errorf("early commit: %d %+v", status, a)
	}
	if status, a := do(t, srv, "PUT", s.ID, "bytes 0-9/10", data); status != 200 || len(a.Next) != 0 {
		t.Errorf("complete chunk: %d %+v", status, a)
	}
	if status, a := do(t, srv, "POST", s.ID, "", nil); status != 400 || !strings.Contains(a.Error.Message, "SHA-256 mismatch") {
		t.Errorf("commit with a wrong digest: %d %+v", status, a)
	}
}

func TestUploadHandlerBadRequests(t *testing.T) {
	_, u := uploadServer(t, false)
	h := UploadHandler{Uploads: u}
	s, _ := u.Begin(t.Context(), 100, "")
	tests := []struct {
		name          string
		contentRange  string
		contentLength int64
		body          string
		status        int
	}{
		{"no Content-Range", "", 10, "0123456789", 400},
		{"total differs", "bytes 0-9/99", 10, "0123456789", 400},
		{"no Content-Length", "bytes 0-9/100", -1, "0123456789", 411},
		{"Content-Length differs", "bytes 0-9/100", 5, "01234", 400},
		{"past the end", "bytes 95-104/100", 10, "0123456789", 400},
		{"wrong offset", "bytes 10-19/100", 10, "0123456789", 416},
		{"short body", "bytes 0-9/100", 10, "01234", 400},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("PUT", "/uploads/"+s.ID, strings.NewReader(tc.body))
			r.ContentLength = tc.contentLength
			if tc.contentRange != "" {
				r.Header.Set("Content-Range", tc.contentRange)
			}
			w := httptest.NewRecorder()
			h.Chunk(w, r, s.ID)
			if w.Code != tc.status {
				t.Errorf("status %d, want %d: %s", w.Code, tc.status, w.Body)
			}
		})
	}
	w := httptest.NewRecorder()
	h.Chunk(w, httptest.NewRequest("PUT", "/", strings.NewReader("x")), "nope")
	if w.Code != 400 {
		t.Errorf("missing Content-Range on a missing session: %d", w.Code)
	}
	w = httptest.NewRecorder()
	r := httptest.NewRequest("PUT", "/", strings.NewReader("x"))
	r.Header.Set("Content-Range", "bytes 0-0/1")
	h.Chunk(w, r, "nope")
	if w.Code != 404 {
		t.Errorf("chunk to a missing session: %d", w.Code)
	}
}

func TestParseContentRange(t *testing.T) {
	tests := []struct {
		in                 string
		first, last, total int64
		ok                 bool
	}{
		{"bytes 0-9/10", 0, 9, 10, true},
		{"bytes 100-199/1000", 100, 199, 1000, true},
		{"bytes 0-0/1", 0, 0, 1, true},
		{"", 0, 0, 0, false},
		{"bytes */100", 0, 0, 0, false},
		{"bytes 0-9/*", 0, 0, 0, false},
		{"bytes 9-0/10", 0, 0, 0, false},
		{"bytes 0-10/10", 0, 0, 0, false},
		{"bytes -1-9/10", 0, 0, 0, false},
		{"bytes +1-9/10", 0, 0, 0, false},
		{"bytes 0-9/10 ", 0, 0, 0, false},
		{"items 0-9/10", 0, 0, 0, false},
		{"bytes 0-9/99999999999999999999", 0, 0, 0, false},
		{fmt.Sprintf("bytes 0-%d/%d", int64(1<<62), int64(1<<62)+1), 0, 1 << 62, 1<<62 + 1, true},
	}
	for _, tc := range tests {
		f, l, n, err := ParseContentRange(tc.in)
		if (err == nil) != tc.ok || (tc.ok && (f != tc.first || l != tc.last || n != tc.total)) {
			t.Errorf("ParseContentRange(%q) = %d, %d, %d, %v", tc.in, f, l, n, err)
		}
	}
}
