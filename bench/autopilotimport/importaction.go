package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/whiteglove/whiteglove/internal/autopilot/aptest"
)

const importPath = "/beta/deviceManagement/importedWindowsAutopilotDeviceIdentities"

// importResult is what the import action measured.
type importResult struct {
	elapsed time.Duration
	client  []time.Duration // assignedInSync seen − complete seen, per sample
	server  []time.Duration // deploymentProfileAssignedDateTime − completed_at
	first   int             // samples that read assignedInSync on the first identity GET
}

// sample is one import the poller follows like Get-WindowsAutopilotInfo.
type sample struct {
	importID   string
	complete   time.Time // when a GET first read complete
	inSync     time.Time // when a GET of the identity first read assignedInSync
	assignedAt time.Time // the identity's deploymentProfileAssignedDateTime
	reads      int       // identity GETs until assignedInSync
}

// serial is the serial number of device i in a run ("IMP", "CSV", …).
func serial(prefix string, i int) string {
	return prefix + "-" + strconv.Itoa(1_000_000_000 + i)[1:]
}

// importBody is one import action call for devices first…first+count-1.
// Each identity carries only what it needs: with a real 4,000-character
// hash, 1,000 identities in the shape WindowsAutopilotIntune sends (with
// @odata.type and a state object, about 4.35 KB each) exceed the Graph
// body limit (graph.MaxBody, 4 MiB) and are refused with 413.
func importBody(first, count int) []byte {
	var b bytes.Buffer
	b.Grow(count * 4100)
	b.WriteString(`{"importedWindowsAutopilotDeviceIdentities":[`)
	for i := range count {
		s := serial("IMP", first+i)
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"serialNumber":"`)
		b.WriteString(s)
		b.WriteString(`","groupTag":"Bench","hardwareIdentifier":"`)
		b.WriteString(aptest.Hash(s))
		b.WriteString(`"}`)
	}
	b.WriteString("]}")
	return b.Bytes()
}

// importAction imports n devices through the import action in batches of
// 1,000 from several clients, follows every sampleEvery-th import like a
// polling client, and waits until every device is registered and assigned.
func importAction(ctx context.Context, t *tenant, n, clients, sampleEvery int) (importResult, error) {
	const batch = 1000
	var res importResult
	jobs := make(chan int)
	samples := make(chan *sample, n/sampleEvery+1)
	errc := make(chan error, clients+1)
	var wg sync.WaitGroup
	var submitted atomic.Int64
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	start := time.Now()
	for range clients {
		wg.Go(func() {
			for first := range jobs {
				count := min(batch, n-first)
				var out struct {
					Value []struct {
						ID    string `json:"id"`
						State struct {
							Status string `json:"deviceImportStatus"`
						} `json:"state"`
					} `json:"value"`
				}
				code, err := t.call(ctx, "POST", importPath+"/import", importBody(first, count), &out)
				if err == nil && (code != 200 || len(out.Value) != count) {
					err = fmt.Errorf("import action: HTTP %d with %d of %d imports", code, len(out.Value), count)
				}
				if err != nil {
					errc <- err
					cancel()
					return
				}
				submitted.Add(int64(count))
				for i, v := range out.Value {
					if v.State.Status != "unknown" || v.ID == "" {
						errc <- fmt.Errorf("import action answered %q for device %d, want unknown", v.State.Status, first+i)
						cancel()
						return
					}
					if (first+i)%sampleEvery == 0 {
						samples <- &sample{importID: v.ID}
					}
				}
			}
		})
	}
	var polled []*sample
	pollDone := make(chan struct{})
	go func() {
		defer close(pollDone)
		var err error
		if polled, err = poll(ctx, t, samples); err != nil {
			errc <- err
			cancel()
		}
	}()
	go func() {
		defer close(samples)
		defer wg.Wait()
		defer close(jobs)
		for first := 0; first < n; first += batch {
			select {
			case jobs <- first:
			case <-ctx.Done():
				return
			}
		}
	}()

	elapsed, err := t.waitRegistered(ctx, n, start, func() int { return int(submitted.Load()) }, "import action")
	select {
	case e := <-errc:
		return res, e
	default:
	}
	if err != nil {
		return res, err
	}
	res.elapsed = elapsed
	fmt.Fprintf(os.Stderr, "  import action: every device registered and assigned after %.1fs; waiting for the poller\n", elapsed.Seconds())
	select {
	case <-pollDone:
	case e := <-errc:
		return res, e
	case <-time.After(2 * time.Minute):
		return res, fmt.Errorf("the sampled imports were not all seen assignedInSync within 2 minutes of the last registration")
	}
	select {
	case e := <-errc:
		return res, e
	default:
	}
	return res, res.delays(ctx, t, polled)
}

