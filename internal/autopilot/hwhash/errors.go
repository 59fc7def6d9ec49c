package hwhash

import (
	"errors"
	"fmt"
)

// ErrInvalid matches every error this package returns, via errors.Is.
var ErrInvalid = errors.New("invalid hardware hash")

// InvalidError reports why a hardware hash (or a Hash given to Encode) is not
// valid. Reason is a short English phrase without the "invalid hardware hash"
// prefix, suitable for an API error message.
type InvalidError struct {
	Reason string
}

// Error returns "invalid hardware hash: " followed by the reason.
func (e *InvalidError) Error() string { return "invalid hardware hash: " + e.Reason }

// Is reports whether target is ErrInvalid, so errors.Is(err, ErrInvalid)
// holds for every *InvalidError.
func (e *InvalidError) Is(target error) bool { return target == ErrInvalid }

// invalidf returns an *InvalidError with a formatted reason.
func invalidf(format string, args ...any) error {
	return &InvalidError{Reason: fmt.Sprintf(format, args...)}
}
