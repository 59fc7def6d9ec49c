package graph

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/whiteglove/whiteglove/internal/apperr"
	"github.com/whiteglove/whiteglove/internal/directory"
)

// writeServiceError maps a domain error to a Graph error response. Errors
// the caller cannot act on are logged and answered with a 500 that quotes
// the request id, never with internal detail.
func writeServiceError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	if errors.Is(err, errResponded) {
		return
	}
	if log == nil {
		log = slog.Default()
	}
	var inv *apperr.InvalidError
	var st *apperr.StateError
	var rerr *directory.RuleError
	switch {
	case errors.Is(err, apperr.ErrNotFound):
		WriteError(w, r, http.StatusNotFound, CodeNotFound, "Resource does not exist or one of its queried reference-property objects are not present: "+err.Error())
	case errors.Is(err, apperr.ErrConflict):
		WriteError(w, r, http.StatusBadRequest, CodeRequestBad, "Another object with the same value for a unique property already exists: "+err.Error())
	case errors.As(err, &rerr):
		WriteError(w, r, http.StatusBadRequest, CodeRequestBad, "Invalid membershipRule: "+rerr.Err.Error())
	case errors.As(err, &inv):
		WriteError(w, r, http.StatusBadRequest, CodeRequestBad, inv.Msg)
	case errors.As(err, &st):
		WriteError(w, r, http.StatusConflict, CodeConflict, st.Msg)
	case errors.Is(err, directory.ErrDynamicGroup):
		WriteError(w, r, http.StatusBadRequest, CodeRequestBad, directory.ErrDynamicGroup.Error())
	case errors.Is(err, directory.ErrNoSeats):
		WriteError(w, r, http.StatusBadRequest, CodeRequestBad, "License assignment failed: "+err.Error())
	default:
		log.Error("request failed", "path", r.URL.Path, "method", r.Method, "request_id", RequestID(r.Context()), "err", err)
		WriteError(w, r, http.StatusInternalServerError, CodeInternal, "An internal error occurred; quote the request-id when reporting it.")
	}
}
