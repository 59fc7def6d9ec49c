package graph

import (
	"encoding/json"
	"net/http"
	"time"
)

// Error codes used in Graph-shaped error bodies.
const (
	CodeBadRequest       = "BadRequest"
	CodeRequestBad       = "Request_BadRequest"
	CodeNotFound         = "Request_ResourceNotFound"
	CodeUnauthenticated  = "InvalidAuthenticationToken"
	CodeForbidden        = "Authorization_RequestDenied"
	CodeMethodNotAllowed = "MethodNotAllowed"
	CodeTooLarge         = "RequestEntityTooLarge"
	CodeUnsupportedMedia = "UnsupportedMediaType"
	CodeInternal         = "InternalServerError"
	CodeConflict         = "Conflict"
)

type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code       string     `json:"code"`
	Message    string     `json:"message"`
	InnerError innerError `json:"innerError"`
}

type innerError struct {
	Date            string `json:"date"`
	RequestID       string `json:"request-id"`
	ClientRequestID string `json:"client-request-id"`
}

// WriteError writes a Graph-shaped error: status, code and message, with the
// request's ids so a caller can quote them.
func WriteError(w http.ResponseWriter, r *http.Request, status int, code, msg string) {
	body := errorBody{Error: errorDetail{
		Code:    code,
		Message: msg,
		InnerError: innerError{
			Date:            time.Now().UTC().Format("2006-01-02T15:04:05"),
			RequestID:       RequestID(r.Context()),
			ClientRequestID: r.Header.Get("client-request-id"),
		},
	}}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}
