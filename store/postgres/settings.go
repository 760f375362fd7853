package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

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

// PutSetting inserts version base+1 if base is the version in force. Two
// saves from the same base race for the primary key (key, version): the
// loser gets ECONFLICT.
func (s *Store) PutSetting(ctx context.Context, key string, base int, value []byte, author string, at time.Time) (minyi.Setting, error) {
	if err := checkSetting(key, base, value); err != nil {
		return minyi.Setting{}, err
	}
	out := minyi.Setting{Key: key, Version: base + 1, Value: append([]byte(nil), value...), Author: author,
		At: at.UTC().Truncate(time.Second)}
	tag, err := s.pool.Exec(ctx, `INSERT INTO settings (key, version, value, author, at)
		SELECT $1, $2, $3::jsonb, $4, $5
		WHERE (SELECT coalesce(max(version), 0) FROM settings WHERE key = $1) = $6`,
		key, out.Version, string(value), author, out.At, base)
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23505" {
		tag, err = pgconn.NewCommandTag("INSERT 0 0"), nil
	}
	if err != nil {
		return minyi.Setting{}, fmt.Errorf("postgres: put setting %q: %w", key, err)
	}
	if tag.RowsAffected() == 0 {
		return minyi.Setting{}, minyi.Errorf(minyi.ECONFLICT,
			"setting %q was changed meanwhile: the edit started from version %d, which is no longer in force", key, base)
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
	rows, _ := s.pool.Query(ctx, `SELECT version, value::text, author, at FROM settings
		WHERE key = $1 ORDER BY version DESC LIMIT $2`, key, limit)
	out := []minyi.Setting{}
	var st minyi.Setting
	var value string
	_, err := pgx.ForEachRow(rows, []any{&st.Version, &value, &st.Author, &st.At}, func() error {
		out = append(out, minyi.Setting{Key: key, Version: st.Version, Value: []byte(value), Author: st.Author, At: st.At.UTC()})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: setting history %q: %w", key, err)
	}
	return out, nil
}
