package server_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"testing"

	"github.com/whiteglove/whiteglove/internal/store"
	"github.com/whiteglove/whiteglove/internal/store/storetest"
)

// TestResumableUploadAndRangedDownload uploads a package in two chunks,
// re-sends a chunk as a client that lost the answer would, commits, and
// downloads a range of it.
func TestResumableUploadAndRangedDownload(t *testing.T) {
	e := start(t, storetest.Config(t, store.SQLite), false)
	tok := e.appToken()
	data := bytes.Repeat([]byte("whiteglove-package-"), 10000)
	sum := sha256.Sum256(data)
	sha := hex.EncodeToString(sum[:])
	code, s := e.call("POST", "/api/content/uploadSessions", tok, map[string]any{"size": len(data), "sha256": sha})
	if code != 201 {
		t.Fatalf("begin: %d %v", code, s)
	}
	id := s["id"].(string)
	put := func(from, to int) int {
		req, _ := http.NewRequest("PUT", e.url+"/api/content/uploadSessions/"+id, bytes.NewReader(data[from:to]))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", from, to-1, len(data)))
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	half := len(data) / 2
	if c := put(0, half); c != 202 {
		t.Fatalf("first chunk: %d", c)
	}
	if c := put(0, half); c != 416 {
		t.Fatalf("re-sent chunk at a stale offset: %d, want 416", c)
	}
	if c := put(half, len(data)); c != 200 {
		t.Fatalf("last chunk: %d", c)
	}
	code, blob := e.call("POST", "/api/content/uploadSessions/"+id+"/commit", tok, nil)
	if code != 201 || blob["sha256"] != sha {
		t.Fatalf("commit: %d %v", code, blob)
	}
	req, _ := http.NewRequest("GET", e.url+"/api/content/blobs/"+sha, nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Range", "bytes=100-199")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 206 || !bytes.Equal(got, data[100:200]) {
		t.Fatalf("range: %d %q", res.StatusCode, got)
	}
	req, _ = http.NewRequest("GET", e.url+"/api/content/blobs/"+sha, nil)
	if res, _ := http.DefaultClient.Do(req); res.StatusCode != 401 {
		t.Fatalf("anonymous download: %d", res.StatusCode)
	}
}
