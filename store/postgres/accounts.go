package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"minyi"
)

const userColumns = `login, name, role, department, password_hash, disabled, last_login, created`

func scanUser(row pgx.Row) (minyi.User, error) {
	var u minyi.User
	var role string
	var last, created *time.Time
	err := row.Scan(&u.Login, &u.Name, &role, &u.Department, &u.PasswordHash, &u.Disabled, &last, &created)
	u.Role = minyi.Role(role)
	u.LastLogin, u.Created = fromDB(last), fromDB(created)
	return u, err
}

// CreateUser inserts u; ECONFLICT when the login is taken.
func (s *Store) CreateUser(ctx context.Context, u minyi.User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	if u.Created.IsZero() {
		u.Created = time.Now()
	}
	tag, err := s.pool.Exec(ctx, `INSERT INTO users (`+userColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (login) DO NOTHING`,
		u.Login, u.Name, string(u.Role), u.Department, u.PasswordHash, u.Disabled, dbTime(u.LastLogin), dbTime(u.Created))
	if err != nil {
		return fmt.Errorf("postgres: create user: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return minyi.Errorf(minyi.ECONFLICT, "user %q exists", u.Login)
	}
	return nil
}

// UpdateUser replaces an existing user's fields but Created.
func (s *Store) UpdateUser(ctx context.Context, u minyi.User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	tag, err := s.pool.Exec(ctx, `UPDATE users SET name = $1, role = $2, department = $3, password_hash = $4,
		disabled = $5, last_login = $6 WHERE login = $7`,
		u.Name, string(u.Role), u.Department, u.PasswordHash, u.Disabled, dbTime(u.LastLogin), u.Login)
	if err != nil {
		return fmt.Errorf("postgres: update user: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return minyi.Errorf(minyi.ENOTFOUND, "no user %q", u.Login)
	}
	return nil
}

// User returns one user by login.
func (s *Store) User(ctx context.Context, login string) (*minyi.User, error) {
	u, err := scanUser(s.pool.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE login = $1`, login))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, minyi.Errorf(minyi.ENOTFOUND, "no user %q", login)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: user: %w", err)
	}
	return &u, nil
}

// Users lists every user by login.
func (s *Store) Users(ctx context.Context) ([]minyi.User, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+userColumns+` FROM users ORDER BY login`)
	if err != nil {
		return nil, fmt.Errorf("postgres: users: %w", err)
	}
	defer rows.Close()
	var out []minyi.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: users: %w", err)
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: users: %w", err)
	}
	return out, nil
}

// CreateSession stores a new session.
func (s *Store) CreateSession(ctx context.Context, ses minyi.Session) error {
	if ses.IDHash == "" || ses.Login == "" {
		return minyi.Errorf(minyi.EINVALID, "session needs an id hash and a login")
	}
	tag, err := s.pool.Exec(ctx, `INSERT INTO sessions (id_hash, login, csrf, created, last_seen)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id_hash) DO NOTHING`,
		ses.IDHash, ses.Login, ses.CSRF, dbTime(ses.Created), dbTime(ses.LastSeen))
	if err != nil {
		return fmt.Errorf("postgres: create session: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return minyi.Errorf(minyi.ECONFLICT, "session exists")
	}
	return nil
}

// Session returns a session by the hash of its cookie.
func (s *Store) Session(ctx context.Context, idHash string) (*minyi.Session, error) {
	var ses minyi.Session
	var created, seen *time.Time
	err := s.pool.QueryRow(ctx, `SELECT id_hash, login, csrf, created, last_seen FROM sessions WHERE id_hash = $1`, idHash).
		Scan(&ses.IDHash, &ses.Login, &ses.CSRF, &created, &seen)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, minyi.Errorf(minyi.ENOTFOUND, "no such session")
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: session: %w", err)
	}
	ses.Created, ses.LastSeen = fromDB(created), fromDB(seen)
	return &ses, nil
}

