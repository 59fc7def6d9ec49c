package content

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// UploadHandler speaks resumable uploads over HTTP in the shape of Microsoft
// Graph upload sessions. A chunk is a PUT or PATCH whose Content-Range is
// "bytes first-last/total" (total = the session's size, first = its current
// offset) and whose Content-Length is last-first+1. Progress is answered as
//
//	{"expirationDateTime":"2026-01-02T15:04:05Z","nextExpectedRanges":["N-"]}
//
// with 202 Accepted after a chunk and 200 OK for a status GET; a complete
// session lists no range. A chunk at the wrong offset gets 416 with the same
// body plus a Graph error, so the client resends from N. The caller mounts
// the methods and authorizes; Uploads must not be nil.
type UploadHandler struct {
	Uploads *Uploads
	// AutoCommit commits the session when a chunk completes it and answers
	// 201 Created with the blob ({"sha256":…,"size":…}), as OneDrive does;
	// false answers 200 and leaves the commit to the caller.
	AutoCommit bool
	// Log receives server-side failures; nil means slog.Default().
	Log *slog.Logger
}

// ServeHTTP dispatches on the method for the session named by the {id}
// path wildcard: PUT or PATCH sends a chunk, GET reports progress, POST
// commits, DELETE aborts.
func (h UploadHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	switch r.Method {
	case http.MethodPut, http.MethodPatch:
		h.Chunk(w, r, id)
	case http.MethodGet, http.MethodHead:
		h.Status(w, r, id)
	case http.MethodPost:
		h.Commit(w, r, id)
	case http.MethodDelete:
		h.Abort(w, r, id)
	default:
		w.Header().Set("Allow", "GET, HEAD, PUT, PATCH, POST, DELETE")
		writeUploadError(w, http.StatusMethodNotAllowed, "invalidRequest", "method not allowed", nil)
	}
}

// Chunk appends one Content-Range chunk to session id.
func (h UploadHandler) Chunk(w http.ResponseWriter, r *http.Request, id string) {
	first, last, total, err := ParseContentRange(r.Header.Get("Content-Range"))
	if err != nil {
		writeUploadError(w, http.StatusBadRequest, "invalidRequest", err.Error(), nil)
		return
	}
	s, err := h.Uploads.Get(id)
	if err != nil {
		h.fail(w, r, err, nil)
		return
	}
	switch n := last - first + 1; {
	case total != s.Size:
		writeUploadError(w, http.StatusBadRequest, "invalidRequest",
			fmt.Sprintf("Content-Range total %d is not the upload's size %d", total, s.Size), &s)
		return
	case r.ContentLength < 0:
		writeUploadError(w, http.StatusLengthRequired, "invalidRequest", "Content-Length is required", &s)
		return
	case r.ContentLength != n:
		writeUploadError(w, http.StatusBadRequest, "invalidRequest",
			fmt.Sprintf("Content-Length %d does not match Content-Range %d-%d (%d bytes)", r.ContentLength, first, last, n), &s)
		return
	}
	s.Offset, err = h.Uploads.Append(r.Context(), id, first, r.Body)
	if err != nil {
		h.failWithProgress(w, r, id, err)
		return
	}
	if s.Offset < last+1 {
		writeUploadError(w, http.StatusBadRequest, "invalidRequest", "the body is shorter than its Content-Range", &s)
		return
	}
	if s.Offset == s.Size && h.AutoCommit {
		h.Commit(w, r, id)
		return
	}
	s.Expires = h.Uploads.now().Add(h.Uploads.ttl)
	status := http.StatusAccepted
	if s.Offset == s.Size {
		status = http.StatusOK
	}
	writeJSON(w, status, progressOf(s))
}

// Status answers the session's progress.
func (h UploadHandler) Status(w http.ResponseWriter, r *http.Request, id string) {
	s, err := h.Uploads.Get(id)
	if err != nil {
		h.fail(w, r, err, nil)
		return
	}
	writeJSON(w, http.StatusOK, progressOf(s))
}

