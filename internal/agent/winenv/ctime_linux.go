//go:build linux

package winenv

import (
	"os"
	"syscall"
	"time"
)

// createdTime stands in for a file's creation time: Linux's stat has no
// birth time, so the status-change time is used (for a file an installer
// wrote and left alone, that is when it was created).
func createdTime(fi os.FileInfo) time.Time {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return time.Unix(st.Ctim.Sec, st.Ctim.Nsec)
	}
	return fi.ModTime()
}
