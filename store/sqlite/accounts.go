package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"minyi"
)

const userColumns = `login, name, role, department, password_hash, disabled, last_login, created`

func scanUser(row interface{ Scan(...any) error }) (minyi.User, error) {
	var u minyi.User
	var disabled int
	var last, created sql.NullInt64
	err := row.Scan(&u.Login, &u.Name, &u.Role, &u.Department, &u.PasswordHash, &disabled, &last, &created)
	u.Disabled = disabled != 0
	u.LastLogin, u.Created = fromUnix(last), fromUnix(created)
	return u, err
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// CreateUser inserts u; ECONFLICT when the login is taken.
func (s *Store) CreateUser(ctx context.Context, u minyi.User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	if u.Created.IsZero() {
		u.Created = time.Now()
	}
	res, err := s.write.ExecContext(ctx, `INSERT INTO users (`+userColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (login) DO NOTHING`,
		u.Login, u.Name, string(u.Role), u.Department, u.PasswordHash, boolInt(u.Disabled), unixTime(u.LastLogin), unixTime(u.Created))
	if err != nil {
		return fmt.Errorf("sqlite: create user: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return minyi.Errorf(minyi.ECONFLICT, "user %q exists", u.Login)
	}
	return nil
}

// UpdateUser replaces an existing user's fields but Created.
func (s *Store) UpdateUser(ctx context.Context, u minyi.User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	res, err := s.write.ExecContext(ctx, `UPDATE users SET name = ?, role = ?, department = ?, password_hash = ?,
		disabled = ?, last_login = ? WHERE login = ?`,
		u.Name, string(u.Role), u.Department, u.PasswordHash, boolInt(u.Disabled), unixTime(u.LastLogin), u.Login)
	if err != nil {
		return fmt.Errorf("sqlite: update user: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return minyi.Errorf(minyi.ENOTFOUND, "no user %q", u.Login)
	}
	return nil
}

// User returns one user by login.
func (s *Store) User(ctx context.Context, login string) (*minyi.User, error) {
	u, err := scanUser(s.read.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE login = ?`, login))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, minyi.Errorf(minyi.ENOTFOUND, "no user %q", login)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: user: %w", err)
	}
	return &u, nil
}

// Users lists every user by login.
func (s *Store) Users(ctx context.Context) ([]minyi.User, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+userColumns+` FROM users ORDER BY login`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: users: %w", err)
	}
	defer rows.Close()
	var out []minyi.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: users: %w", err)
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: users: %w", err)
	}
	return out, nil
}

// CreateSession stores a new session.
func (s *Store) CreateSession(ctx context.Context, ses minyi.Session) error {
	if ses.IDHash == "" || ses.Login == "" {
		return minyi.Errorf(minyi.EINVALID, "session needs an id hash and a login")
	}
	res, err := s.write.ExecContext(ctx, `INSERT INTO sessions (id_hash, login, csrf, created, last_seen)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (id_hash) DO NOTHING`,
		ses.IDHash, ses.Login, ses.CSRF, ses.Created.Unix(), ses.LastSeen.Unix())
	if err != nil {
		return fmt.Errorf("sqlite: create session: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return minyi.Errorf(minyi.ECONFLICT, "session exists")
	}
	return nil
}

// Session returns a session by the hash of its cookie.
func (s *Store) Session(ctx context.Context, idHash string) (*minyi.Session, error) {
	var ses minyi.Session
	var created, seen sql.NullInt64
	err := s.read.QueryRowContext(ctx, `SELECT id_hash, login, csrf, created, last_seen FROM sessions WHERE id_hash = ?`, idHash).
		Scan(&ses.IDHash, &ses.Login, &ses.CSRF, &created, &seen)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, minyi.Errorf(minyi.ENOTFOUND, "no such session")
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: session: %w", err)
	}
	ses.Created, ses.LastSeen = fromUnix(created), fromUnix(seen)
	return &ses, nil
}