// Commit commits the session and answers 201 Created with the blob.
func (h UploadHandler) Commit(w http.ResponseWriter, r *http.Request, id string) {
	b, err := h.Uploads.Commit(r.Context(), id)
	if err != nil {
		h.failWithProgress(w, r, id, err)
		return
	}
	writeJSON(w, http.StatusCreated, b)
}

// Abort discards the session and answers 204 No Content.
func (h UploadHandler) Abort(w http.ResponseWriter, r *http.Request, id string) {
	if err := h.Uploads.Abort(id); err != nil {
		h.fail(w, r, err, nil)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// failWithProgress answers err with the session's progress, if it still
// exists, so the client knows where to resume.
func (h UploadHandler) failWithProgress(w http.ResponseWriter, r *http.Request, id string, err error) {
	if s, gerr := h.Uploads.Get(id); gerr == nil {
		h.fail(w, r, err, &s)
		return
	}
	h.fail(w, r, err, nil)
}

// fail answers err; s, when known, adds the progress so the client knows
// where to resume.
func (h UploadHandler) fail(w http.ResponseWriter, r *http.Request, err error, s *Session) {
	status := HTTPStatus(err)
	code, msg := "invalidRequest", err.Error()
	switch status {
	case http.StatusNotFound:
		code = "itemNotFound"
	case http.StatusRequestedRangeNotSatisfiable:
		code = "invalidRange"
	case http.StatusConflict:
		code = "notAllowed"
	case http.StatusInternalServerError, http.StatusServiceUnavailable:
		log := h.Log
		if log == nil {
			log = slog.Default()
		}
		log.Error("upload failed", "path", r.URL.Path, "method", r.Method, "err", err)
		code, msg = "generalException", "the upload failed on the server; retry later"
	}
	writeUploadError(w, status, code, msg, s)
}

// progress is the Graph upload-session body.
type progress struct {
	Expires time.Time `json:"expirationDateTime"`
	Next    []string  `json:"nextExpectedRanges"`
}

func progressOf(s Session) progress {
	p := progress{Expires: s.Expires.UTC(), Next: []string{}}
	if s.Offset < s.Size {
		p.Next = []string{strconv.FormatInt(s.Offset, 10) + "-"}
	}
	return p
}

// writeUploadError writes a Graph error body, with the progress when known.
func writeUploadError(w http.ResponseWriter, status int, code, msg string, s *Session) {
	type graphError struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	}
	body := struct {
		Error graphError `json:"error"`
		*progress
	}{Error: graphError{Code: code, Message: msg}}
	if s != nil {
		p := progressOf(*s)
		body.progress = &p
	}
	writeJSON(w, status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// ParseContentRange parses a chunk's "bytes first-last/total" header. It
// refuses the unknown-total ("/*") and status ("*/total") forms: a chunk
// must say exactly where it goes.
func ParseContentRange(h string) (first, last, total int64, err error) {
	bad := func(why string) (int64, int64, int64, error) {
		return 0, 0, 0, fmt.Errorf("Content-Range %q: %s; want \"bytes first-last/total\"", h, why)
	}
	spec, ok := strings.CutPrefix(h, "bytes ")
	if !ok {
		return bad("missing or not in bytes")
	}
	rng, tot, ok := strings.Cut(spec, "/")
	if !ok {
		return bad("no total")
	}
	a, b, ok := strings.Cut(rng, "-")
	if !ok {
		return bad("no range")
	}
	var nums [3]int64
	for i, s := range []string{a, b, tot} {
		if s == "" || strings.TrimLeft(s, "0123456789") != "" {
			return bad("not a number")
		}
		if nums[i], err = strconv.ParseInt(s, 10, 64); err != nil {
			return bad("number out of range")
		}
	}
	first, last, total = nums[0], nums[1], nums[2]
	if first > last || last >= total {
		return bad("range outside 0..total-1")
	}
	return first, last, total, nil
}