// TouchSession records activity on a session.
func (s *Store) TouchSession(ctx context.Context, idHash string, at time.Time) error {
	tag, err := s.pool.Exec(ctx, `UPDATE sessions SET last_seen = $1 WHERE id_hash = $2`, dbTime(at), idHash)
	if err != nil {
		return fmt.Errorf("postgres: touch session: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return minyi.Errorf(minyi.ENOTFOUND, "no such session")
	}
	return nil
}

// DeleteSession ends one session.
func (s *Store) DeleteSession(ctx context.Context, idHash string) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM sessions WHERE id_hash = $1`, idHash); err != nil {
		return fmt.Errorf("postgres: delete session: %w", err)
	}
	return nil
}

// DeleteUserSessions ends every session of login.
func (s *Store) DeleteUserSessions(ctx context.Context, login string) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM sessions WHERE login = $1`, login); err != nil {
		return fmt.Errorf("postgres: delete sessions: %w", err)
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
	tag, err := s.pool.Exec(ctx, `INSERT INTO api_tokens (id, login, name, token_hash, created, last_used)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
		t.ID, t.Login, t.Name, t.TokenHash, dbTime(t.Created), dbTime(t.LastUsed))
	if err != nil {
		return fmt.Errorf("postgres: create API token: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return minyi.Errorf(minyi.ECONFLICT, "API token exists")
	}
	return nil
}

const tokenColumns = `id, login, name, token_hash, created, last_used`

func scanToken(row pgx.Row) (minyi.APIToken, error) {
	var t minyi.APIToken
	var created, used *time.Time
	err := row.Scan(&t.ID, &t.Login, &t.Name, &t.TokenHash, &created, &used)
	t.Created, t.LastUsed = fromDB(created), fromDB(used)
	return t, err
}

// APITokens lists the tokens of login, oldest first.
func (s *Store) APITokens(ctx context.Context, login string) ([]minyi.APIToken, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE login = $1 ORDER BY created, id COLLATE "C"`, login)
	if err != nil {
		return nil, fmt.Errorf("postgres: API tokens: %w", err)
	}
	defer rows.Close()
	var out []minyi.APIToken
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: API tokens: %w", err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: API tokens: %w", err)
	}
	return out, nil
}

// APITokenByHash finds a token by the hash of its value.
func (s *Store) APITokenByHash(ctx context.Context, tokenHash string) (*minyi.APIToken, error) {
	t, err := scanToken(s.pool.QueryRow(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE token_hash = $1`, tokenHash))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, minyi.Errorf(minyi.ENOTFOUND, "no such API token")
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: API token: %w", err)
	}
	return &t, nil
}

// DeleteAPIToken revokes a token of login.
func (s *Store) DeleteAPIToken(ctx context.Context, login, id string) error {
	tag, err := s.pool.Exec(ctx, `DELETE FROM api_tokens WHERE login = $1 AND id = $2`, login, id)
	if err != nil {
		return fmt.Errorf("postgres: delete API token: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return minyi.Errorf(minyi.ENOTFOUND, "user %q has no API token %q", login, id)
	}
	return nil
}

// TouchAPIToken records a use of a token.
func (s *Store) TouchAPIToken(ctx context.Context, id string, at time.Time) error {
	if _, err := s.pool.Exec(ctx, `UPDATE api_tokens SET last_used = $1 WHERE id = $2`, dbTime(at), id); err != nil {
		return fmt.Errorf("postgres: touch API token: %w", err)
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
	_, err := s.pool.Exec(ctx, `INSERT INTO audit_log (at, actor, action, target, detail, address) VALUES ($1, $2, $3, $4, $5, $6)`,
		dbTime(e.At), e.Actor, e.Action, e.Target, e.Detail, e.Address)
	if err != nil {
		return fmt.Errorf("postgres: append audit: %w", err)
	}
	return nil
}

// Audit returns the newest entries first.
func (s *Store) Audit(ctx context.Context, limit int) ([]minyi.AuditEntry, error) {
	if limit < 1 {
		return nil, minyi.Errorf(minyi.EINVALID, "audit limit must be at least 1, got %d", limit)
	}
	rows, err := s.pool.Query(ctx, `SELECT seq, at, actor, action, target, detail, address FROM audit_log
		ORDER BY seq DESC LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: audit: %w", err)
	}
	defer rows.Close()
	var out []minyi.AuditEntry
	for rows.Next() {
		var e minyi.AuditEntry
		var at *time.Time
		if err := rows.Scan(&e.Seq, &at, &e.Actor, &e.Action, &e.Target, &e.Detail, &e.Address); err != nil {
			return nil, fmt.Errorf("postgres: audit: %w", err)
		}
		e.At = fromDB(at)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: audit: %w", err)
	}
	return out, nil
}
