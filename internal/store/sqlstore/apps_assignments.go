package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/whiteglove/whiteglove/internal/apps"
	"github.com/whiteglove/whiteglove/internal/assign"
)

const catalogAssignmentCols = "owner_id, id, intent, target_kind, group_id, collection_id, filter_id, filter_type, notifications"

// catalogAssignment is one catalog_assignments row.
type catalogAssignment struct {
	owner, intent, notifications string
	apps.Assignment
}

// catalogAssignments reads the assignments of one kind of owner (all of
// them when ownerID is ""), grouped by owner id in the order given.
func (r catalogReader) catalogAssignments(ctx context.Context, kind apps.ItemKind, ownerID string) (map[string][]catalogAssignment, error) {
	q := "SELECT " + catalogAssignmentCols + " FROM catalog_assignments WHERE owner_kind = ?"
	args := []any{string(kind)}
	if ownerID != "" {
		q += " AND owner_id = ?"
		args = append(args, strings.ToLower(ownerID))
	}
	rows, err := r.q.Query(ctx, q+" ORDER BY owner_id, position", args...)
	if err != nil {
		return nil, fmt.Errorf("listing %s assignments: %w", kind, err)
	}
	defer rows.Close()
	out := map[string][]catalogAssignment{}
	for rows.Next() {
		var a catalogAssignment
		var tk string
		t := &a.Target
		if err := rows.Scan(&a.owner, &a.ID, &a.intent, &tk, &t.GroupID, &t.CollectionID, &t.FilterID, &t.FilterType, &a.notifications); err != nil {
			return nil, fmt.Errorf("reading %s assignment row: %w", kind, err)
		}
		t.Kind = assign.Kind(tk)
		out[a.owner] = append(out[a.owner], a)
	}
	return out, rows.Err()
}

// appAssignments returns app assignments keyed by app id.
func (r catalogReader) appAssignments(ctx context.Context, appID string) (map[string][]apps.AppAssignment, error) {
	rows, err := r.catalogAssignments(ctx, apps.ItemApp, appID)
	if err != nil {
		return nil, err
	}
	out := make(map[string][]apps.AppAssignment, len(rows))
	for owner, as := range rows {
		for _, a := range as {
			out[owner] = append(out[owner], apps.AppAssignment{ID: a.ID, Intent: apps.Intent(a.intent), Target: a.Target, Notifications: a.notifications})
		}
	}
	return out, nil
}

// assignmentsOf returns policy or script assignments keyed by owner id.
func (r catalogReader) assignmentsOf(ctx context.Context, kind apps.ItemKind, ownerID string) (map[string][]apps.Assignment, error) {
	rows, err := r.catalogAssignments(ctx, kind, ownerID)
	if err != nil {
		return nil, err
	}
	out := make(map[string][]apps.Assignment, len(rows))
	for owner, as := range rows {
		for _, a := range as {
			out[owner] = append(out[owner], a.Assignment)
		}
	}
	return out, nil
}

// ReplaceAppAssignments replaces an app's assignments, kept in order.
func (t *catalogTx) ReplaceAppAssignments(ctx context.Context, appID string, as []apps.AppAssignment) error {
	rows := make([]catalogAssignment, len(as))
	for i, a := range as {
		rows[i] = catalogAssignment{intent: string(a.Intent), notifications: a.Notifications, Assignment: apps.Assignment{ID: a.ID, Target: a.Target}}
	}
	return t.replaceCatalogAssignments(ctx, apps.ItemApp, appID, rows)
}

// ReplaceAssignments replaces a policy's or script's assignments.
func (t *catalogTx) ReplaceAssignments(ctx context.Context, kind apps.ItemKind, ownerID string, as []apps.Assignment) error {
	rows := make([]catalogAssignment, len(as))
	for i, a := range as {
		rows[i] = catalogAssignment{Assignment: a}
	}
	return t.replaceCatalogAssignments(ctx, kind, ownerID, rows)
}

func (t *catalogTx) replaceCatalogAssignments(ctx context.Context, kind apps.ItemKind, ownerID string, rows []catalogAssignment) error {
	ownerID = strings.ToLower(ownerID)
	if _, err := t.q.Exec(ctx, "DELETE FROM catalog_assignments WHERE owner_kind = ? AND owner_id = ?", string(kind), ownerID); err != nil {
		return fmt.Errorf("clearing assignments of %s %s: %w", kind, ownerID, err)
	}
	for i, a := range rows {
		tg := a.Target
		_, err := t.q.Exec(ctx, "INSERT INTO catalog_assignments (owner_kind, position, "+catalogAssignmentCols+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			string(kind), i, ownerID, a.ID, a.intent, string(tg.Kind), tg.GroupID, tg.CollectionID, tg.FilterID, tg.FilterType, a.notifications)
		if err != nil {
			return conflict(err, "assignment "+a.ID+" of "+string(kind)+" "+ownerID)
		}
	}
	return nil
}