// poll follows sampled imports in submission order, as Get-WindowsAutopilotInfo
// does: GET the import until it reads complete, then GET the identity until
// it reads assignedInSync. The eight oldest unfinished samples are polled in
// each round, every 20 ms.
func poll(ctx context.Context, t *tenant, in <-chan *sample) ([]*sample, error) {
	var pending, done []*sample
	open := true
	for open || len(pending) > 0 {
		if len(pending) == 0 {
			s, ok := <-in
			if !ok {
				break
			}
			pending = append(pending, s)
		}
	drain:
		for open {
			select {
			case s, ok := <-in:
				if !ok {
					open = false
					break drain
				}
				pending = append(pending, s)
			default:
				break drain
			}
		}
		kept := pending[:0]
		for i, s := range pending {
			if i >= 8 {
				kept = append(kept, s)
				continue
			}
			finished, err := follow(ctx, t, s)
			if err != nil {
				return nil, err
			}
			if finished {
				done = append(done, s)
			} else {
				kept = append(kept, s)
			}
		}
		pending = kept
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
	return done, nil
}

// follow reads one sampled import; once complete, it reads the identity
// until assignedInSync. It reports whether the sample is finished.
func follow(ctx context.Context, t *tenant, s *sample) (bool, error) {
	var im struct {
		State struct {
			Status string `json:"deviceImportStatus"`
			ZTD    string `json:"deviceRegistrationId"`
			Error  string `json:"deviceErrorName"`
		} `json:"state"`
	}
	code, err := t.call(ctx, "GET", importPath+"/"+s.importID, nil, &im)
	if err != nil || code != 200 {
		return false, fmt.Errorf("reading import %s: HTTP %d %v", s.importID, code, err)
	}
	switch im.State.Status {
	case "unknown":
		return false, nil
	case "complete":
	default:
		return false, fmt.Errorf("import %s ended %s (%s), want complete", s.importID, im.State.Status, im.State.Error)
	}
	s.complete = time.Now()
	deadline := s.complete.Add(30 * time.Second)
	for {
		var dev struct {
			Status     string    `json:"deploymentProfileAssignmentStatus"`
			AssignedAt time.Time `json:"deploymentProfileAssignedDateTime"`
		}
		s.reads++
		code, err := t.call(ctx, "GET", "/beta/deviceManagement/windowsAutopilotDeviceIdentities/"+im.State.ZTD, nil, &dev)
		if err != nil || code != 200 {
			return false, fmt.Errorf("reading identity %s: HTTP %d %v", im.State.ZTD, code, err)
		}
		if dev.Status == "assignedInSync" {
			s.inSync, s.assignedAt = time.Now(), dev.AssignedAt
			return true, nil
		}
		if time.Now().After(deadline) {
			return false, fmt.Errorf("identity %s still reads %s 30 s after its import completed", im.State.ZTD, dev.Status)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// delays fills in the client- and server-side assignment delays; the
// server side compares the identity's deploymentProfileAssignedDateTime with
// the import's autopilot_imports.completed_at.
func (r *importResult) delays(ctx context.Context, t *tenant, ss []*sample) error {
	completed := map[string]time.Time{}
	for i := 0; i < len(ss); i += 500 {
		part := ss[i:min(i+500, len(ss))]
		args := make([]any, len(part))
		for j, s := range part {
			args[j] = strings.ToLower(s.importID)
		}
		rows, err := t.db.Query(ctx, "SELECT id, completed_at FROM autopilot_imports WHERE id IN (?"+strings.Repeat(", ?", len(part)-1)+")", args...)
		if err != nil {
			return fmt.Errorf("reading completion times: %w", err)
		}
		for rows.Next() {
			var id, at string
			if err := rows.Scan(&id, &at); err != nil {
				rows.Close()
				return err
			}
			ts, err := time.Parse(time.RFC3339Nano, at)
			if err != nil {
				rows.Close()
				return fmt.Errorf("import %s completed_at %q: %w", id, at, err)
			}
			completed[id] = ts
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	for _, s := range ss {
		r.client = append(r.client, s.inSync.Sub(s.complete))
		if s.reads == 1 {
			r.first++
		}
		c, ok := completed[strings.ToLower(s.importID)]
		if !ok {
			return fmt.Errorf("import %s has no completion time", s.importID)
		}
		r.server = append(r.server, s.assignedAt.Sub(c))
	}
	return nil
}
