package graph

import (
	"log/slog"
	"net/http"

	"github.com/whiteglove/whiteglove/internal/authz"
	"github.com/whiteglove/whiteglove/internal/content"
	"github.com/whiteglove/whiteglove/internal/graph/ljson"
)

// Content serves app package uploads (resumable, Graph upload-session
// style) and downloads (with HTTP ranges) under /api/content.
type Content struct {
	store   *content.Store
	uploads *content.Uploads
	log     *slog.Logger
}

// NewContent returns the content endpoints.
func NewContent(st *content.Store, up *content.Uploads, log *slog.Logger) *Content {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Content{store: st, uploads: up, log: log}
}

var (
	contentWrite = authz.AnyOf(authz.DeviceManagementAppsReadWrite)
	contentRead  = authz.AnyOf(authz.DeviceManagementAppsReadWrite, authz.DeviceManagementServiceConfigRead, authz.DeviceManagementServiceConfigReadWrite)
)

// Register adds the content routes.
//
//	POST   /api/content/uploadSessions            {"size": n, "sha256": "…"} → 201 session
//	PUT    /api/content/uploadSessions/{id}       a chunk, with Content-Range: bytes a-b/total
//	GET    /api/content/uploadSessions/{id}       progress: {"nextExpectedRanges": ["n-"]}
//	POST   /api/content/uploadSessions/{id}/commit → 201 {"sha256", "size"}
//	DELETE /api/content/uploadSessions/{id}
//	GET    /api/content/blobs/{sha256}            the blob, with Range support
func (c *Content) Register(rt *Router) {
	rt.HandleVersions(API, "POST", "/content/uploadSessions", contentWrite, c.begin)
	rt.HandleVersions(API, "PUT", "/content/uploadSessions/{id}", contentWrite, c.chunk)
	rt.HandleVersions(API, "PATCH", "/content/uploadSessions/{id}", contentWrite, c.chunk)
	rt.HandleVersions(API, "GET", "/content/uploadSessions/{id}", contentWrite, c.status)
	rt.HandleVersions(API, "POST", "/content/uploadSessions/{id}/commit", contentWrite, c.commit)
	rt.HandleVersions(API, "DELETE", "/content/uploadSessions/{id}", contentWrite, c.abort)
	rt.HandleVersions(API, "GET", "/content/blobs/{sha}", contentRead, c.blob)
}

var beginSchema = &ljson.Schema{Name: "uploadSession", Props: map[string]ljson.Prop{
	"size":   {Kind: ljson.Int, Min: i64(0)},
	"sha256": {Kind: ljson.String, MaxLen: 64, Nullable: true},
}}

func (c *Content) begin(w http.ResponseWriter, r *http.Request, _ Params) {
	obj, err := decode(w, r, beginSchema)
	if err != nil {
		return
	}
	size, ok := obj.Int("size")
	if !ok {
		WriteError(w, r, http.StatusBadRequest, CodeBadRequest, "size (bytes) is required.")
		return
	}
	sha, _ := obj.String("sha256")
	s, err := c.uploads.Begin(r.Context(), size, sha)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{
		"id": s.ID, "size": s.Size, "expirationDateTime": s.Expires,
		"uploadUrl": baseURL(r) + "/api/content/uploadSessions/" + s.ID, "nextExpectedRanges": []string{"0-"},
	})
}

func (c *Content) handler() content.UploadHandler {
	return content.UploadHandler{Uploads: c.uploads, Log: c.log}
}

func (c *Content) chunk(w http.ResponseWriter, r *http.Request, p Params) {
	c.handler().Chunk(w, r, p["id"])
}

func (c *Content) status(w http.ResponseWriter, r *http.Request, p Params) {
	c.handler().Status(w, r, p["id"])
}

func (c *Content) commit(w http.ResponseWriter, r *http.Request, p Params) {
	c.handler().Commit(w, r, p["id"])
}

func (c *Content) abort(w http.ResponseWriter, r *http.Request, p Params) {
	c.handler().Abort(w, r, p["id"])
}

func (c *Content) blob(w http.ResponseWriter, r *http.Request, p Params) {
	c.store.ServeBlob(w, r, p["sha"])
}

// fail answers a content error with the status it calls for.
func (c *Content) fail(w http.ResponseWriter, r *http.Request, err error) {
	status := content.HTTPStatus(err)
	if status >= 500 {
		writeServiceError(w, r, c.log, err)
		return
	}
	WriteError(w, r, status, CodeBadRequest, err.Error())
}