// TouchSession records activity on a session.
func (s *Store) TouchSession(ctx context.Context, idHash string, at time.Time) error {
	res, err := s.write.ExecContext(ctx, `UPDATE sessions SET last_seen = ? WHERE id_hash = ?`, at.Unix(), idHash)
	if err != nil {
		return fmt.Errorf("sqlite: touch session: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return minyi.Errorf(minyi.ENOTFOUND, "no such session")
	}
	return nil
}

// DeleteSession ends one session.
func (s *Store) DeleteSession(ctx context.Context, idHash string) error {
	if _, err := s.write.ExecContext(ctx, `DELETE FROM sessions WHERE id_hash = ?`, idHash); err != nil {
		return fmt.Errorf("sqlite: delete session: %w", err)
	}
	return nil
}

// DeleteUserSessions ends every session of login.
func (s *Store) DeleteUserSessions(ctx context.Context, login string) error {
	if _, err := s.write.ExecContext(ctx, `DELETE FROM sessions WHERE login = ?`, login); err != nil {
		return fmt.Errorf("sqlite: delete sessions: %w", err)
	}
	return nil
}

// CreateAPIToken stores a token by its hash.
func (s *Store) CreateAPIToken(ctx context.Context, t minyi.APIToken) error {
	if t.ID == "" || t.Login == "" || t.TokenHash == "" {
		return minyi.Errorf(minyi.EINVALID, "API token needs an id, a login and a hash")
	}
	if t.Created.IsZero() {
		t.Created = time.Now()
	}
	res, err := s.write.ExecContext(ctx, `INSERT INTO api_tokens (id, login, name, token_hash, created, last_used)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		t.ID, t.Login, t.Name, t.TokenHash, t.Created.Unix(), unixTime(t.LastUsed))
	if err != nil {
		return fmt.Errorf("sqlite: create API token: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return minyi.Errorf(minyi.ECONFLICT, "API token exists")
	}
	return nil
}

const tokenColumns = `id, login, name, token_hash, created, last_used`

func scanToken(row interface{ Scan(...any) error }) (minyi.APIToken, error) {
	var t minyi.APIToken
	var created, used sql.NullInt64
	err := row.Scan(&t.ID, &t.Login, &t.Name, &t.TokenHash, &created, &used)
	t.Created, t.LastUsed = fromUnix(created), fromUnix(used)
	return t, err
}

// APITokens lists the tokens of login, oldest first.
func (s *Store) APITokens(ctx context.Context, login string) ([]minyi.APIToken, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE login = ? ORDER BY created, id`, login)
	if err != nil {
		return nil, fmt.Errorf("sqlite: API tokens: %w", err)
	}
	defer rows.Close()
	var out []minyi.APIToken
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: API tokens: %w", err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: API tokens: %w", err)
	}
	return out, nil
}

// APITokenByHash finds a token by the hash of its value.
func (s *Store) APITokenByHash(ctx context.Context, tokenHash string) (*minyi.APIToken, error) {
	t, err := scanToken(s.read.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE token_hash = ?`, tokenHash))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, minyi.Errorf(minyi.ENOTFOUND, "no such API token")
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: API token: %w", err)
	}
	return &t, nil
}

// DeleteAPIToken revokes a token of login.
func (s *Store) DeleteAPIToken(ctx context.Context, login, id string) error {
	res, err := s.write.ExecContext(ctx, `DELETE FROM api_tokens WHERE login = ? AND id = ?`, login, id)
	if err != nil {
		return fmt.Errorf("sqlite: delete API token: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return minyi.Errorf(minyi.ENOTFOUND, "user %q has no API token %q", login, id)
	}
	return nil
}

// TouchAPIToken records a use of a token.
func (s *Store) TouchAPIToken(ctx context.Context, id string, at time.Time) error {
	if _, err := s.write.ExecContext(ctx, `UPDATE api_tokens SET last_used = ? WHERE id = ?`, at.Unix(), id); err != nil {
		return fmt.Errorf("sqlite: touch API token: %w", err)
	}
	return nil
}

// AppendAudit adds an entry to the audit log.
func (s *Store) AppendAudit(ctx context.Context, e minyi.AuditEntry) error {
	if e.Action == "" {
		return minyi.Errorf(minyi.EINVALID, "audit entry has no action")
	}
	if e.At.IsZero() {
		e.At = time.Now()
	}
	_, err := s.write.ExecContext(ctx, `INSERT INTO audit_log (at, actor, action, target, detail, address) VALUES (?, ?, ?, ?, ?, ?)`,
		e.At.Unix(), e.Actor, e.Action, e.Target, e.Detail, e.Address)
	if err != nil {
		return fmt.Errorf("sqlite: append audit: %w", err)
	}
	return nil
}

// Audit returns the newest entries first.
func (s *Store) Audit(ctx context.Context, limit int) ([]minyi.AuditEntry, error) {
	if limit < 1 {
		return nil, minyi.Errorf(minyi.EINVALID, "audit limit must be at least 1, got %d", limit)
	}
	rows, err := s.read.QueryContext(ctx, `SELECT seq, at, actor, action, target, detail, address FROM audit_log
		ORDER BY seq DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: audit: %w", err)
	}
	defer rows.Close()
	var out []minyi.AuditEntry
	for rows.Next() {
		var e minyi.AuditEntry
		var at sql.NullInt64
		if err := rows.Scan(&e.Seq, &at, &e.Actor, &e.Action, &e.Target, &e.Detail, &e.Address); err != nil {
			return nil, fmt.Errorf("sqlite: audit: %w", err)
		}
		e.At = fromUnix(at)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: audit: %w", err)
	}
	return out, nil
}
