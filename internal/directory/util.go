package directory

import (
	"fmt"
	"strings"
	"time"
)

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }

func equalFold(a, b string) bool { return strings.EqualFold(a, b) }

// now is truncated to microseconds so values survive both databases intact.
func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }
