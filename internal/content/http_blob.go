package content

import (
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"time"
)

// ServeBlob answers GET and HEAD for the blob with digest sha through
// [http.ServeContent], so Range, If-Range, If-None-Match and If-Match work
// and a device can resume a download. The ETag is the digest in quotes (a
// strong validator that never changes); Repr-Digest carries the SHA-256 for
// the device to check; responses may be cached privately forever. Other
// methods get 405, a malformed digest 400 and a missing blob 404.
// Authorization is the caller's job.
func (s *Store) ServeBlob(w http.ResponseWriter, r *http.Request, sha string) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed: use GET or HEAD", http.StatusMethodNotAllowed)
		return
	}
	f, _, err := s.Open(sha)
	if err != nil {
		http.Error(w, err.Error(), HTTPStatus(err))
		return
	}
	defer f.Close()
	sum, _ := hex.DecodeString(sha)
	h := w.Header()
	h.Set("Content-Type", "application/octet-stream")
	h.Set("ETag", `"`+sha+`"`)
	h.Set("Accept-Ranges", "bytes")
	h.Set("Repr-Digest", "sha-256=:"+base64.StdEncoding.EncodeToString(sum)+":")
	h.Set("Cache-Control", "private, max-age=31536000, immutable")
	h.Set("X-Content-Type-Options", "nosniff")
	// A zero modification time: the ETag alone validates (If-Range with a
	// date never matches, so such a client gets the whole blob).
	http.ServeContent(w, r, "", time.Time{}, f)
}
