package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"minyi"
)

var _ minyi.SettingsStore = (*Store)(nil)

func checkSetting(key string, base int, value []byte) error {
	switch {
	case strings.TrimSpace(key) == "":
		return minyi.Errorf(minyi.EINVALID, "a setting needs a key")
	case base < 0:
		return minyi.Errorf(minyi.EINVALID, "setting %q: base version %d is negative", key, base)
	case !json.Valid(value):
		return minyi.Errorf(minyi.EINVALID, "setting %q: the value is not valid JSON", key)
	}
	return nil
}

// PutSetting inserts version base+1; the primary key (key, version) makes a
// concurrent save of the same base fail, and the check of the current
// version inside the transaction makes a stale base fail.
func (s *Store) PutSetting(ctx context.Context, key string, base int, value []byte, author string, at time.Time) (minyi.Setting, error) {
	if err := checkSetting(key, base, value); err != nil {
		return minyi.Setting{}, err
	}
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return minyi.Setting{}, fmt.Errorf("sqlite: put setting %q: %w", key, err)
	}
	defer tx.Rollback()
	var current int
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM settings WHERE key = ?`, key).Scan(&current); err != nil {
		return minyi.Setting{}, fmt.Errorf("sqlite: put setting %q: %w", key, err)
	}
	if current != base {
		return minyi.Setting{}, minyi.Errorf(minyi.ECONFLICT,
			"setting %q was changed meanwhile: version %d is in force, the edit started from %d", key, current, base)
	}
	out := minyi.Setting{Key: key, Version: base + 1, Value: append([]byte(nil), value...), Author: author,
		At: at.UTC().Truncate(time.Second)}
	if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, version, value, author, at) VALUES (?, ?, ?, ?, ?)`,
		key, out.Version, string(value), author, out.At.Unix()); err != nil {
		return minyi.Setting{}, fmt.Errorf("sqlite: put setting %q: %w", key, err)
	}
	if err := tx.Commit(); err != nil {
		return minyi.Setting{}, fmt.Errorf("sqlite: put setting %q: %w", key, err)
	}
	return out, nil
}

func (s *Store) Setting(ctx context.Context, key string) (minyi.Setting, error) {
	list, err := s.SettingHistory(ctx, key, 1)
	if err != nil {
		return minyi.Setting{}, err
	}
	if len(list) == 0 {
		return minyi.Setting{}, minyi.Errorf(minyi.ENOTFOUND, "setting %q was never saved", key)
	}
	return list[0], nil
}

func (s *Store) SettingHistory(ctx context.Context, key string, limit int) ([]minyi.Setting, error) {
	if limit < 1 {
		return nil, minyi.Errorf(minyi.EINVALID, "setting history: limit %d is below 1", limit)
	}
	rows, err := s.read.QueryContext(ctx, `SELECT version, value, author, at FROM settings
		WHERE key = ? ORDER BY version DESC LIMIT ?`, key, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: setting history %q: %w", key, err)
	}
	out := []minyi.Setting{}
	err = eachRow(rows, func() error {
		st := minyi.Setting{Key: key}
		var value string
		var at int64
		if err := rows.Scan(&st.Version, &value, &st.Author, &at); err != nil {
			return err
		}
		st.Value, st.At = []byte(value), fromUnix(sql.NullInt64{Int64: at, Valid: true})
		out = append(out, st)
		return nil
	})
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return nil, err
		}
		return nil, fmt.Errorf("sqlite: setting history %q: %w", key, err)
	}
	return out, nil
}
