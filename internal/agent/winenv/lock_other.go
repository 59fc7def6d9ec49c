//go:build !unix

package winenv

import "sync"

// lockMu stands in for flock where it is not available: it excludes
// goroutines of this process only.
var lockMu sync.RWMutex

// lockPath locks the in-process mutex.
func lockPath(_ string, exclusive bool) (unlock func(), err error) {
	if exclusive {
		lockMu.Lock()
		return lockMu.Unlock, nil
	}
	lockMu.RLock()
	return lockMu.RUnlock, nil
}
