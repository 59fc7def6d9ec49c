package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/whiteglove/whiteglove/internal/directory"
)

const groupCols = `id, display_name, description, mail_nickname, mail_enabled, security_enabled, group_types,
	membership_rule, rule_processing_state, created_at, updated_at`

func scanGroup(s scanner) (directory.Group, error) {
	var g directory.Group
	var types, created, updated string
	err := s.Scan(&g.ID, &g.DisplayName, &g.Description, &g.MailNickname, &g.MailEnabled, &g.SecurityEnabled, &types,
		&g.MembershipRule, &g.RuleProcessingState, &created, &updated)
	if err != nil {
		return g, err
	}
	g.CreatedAt, g.UpdatedAt = parseTS(created), parseTS(updated)
	g.GroupTypes, err = parseList(types)
	return g, err
}

// Group returns a group by id.
func (r reader) Group(ctx context.Context, id string) (directory.Group, error) {
	g, err := scanGroup(r.q.QueryRow(ctx, "SELECT "+groupCols+" FROM groups_ WHERE id = ?", strings.ToLower(id)))
	return g, notFound(err, "group "+id)
}

// Groups returns every group ordered by display name.
func (r reader) Groups(ctx context.Context) ([]directory.Group, error) {
	rows, err := r.q.Query(ctx, "SELECT "+groupCols+" FROM groups_ ORDER BY display_name, id")
	if err != nil {
		return nil, fmt.Errorf("listing groups: %w", err)
	}
	defer rows.Close()
	var out []directory.Group
	for rows.Next() {
		g, err := scanGroup(rows)
		if err != nil {
			return nil, fmt.Errorf("reading group row: %w", err)
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// Members returns a group's members.
func (r reader) Members(ctx context.Context, groupID string) ([]directory.Member, error) {
	rows, err := r.q.Query(ctx, "SELECT member_id, member_type, source FROM group_members WHERE group_id = ? ORDER BY member_id", strings.ToLower(groupID))
	if err != nil {
		return nil, fmt.Errorf("listing members of %s: %w", groupID, err)
	}
	defer rows.Close()
	var out []directory.Member
	for rows.Next() {
		var m directory.Member
		if err := rows.Scan(&m.ID, &m.Type, &m.Source); err != nil {
			return nil, fmt.Errorf("reading member row: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// MemberUsers returns the users in a group, in one query.
func (r reader) MemberUsers(ctx context.Context, groupID string) ([]directory.User, error) {
	var out []directory.User
	q := "SELECT " + prefixed("u.", userCols) + " FROM group_members m JOIN users u ON u.id = m.member_id WHERE m.group_id = ? ORDER BY u.upn_key"
	rows, err := r.q.Query(ctx, q, strings.ToLower(groupID))
	if err != nil {
		return nil, fmt.Errorf("listing user members of %s: %w", groupID, err)
	}
	defer rows.Close()
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("reading user member: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// MemberDevices returns the devices in a group, in one query.
func (r reader) MemberDevices(ctx context.Context, groupID string) ([]directory.Device, error) {
	var out []directory.Device
	q := "SELECT " + prefixed("d.", deviceCols) + " FROM group_members m JOIN devices d ON d.id = m.member_id WHERE m.group_id = ? ORDER BY d.display_name, d.id"
	rows, err := r.q.Query(ctx, q, strings.ToLower(groupID))
	if err != nil {
		return nil, fmt.Errorf("listing device members of %s: %w", groupID, err)
	}
	defer rows.Close()
	for rows.Next() {
		d, err := scanDevice(rows)
		if err != nil {
			return nil, fmt.Errorf("reading device member: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// prefixed qualifies a comma-separated column list with a table alias.
func prefixed(alias, cols string) string {
	parts := strings.Split(cols, ",")
	for i, p := range parts {
		parts[i] = alias + strings.TrimSpace(p)
	}
	return strings.Join(parts, ", ")
}

// GroupsWithUsers returns the ids of groups that hold at least one user.
func (r reader) GroupsWithUsers(ctx context.Context) (map[string]bool, error) {
	ids, err := r.strings(ctx, "SELECT DISTINCT group_id FROM group_members WHERE member_type = ?", directory.MemberUser)
	if err != nil {
		return nil, fmt.Errorf("listing groups with users: %w", err)
	}
	out := make(map[string]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}

// MemberOf returns the groups an object belongs to.
func (r reader) MemberOf(ctx context.Context, objectID string) ([]string, error) {
	return r.strings(ctx, "SELECT group_id FROM group_members WHERE member_id = ? ORDER BY group_id", strings.ToLower(objectID))
}

func (r reader) strings(ctx context.Context, q string, args ...any) ([]string, error) {
	rows, err := r.q.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("querying: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

func (t *dirTx) DynamicRules(ctx context.Context) ([]directory.RuleRow, error) {
	rows, err := t.q.Query(ctx, "SELECT id, membership_rule FROM groups_ WHERE membership_rule <> '' AND rule_processing_state = ?", directory.RuleProcessingOn)
	if err != nil {
		return nil, fmt.Errorf("listing dynamic rules: %w", err)
	}
	defer rows.Close()
	var out []directory.RuleRow
	for rows.Next() {
		var r directory.RuleRow
		if err := rows.Scan(&r.GroupID, &r.Rule); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func (t *dirTx) DynamicGroupsOf(ctx context.Context, objectID string) ([]string, error) {
	return t.strings(ctx, `SELECT m.group_id FROM group_members m JOIN groups_ g ON g.id = m.group_id
		WHERE m.member_id = ? AND m.source = ? AND g.rule_processing_state = ?`, strings.ToLower(objectID), directory.SourceDynamic, directory.RuleProcessingOn)
}

func (t *dirTx) PutGroup(ctx context.Context, g directory.Group, create bool) error {
	args := []any{g.DisplayName, g.Description, g.MailNickname, g.MailEnabled, g.SecurityEnabled, jsonList(g.GroupTypes),
		g.MembershipRule, g.RuleProcessingState, ts(g.CreatedAt), ts(g.UpdatedAt), strings.ToLower(g.ID)}
	var res sql.Result
	var err error
	if create {
		res, err = t.q.Exec(ctx, `INSERT INTO groups_ (display_name, description, mail_nickname, mail_enabled, security_enabled,
			group_types, membership_rule, rule_processing_state, created_at, updated_at, id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, args...)
	} else {
		res, err = t.q.Exec(ctx, `UPDATE groups_ SET display_name = ?, description = ?, mail_nickname = ?, mail_enabled = ?,
			security_enabled = ?, group_types = ?, membership_rule = ?, rule_processing_state = ?, created_at = ?, updated_at = ?
			WHERE id = ?`, args...)
	}
	return mustAffect(res, err, "group "+g.DisplayName)
}

func (t *dirTx) DeleteGroup(ctx context.Context, id string) error {
	if _, err := t.q.Exec(ctx, "DELETE FROM group_members WHERE group_id = ?", strings.ToLower(id)); err != nil {
		return fmt.Errorf("deleting members of group %s: %w", id, err)
	}
	res, err := t.q.Exec(ctx, "DELETE FROM groups_ WHERE id = ?", strings.ToLower(id))
	return mustAffect(res, err, "group "+id)
}

// batch is how many rows one multi-row statement writes: well under
// SQLite's 32766 and PostgreSQL's 65535 parameter limits.
const batch = 500

func (t *dirTx) AddMembers(ctx context.Context, groupID string, ms []directory.Member) error {
	gid := strings.ToLower(groupID)
	for start := 0; start < len(ms); start += batch {
		part := ms[start:min(start+batch, len(ms))]
		var b strings.Builder
		b.WriteString("INSERT INTO group_members (group_id, member_id, member_type, source) VALUES ")
		args := make([]any, 0, len(part)*4)
		for i, m := range part {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(?, ?, ?, ?)")
			args = append(args, gid, strings.ToLower(m.ID), m.Type, m.Source)
		}
		if _, err := t.q.Exec(ctx, b.String(), args...); err != nil {
			return conflict(err, "group members")
		}
	}
	return nil
}

func (t *dirTx) RemoveMembers(ctx context.Context, groupID string, ids []string) error {
	gid := strings.ToLower(groupID)
	for start := 0; start < len(ids); start += batch {
		part := ids[start:min(start+batch, len(ids))]
		args := make([]any, 0, len(part)+1)
		args = append(args, gid)
		for _, id := range part {
			args = append(args, strings.ToLower(id))
		}
		q := "DELETE FROM group_members WHERE group_id = ? AND member_id IN " + inList(len(part))
		if _, err := t.q.Exec(ctx, q, args...); err != nil {
			return fmt.Errorf("removing group members: %w", err)
		}
	}
	return nil
}

func (t *dirTx) RemoveFromAllGroups(ctx context.Context, objectID string) error {
	if _, err := t.q.Exec(ctx, "DELETE FROM group_members WHERE member_id = ?", strings.ToLower(objectID)); err != nil {
		return fmt.Errorf("removing memberships of %s: %w", objectID, err)
	}
	return nil
}
