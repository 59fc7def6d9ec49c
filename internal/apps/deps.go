package apps

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/whiteglove/whiteglove/internal/apperr"
)

// checkDependencies validates the new dependency list of app a inside tx
// and returns it in canonical form (stored ids, duplicates dropped): every
// dependency is another existing Win32 app, the graph stays acyclic, and a
// installs after at most MaxDependencies apps, direct and indirect.
func checkDependencies(ctx context.Context, tx Tx, a App, deps []string) ([]string, error) {
	if len(deps) == 0 {
		return nil, nil
	}
	if a.Kind != Win32 {
		return nil, apperr.Invalid("only win32LobApp apps can have dependencies; %q is a %s", a.DisplayName, a.ODataType)
	}
	out := make([]string, 0, len(deps))
	seen := map[string]bool{}
	for i, id := range deps {
		d, err := tx.App(ctx, id)
		if errors.Is(err, apperr.ErrNotFound) {
			return nil, apperr.Invalid("dependencies[%d]: app %s does not exist", i, id)
		}
		if err != nil {
			return nil, err
		}
		switch {
		case d.ID == a.ID:
			return nil, apperr.Invalid("dependencies[%d]: an app cannot depend on itself", i)
		case d.Kind != Win32:
			return nil, apperr.Invalid("dependencies[%d]: %q is a %s; a Win32 app can only depend on other win32LobApp apps", i, d.DisplayName, d.ODataType)
		case seen[d.ID]:
			continue
		}
		seen[d.ID] = true
		out = append(out, d.ID)
	}
	graph, err := tx.Dependencies(ctx)
	if err != nil {
		return nil, err
	}
	graph[a.ID] = out
	if path := cycleFrom(graph, a.ID); path != nil {
		names, err := appNames(ctx, tx, path)
		if err != nil {
			return nil, err
		}
		return nil, apperr.Invalid("these dependencies would form a cycle: %s; remove one of them", strings.Join(names, " → "))
	}
	if n := len(reachable(graph, a.ID)); n > MaxDependencies {
		return nil, apperr.Invalid("%q would depend on %d apps directly and indirectly; at most %d are allowed", a.DisplayName, n, MaxDependencies)
	}
	return out, nil
}

// cycleFrom returns a dependency path from start back to start (both ends
// included), or nil when start is on no cycle.
func cycleFrom(graph map[string][]string, start string) []string {
	var path []string
	done := map[string]bool{}
	var visit func(id string) bool
	visit = func(id string) bool {
		path = append(path, id)
		for _, next := range graph[id] {
			if next == start {
				path = append(path, start)
				return true
			}
			if !done[next] {
				done[next] = true
				if visit(next) {
					return true
				}
			}
		}
		path = path[:len(path)-1]
		return false
	}
	if visit(start) {
		return path
	}
	return nil
}

// reachable returns every app start depends on, directly or indirectly.
func reachable(graph map[string][]string, start string) map[string]bool {
	seen := map[string]bool{}
	stack := append([]string(nil), graph[start]...)
	for len(stack) > 0 {
		id := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[id] || id == start {
			continue
		}
		seen[id] = true
		stack = append(stack, graph[id]...)
	}
	return seen
}

// dependents returns the ids of the apps that depend directly on id.
func dependents(graph map[string][]string, id string) []string {
	var out []string
	for from, deps := range graph {
		for _, d := range deps {
			if d == id {
				out = append(out, from)
				break
			}
		}
	}
	return out
}

// appNames quotes the display names of ids for messages.
func appNames(ctx context.Context, r Reader, ids []string) ([]string, error) {
	out := make([]string, len(ids))
	for i, id := range ids {
		a, err := r.App(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("naming app %s: %w", id, err)
		}
		out[i] = fmt.Sprintf("%q", a.DisplayName)
	}
	return out, nil
}
