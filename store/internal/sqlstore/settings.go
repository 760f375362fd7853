package sqlstore

import (
	"context"
	"encoding/json"
	"errors"
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

// PutSetting inserts version base+1 if base is the version in force. The
// check of the current version inside the transaction makes a stale base
// fail; two saves from the same base that pass it together race for the
// primary key (key, version), and the loser fails too.
func (s *Store) PutSetting(ctx context.Context, key string, base int, value []byte, author string, at time.Time) (minyi.Setting, error) {
	if err := checkSetting(key, base, value); err != nil {
		return minyi.Setting{}, err
	}
	out := minyi.Setting{Key: key, Version: base + 1, Value: append([]byte(nil), value...), Author: author,
		At: at.UTC().Truncate(time.Second)}
	err := s.c.InTx(ctx, func(tx DB) error {
		var current int
		if err := tx.QueryRow(ctx, s.sql(`SELECT coalesce(max(version), 0) FROM settings WHERE key = ?1`), key).Scan(&current); err != nil {
			return err
		}
		if current != base {
			return minyi.Errorf(minyi.ECONFLICT,
				"setting %q was changed meanwhile: version %d is in force, the edit started from %d", key, current, base)
		}
		_, err := tx.Exec(ctx, s.sql(`INSERT INTO settings (key, version, value, author, at) VALUES (?1, ?2, ?3, ?4, ?5)`),
			key, out.Version, string(value), author, s.time(out.At))
		if err != nil && s.d.IsUniqueViolation(err) {
			return minyi.Errorf(minyi.ECONFLICT,
				"setting %q was changed meanwhile: the edit started from version %d, which is no longer in force", key, base)
		}
		return err
	})
	if minyi.ErrorCode(err) == minyi.ECONFLICT {
		return minyi.Setting{}, err
	} else if err != nil {
		return minyi.Setting{}, s.errorf("put setting %q: %w", key, err)
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
	rows, err := s.c.Read().Query(ctx, s.sql(`SELECT version, value, author, at FROM settings
		WHERE key = ?1 ORDER BY version DESC LIMIT ?2`), key, limit)
	out := []minyi.Setting{}
	err = each(rows, err, func(r Rows) error {
		st := minyi.Setting{Key: key}
		err := r.Scan(&st.Version, &st.Value, &st.Author, timeOf(&st.At))
		out = append(out, st)
		return err
	})
	if errors.Is(err, context.Canceled) {
		return nil, err
	} else if err != nil {
		return nil, s.errorf("setting history %q: %w", key, err)
	}
	return out, nil
}
