//go:build !linux

package winenv

import (
	"os"
	"time"
)

// createdTime stands in for a file's creation time with its modification
// time where the status-change time is not read.
func createdTime(fi os.FileInfo) time.Time { return fi.ModTime() }
