package winenv

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// maxOutput is how much of a script's stdout and stderr RunScript keeps.
const maxOutput = 64 << 10

// defaultPath is PATH for scripts when the process has none.
const defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// RunScript runs a script with /bin/sh as f.User would on Windows: the
// script is written to a file under Root/tmp, runs in a fresh temporary
// working directory with Vars(f.User) plus PATH and HOME (the profile), and
// both are removed afterwards. stdout and stderr keep their first 64 KiB
// each. exit is the exit status; err is set when the script could not be
// started, was killed by a signal, or ctx ended (exit is -1 then).
func (e *Env) RunScript(ctx context.Context, content []byte, f Facts) (exit int, stdout, stderr string, err error) {
	if err := CheckUser(f.User); err != nil {
		return -1, "", "", fmt.Errorf("running a script: %w", err)
	}
	tmp := filepath.Join(e.Root, "tmp")
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return -1, "", "", fmt.Errorf("running a script: %w", err)
	}
	vars := winVars(f.User, false)
	for _, dir := range []string{vars["TEMP"], vars["APPDATA"], vars["LOCALAPPDATA"]} {
		if err := os.MkdirAll(e.realPath(dir), 0o755); err != nil {
			return -1, "", "", fmt.Errorf("running a script: creating the profile: %w", err)
		}
	}
	work, err := os.MkdirTemp(tmp, "run-")
	if err != nil {
		return -1, "", "", fmt.Errorf("running a script: %w", err)
	}
	defer os.RemoveAll(work)
	file := filepath.Join(work, "script.sh")
	if err := os.WriteFile(file, content, 0o600); err != nil {
		return -1, "", "", fmt.Errorf("running a script: writing it: %w", err)
	}
	cwd := filepath.Join(work, "cwd")
	if err := os.Mkdir(cwd, 0o755); err != nil {
		return -1, "", "", fmt.Errorf("running a script: %w", err)
	}
	path := os.Getenv("PATH")
	if path == "" {
		path = defaultPath
	}
	cmd := exec.CommandContext(ctx, "/bin/sh", file)
	cmd.Dir = cwd
	cmd.Env = append(e.Vars(f.User), "PATH="+path, "HOME="+e.realPath(profile(f.User)))
	var out, errOut capped
	cmd.Stdout, cmd.Stderr = &out, &errOut
	cmd.WaitDelay = 5 * time.Second
	runErr := cmd.Run()
	stdout, stderr = out.String(), errOut.String()
	if ctx.Err() != nil {
		return -1, stdout, stderr, fmt.Errorf("running a script: %w", ctx.Err())
	}
	var ee *exec.ExitError
	switch {
	case runErr == nil:
		return 0, stdout, stderr, nil
	case errors.As(runErr, &ee) && ee.ExitCode() >= 0:
		return ee.ExitCode(), stdout, stderr, nil
	}
	return -1, stdout, stderr, fmt.Errorf("running a script: %w", runErr)
}

// capped keeps the first maxOutput bytes written to it and discards the
// rest, never failing.
type capped struct{ buf bytes.Buffer }

func (c *capped) Write(p []byte) (int, error) {
	if room := maxOutput - c.buf.Len(); room > 0 {
		c.buf.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

func (c *capped) String() string { return c.buf.String() }
