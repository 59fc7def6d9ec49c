// Package apperr holds the error kinds every domain package returns and the
// HTTP layers map: not found, conflict, invalid input, and refused because of
// the object's state. Domain packages wrap these with what they were doing.
package apperr

import (
	"errors"
	"fmt"
)

// ErrNotFound is returned when an object does not exist.
var ErrNotFound = errors.New("not found")

// ErrConflict is returned when an object with the same unique key exists.
var ErrConflict = errors.New("already exists")

// InvalidError is a request refused because of its content; Msg says why
// and what to do.
type InvalidError struct{ Msg string }

func (e *InvalidError) Error() string { return e.Msg }

// Invalid returns an InvalidError.
func Invalid(format string, args ...any) error {
	return &InvalidError{Msg: fmt.Sprintf(format, args...)}
}

// StateError is a request refused because of the object's current state
// (deleting an enrolled device, a profile that is still assigned); Msg says
// what must change first.
type StateError struct{ Msg string }

func (e *StateError) Error() string { return e.Msg }

// State returns a StateError.
func State(format string, args ...any) error {
	return &StateError{Msg: fmt.Sprintf(format, args...)}
}
