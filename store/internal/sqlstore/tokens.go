package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"minyi"
)

const tokenColumns = `id, login, name, token_hash, created, last_used`

func scanToken(row Row) (minyi.APIToken, error) {
	var t minyi.APIToken
	err := row.Scan(&t.ID, &t.Login, &t.Name, &t.TokenHash, timeOf(&t.Created), timeOf(&t.LastUsed))
	return t, err
}

// CreateAPIToken stores a token by its hash.
func (s *Store) CreateAPIToken(ctx context.Context, t minyi.APIToken) error {
	if t.ID == "" || t.Login == "" || t.TokenHash == "" {
		return minyi.Errorf(minyi.EINVALID, "API token needs an id, a login and a hash")
	}
	if t.Created.IsZero() {
		t.Created = time.Now()
	}
	n, err := s.c.Write().Exec(ctx, s.sql(`INSERT INTO api_tokens (id, login, name, token_hash, created, last_used)
		VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING`),
		t.ID, t.Login, t.Name, t.TokenHash, s.time(t.Created), s.time(t.LastUsed))
	if err != nil {
		return s.errorf("create API token: %w", err)
	}
	if n == 0 {
		return minyi.Errorf(minyi.ECONFLICT, "API token exists")
	}
	return nil
}

// APITokens lists the tokens of login, oldest first.
func (s *Store) APITokens(ctx context.Context, login string) ([]minyi.APIToken, error) {
	rows, err := s.c.Read().Query(ctx, s.sql(`SELECT `+tokenColumns+` FROM api_tokens WHERE login = ?1
		ORDER BY created, id `+s.d.BytewiseCollation), login)
	var out []minyi.APIToken
	err = each(rows, err, func(r Rows) error {
		t, err := scanToken(r)
		out = append(out, t)
		return err
	})
	if err != nil {
		return nil, s.errorf("API tokens: %w", err)
	}
	return out, nil
}

// APITokenByHash finds a token by the hash of its value.
func (s *Store) APITokenByHash(ctx context.Context, tokenHash string) (*minyi.APIToken, error) {
	t, err := scanToken(s.c.Read().QueryRow(ctx, s.sql(`SELECT `+tokenColumns+` FROM api_tokens WHERE token_hash = ?1`), tokenHash))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, minyi.Errorf(minyi.ENOTFOUND, "no such API token")
	}
	if err != nil {
		return nil, s.errorf("API token: %w", err)
	}
	return &t, nil
}

// DeleteAPIToken revokes a token of login.
func (s *Store) DeleteAPIToken(ctx context.Context, login, id string) error {
	n, err := s.c.Write().Exec(ctx, s.sql(`DELETE FROM api_tokens WHERE login = ?1 AND id = ?2`), login, id)
	if err != nil {
		return s.errorf("delete API token: %w", err)
	}
	if n == 0 {
		return minyi.Errorf(minyi.ENOTFOUND, "user %q has no API token %q", login, id)
	}
	return nil
}

// TouchAPIToken records a use of a token.
func (s *Store) TouchAPIToken(ctx context.Context, id string, at time.Time) error {
	if _, err := s.c.Write().Exec(ctx, s.sql(`UPDATE api_tokens SET last_used = ?1 WHERE id = ?2`), s.time(at), id); err != nil {
		return s.errorf("touch API token: %w", err)
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
	// Entries of requests served at once share a transaction (inGroupTx),
	// with the portal letters they record.
	err := s.inGroupTx(ctx, func(tx DB) error {
		_, err := tx.Exec(ctx, s.sql(`INSERT INTO audit_log (at, actor, action, target, detail, address)
			VALUES (?1, ?2, ?3, ?4, ?5, ?6)`), s.time(e.At), e.Actor, e.Action, e.Target, e.Detail, e.Address)
		return err
	})
	if err != nil {
		return s.errorf("append audit: %w", err)
	}
	return nil
}

// Audit returns the newest entries first.
func (s *Store) Audit(ctx context.Context, limit int) ([]minyi.AuditEntry, error) {
	if limit < 1 {
		return nil, minyi.Errorf(minyi.EINVALID, "audit limit must be at least 1, got %d", limit)
	}
	rows, err := s.c.Read().Query(ctx, s.sql(`SELECT seq, at, actor, action, target, detail, address FROM audit_log
		ORDER BY seq DESC LIMIT ?1`), limit)
	var out []minyi.AuditEntry
	err = each(rows, err, func(r Rows) error {
		var e minyi.AuditEntry
		err := r.Scan(&e.Seq, timeOf(&e.At), &e.Actor, &e.Action, &e.Target, &e.Detail, &e.Address)
		out = append(out, e)
		return err
	})
	if err != nil {
		return nil, s.errorf("audit: %w", err)
	}
	return out, nil
}
