package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"minyi"
)

const userColumns = `login, name, role, department, password_hash, disabled, last_login, created`

func scanUser(row Row) (minyi.User, error) {
	var u minyi.User
	err := row.Scan(&u.Login, &u.Name, &u.Role, &u.Department, &u.PasswordHash, &u.Disabled,
		timeOf(&u.LastLogin), timeOf(&u.Created))
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
	n, err := s.c.Write().Exec(ctx, s.sql(`INSERT INTO users (`+userColumns+`) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
		ON CONFLICT (login) DO NOTHING`),
		u.Login, u.Name, string(u.Role), u.Department, u.PasswordHash, u.Disabled, s.time(u.LastLogin), s.time(u.Created))
	if err != nil {
		return s.errorf("create user: %w", err)
	}
	if n == 0 {
		return minyi.Errorf(minyi.ECONFLICT, "user %q exists", u.Login)
	}
	return nil
}

// UpdateUser replaces an existing user's fields but Created.
func (s *Store) UpdateUser(ctx context.Context, u minyi.User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	n, err := s.c.Write().Exec(ctx, s.sql(`UPDATE users SET name = ?1, role = ?2, department = ?3, password_hash = ?4,
		disabled = ?5, last_login = ?6 WHERE login = ?7`),
		u.Name, string(u.Role), u.Department, u.PasswordHash, u.Disabled, s.time(u.LastLogin), u.Login)
	if err != nil {
		return s.errorf("update user: %w", err)
	}
	if n == 0 {
		return minyi.Errorf(minyi.ENOTFOUND, "no user %q", u.Login)
	}
	return nil
}

// User returns one user by login.
func (s *Store) User(ctx context.Context, login string) (*minyi.User, error) {
	u, err := scanUser(s.c.Read().QueryRow(ctx, s.sql(`SELECT `+userColumns+` FROM users WHERE login = ?1`), login))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, minyi.Errorf(minyi.ENOTFOUND, "no user %q", login)
	}
	if err != nil {
		return nil, s.errorf("user: %w", err)
	}
	return &u, nil
}

// Users lists every user by login.
func (s *Store) Users(ctx context.Context) ([]minyi.User, error) {
	rows, err := s.c.Read().Query(ctx, `SELECT `+userColumns+` FROM users ORDER BY login`)
	var out []minyi.User
	err = each(rows, err, func(r Rows) error {
		u, err := scanUser(r)
		out = append(out, u)
		return err
	})
	if err != nil {
		return nil, s.errorf("users: %w", err)
	}
	return out, nil
}

// CreateSession stores a new session.
func (s *Store) CreateSession(ctx context.Context, ses minyi.Session) error {
	if ses.IDHash == "" || ses.Login == "" {
		return minyi.Errorf(minyi.EINVALID, "session needs an id hash and a login")
	}
	n, err := s.c.Write().Exec(ctx, s.sql(`INSERT INTO sessions (id_hash, login, csrf, created, last_seen)
		VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (id_hash) DO NOTHING`),
		ses.IDHash, ses.Login, ses.CSRF, s.time(ses.Created), s.time(ses.LastSeen))
	if err != nil {
		return s.errorf("create session: %w", err)
	}
	if n == 0 {
		return minyi.Errorf(minyi.ECONFLICT, "session exists")
	}
	return nil
}

// Session returns a session by the hash of its cookie.
func (s *Store) Session(ctx context.Context, idHash string) (*minyi.Session, error) {
	var ses minyi.Session
	err := s.c.Read().QueryRow(ctx, s.sql(`SELECT id_hash, login, csrf, created, last_seen FROM sessions WHERE id_hash = ?1`), idHash).
		Scan(&ses.IDHash, &ses.Login, &ses.CSRF, timeOf(&ses.Created), timeOf(&ses.LastSeen))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, minyi.Errorf(minyi.ENOTFOUND, "no such session")
	}
	if err != nil {
		return nil, s.errorf("session: %w", err)
	}
	return &ses, nil
}

// TouchSession records activity on a session.
func (s *Store) TouchSession(ctx context.Context, idHash string, at time.Time) error {
	n, err := s.c.Write().Exec(ctx, s.sql(`UPDATE sessions SET last_seen = ?1 WHERE id_hash = ?2`), s.time(at), idHash)
	if err != nil {
		return s.errorf("touch session: %w", err)
	}
	if n == 0 {
		return minyi.Errorf(minyi.ENOTFOUND, "no such session")
	}
	return nil
}

// DeleteSession ends one session.
func (s *Store) DeleteSession(ctx context.Context, idHash string) error {
	if _, err := s.c.Write().Exec(ctx, s.sql(`DELETE FROM sessions WHERE id_hash = ?1`), idHash); err != nil {
		return s.errorf("delete session: %w", err)
	}
	return nil
}

// DeleteUserSessions ends every session of login.
func (s *Store) DeleteUserSessions(ctx context.Context, login string) error {
	if _, err := s.c.Write().Exec(ctx, s.sql(`DELETE FROM sessions WHERE login = ?1`), login); err != nil {
		return s.errorf("delete sessions: %w", err)
	}
	return nil
}
