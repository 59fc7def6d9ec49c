package content

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/whiteglove/whiteglove/internal/apperr"
)

// ErrInvalidDigest is returned for a SHA-256 digest that is not 64
// lower-case hex digits.
var ErrInvalidDigest = errors.New("invalid SHA-256 digest: want 64 lower-case hex digits")

// ErrTooLarge is returned when content is over a limit: a Put over its
// maxSize, an upload larger than allowed or than its declared size, a
// package entry or package over its size, count or compression-ratio limits.
// Nothing of the rejected content is kept.
var ErrTooLarge = errors.New("content too large")

// ErrDigestMismatch is returned when content does not hash to the SHA-256
// the client declared. The upload session is discarded.
var ErrDigestMismatch = errors.New("SHA-256 mismatch")

// ErrIncomplete is returned by Commit for a session that has not received
// all its bytes yet; the session is kept so the client can send the rest.
var ErrIncomplete = errors.New("upload incomplete")

// ErrInvalidPackage is returned for an archive that is not a valid
// whiteglove app package; the wrapping error says which entry and why.
var ErrInvalidPackage = errors.New("invalid app package")

// errClientRead marks a failure to read the client's bytes (connection
// dropped, body shorter than announced): the client's problem, not ours.
var errClientRead = errors.New("reading the uploaded bytes")

// OffsetError is returned by Append when a chunk does not start at the
// session's current offset. Offset is where the next chunk must start.
type OffsetError struct {
	Offset int64 // the session's current offset
	Got    int64 // the offset the client sent
}

// Error says where the chunk started and where the client must resume.
func (e *OffsetError) Error() string {
	return fmt.Sprintf("chunk starts at byte %d but the upload has %d bytes: send again from byte %d", e.Got, e.Offset, e.Offset)
}

// notFound wraps apperr.ErrNotFound with what was missing.
func notFound(format string, args ...any) error {
	return fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), apperr.ErrNotFound)
}

// HTTPStatus maps an error from this package to an HTTP status code: 404 for
// missing blobs and sessions (including one discarded as unusable), 416 for
// an [*OffsetError], 413 for [ErrTooLarge], 400 for invalid input and for
// request bodies that broke off, 409 for an incomplete or committed session,
// 503 when the context ended, 500 otherwise. A nil error is 200.
func HTTPStatus(err error) int {
	var off *OffsetError
	var inv *apperr.InvalidError
	var st *apperr.StateError
	switch {
	case err == nil:
		return http.StatusOK
	case errors.Is(err, apperr.ErrNotFound), errors.Is(err, errCorruptSession):
		return http.StatusNotFound
	case errors.As(err, &off):
		return http.StatusRequestedRangeNotSatisfiable
	case errors.Is(err, ErrTooLarge):
		return http.StatusRequestEntityTooLarge
	case errors.Is(err, ErrInvalidDigest), errors.Is(err, ErrDigestMismatch),
		errors.Is(err, ErrInvalidPackage), errors.Is(err, errClientRead), errors.As(err, &inv):
		return http.StatusBadRequest
	case errors.Is(err, ErrIncomplete), errors.As(err, &st):
		return http.StatusConflict
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable
	default:
		return http.StatusInternalServerError
	}
}
