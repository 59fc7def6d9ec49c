package graph

import (
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/whiteglove/whiteglove/internal/graph/ljson"
)

// MaxBody is the largest request body accepted, after decompression: an
// import of 1,000 devices as the PowerShell module shapes them is ~4.5 MB.
const MaxBody = 16 << 20

// errResponded means the handler already wrote an error response.
var errResponded = errors.New("response written")

// readBody returns the request body, gunzipping it when the client sent
// Content-Encoding: gzip (the Graph SDKs do). Oversize bodies are refused.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	var src io.Reader = http.MaxBytesReader(w, r.Body, MaxBody)
	switch enc := strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Encoding"))); enc {
	case "", "identity":
	case "gzip":
		zr, err := gzip.NewReader(src)
		if err != nil {
			WriteError(w, r, http.StatusBadRequest, CodeBadRequest, "The request body is not valid gzip.")
			return nil, errResponded
		}
		defer zr.Close()
		src = io.LimitReader(zr, MaxBody+1)
	default:
		WriteError(w, r, http.StatusUnsupportedMediaType, CodeUnsupportedMedia, fmt.Sprintf("Content-Encoding %q is not supported; send the body plain or gzip-compressed.", enc))
		return nil, errResponded
	}
	b, err := io.ReadAll(src)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) || len(b) > MaxBody {
		WriteError(w, r, http.StatusRequestEntityTooLarge, CodeTooLarge, fmt.Sprintf("The request body is larger than %d bytes.", MaxBody))
		return nil, errResponded
	}
	if err != nil {
		WriteError(w, r, http.StatusBadRequest, CodeBadRequest, "The request body could not be read: "+err.Error())
		return nil, errResponded
	}
	return b, nil
}

// decode reads and validates a JSON body against schema; on failure it has
// written a 400 naming the problem.
func decode(w http.ResponseWriter, r *http.Request, schema *ljson.Schema) (*ljson.Object, error) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, _ := strings.Cut(strings.ToLower(ct), ";")
		mt = strings.TrimSpace(mt)
		if mt != "application/json" && !strings.HasSuffix(mt, "+json") && mt != "text/json" && mt != "text/plain" {
			WriteError(w, r, http.StatusUnsupportedMediaType, CodeUnsupportedMedia, "Content-Type "+mt+" is not supported; send application/json.")
			return nil, errResponded
		}
	}
	b, err := readBody(w, r)
	if err != nil {
		return nil, err
	}
	obj, err := ljson.Decode(b, schema)
	if err != nil {
		msg := err.Error()
		if errors.Is(err, ljson.ErrEmptyBody) {
			msg = "The request body is empty; a JSON object is required."
		}
		WriteError(w, r, http.StatusBadRequest, CodeBadRequest, msg)
		return nil, errResponded
	}
	return obj, nil
}

// checkType refuses a body whose @odata.type names another entity type.
// A missing @odata.type is fine; a leading '#' is optional.
func checkType(w http.ResponseWriter, r *http.Request, obj *ljson.Object, allowed ...string) bool {
	if obj.Type == "" {
		return true
	}
	for _, a := range allowed {
		if strings.EqualFold(obj.Type, a) {
			return true
		}
	}
	WriteError(w, r, http.StatusBadRequest, CodeBadRequest, "@odata.type #"+obj.Type+" does not fit here; expected #"+strings.Join(allowed, " or #")+".")
	return false
}
