package storetest

import (
	"context"
	"reflect"
	"testing"
	"time"

	"minyi"
)

func testUsers(t *testing.T, s minyi.Store) {
	ctx := context.Background()
	created := time.Date(2026, 3, 1, 8, 0, 0, 500, time.UTC)
	u := minyi.User{Login: "housing", Name: "市住建局 办理员", Role: minyi.RoleDepartment, Department: "housing",
		PasswordHash: "$2a$10$hash", Created: created}
	if err := s.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	wantCode(t, s.CreateUser(ctx, u), minyi.ECONFLICT)
	wantCode(t, s.CreateUser(ctx, minyi.User{Login: "Bad", Role: minyi.RoleAdmin}), minyi.EINVALID)
	// Intake clients are configured tokens with sources, which the store does not keep.
	wantCode(t, s.CreateUser(ctx, minyi.User{Login: "bridge", Role: minyi.RoleIntake, Sources: []string{"hotline"}}), minyi.EINVALID)
	if err := s.CreateUser(ctx, minyi.User{Login: "admin", Role: minyi.RoleAdmin}); err != nil {
		t.Fatal(err)
	}

	got, err := s.User(ctx, "housing")
	if err != nil {
		t.Fatal(err)
	}
	u.Created = created.Truncate(time.Second)
	if !reflect.DeepEqual(*got, u) {
		t.Fatalf("User = %+v, want %+v", *got, u)
	}
	_, err = s.User(ctx, "nobody")
	wantCode(t, err, minyi.ENOTFOUND)

	u.Disabled, u.PasswordHash, u.Name = true, "$2a$10$other", "改名"
	u.LastLogin = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	if err := s.UpdateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	got, _ = s.User(ctx, "housing")
	if !reflect.DeepEqual(*got, u) {
		t.Fatalf("after update User = %+v, want %+v", *got, u)
	}
	wantCode(t, s.UpdateUser(ctx, minyi.User{Login: "nobody", Role: minyi.RoleAdmin}), minyi.ENOTFOUND)

	all, err := s.Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2 || all[0].Login != "admin" || all[1].Login != "housing" {
		t.Fatalf("Users = %+v", all)
	}
	if all[0].Created.IsZero() || all[0].Created.Location() != time.UTC {
		t.Fatalf("zero Created not filled in or not UTC: %v", all[0].Created)
	}
}

func testSessions(t *testing.T, s minyi.Store) {
	ctx := context.Background()
	t0 := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	ses := minyi.Session{IDHash: "h1", Login: "analyst", CSRF: "c1", Created: t0, LastSeen: t0}
	if err := s.CreateSession(ctx, ses); err != nil {
		t.Fatal(err)
	}
	wantCode(t, s.CreateSession(ctx, ses), minyi.ECONFLICT)
	if err := s.CreateSession(ctx, minyi.Session{IDHash: "h2", Login: "analyst", CSRF: "c2", Created: t0, LastSeen: t0}); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateSession(ctx, minyi.Session{IDHash: "h3", Login: "other", CSRF: "c3", Created: t0, LastSeen: t0}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Session(ctx, "h1")
	if err != nil {
		t.Fatal(err)
	}
	if *got != ses {
		t.Fatalf("Session = %+v, want %+v", *got, ses)
	}
	t1 := t0.Add(10 * time.Minute)
	if err := s.TouchSession(ctx, "h1", t1); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Session(ctx, "h1")
	if !got.LastSeen.Equal(t1) || !got.Created.Equal(t0) {
		t.Fatalf("after touch: %+v", got)
	}
	wantCode(t, s.TouchSession(ctx, "nope", t1), minyi.ENOTFOUND)
	_, err = s.Session(ctx, "nope")
	wantCode(t, err, minyi.ENOTFOUND)

	if err := s.DeleteSession(ctx, "h1"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteSession(ctx, "h1"); err != nil {
		t.Fatalf("deleting a deleted session: %v", err)
	}
	_, err = s.Session(ctx, "h1")
	wantCode(t, err, minyi.ENOTFOUND)
	if err := s.DeleteUserSessions(ctx, "analyst"); err != nil {
		t.Fatal(err)
	}
	_, err = s.Session(ctx, "h2")
	wantCode(t, err, minyi.ENOTFOUND)
	if _, err := s.Session(ctx, "h3"); err != nil {
		t.Fatalf("another user's session went too: %v", err)
	}
}

func testAPITokens(t *testing.T, s minyi.Store) {
	ctx := context.Background()
	t0 := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	a := minyi.APIToken{ID: "t1", Login: "analyst", Name: "脚本", TokenHash: "hash1", Created: t0}
	b := minyi.APIToken{ID: "t2", Login: "analyst", Name: "second", TokenHash: "hash2", Created: t0.Add(time.Hour)}
	c := minyi.APIToken{ID: "t3", Login: "other", TokenHash: "hash3", Created: t0}
	for _, tok := range []minyi.APIToken{b, a, c} {
		if err := s.CreateAPIToken(ctx, tok); err != nil {
			t.Fatal(err)
		}
	}
	wantCode(t, s.CreateAPIToken(ctx, minyi.APIToken{ID: "t9", Login: "x", TokenHash: "hash1", Created: t0}), minyi.ECONFLICT)
	wantCode(t, s.CreateAPIToken(ctx, minyi.APIToken{ID: "t1", Login: "x", TokenHash: "hash9", Created: t0}), minyi.ECONFLICT)
	wantCode(t, s.CreateAPIToken(ctx, minyi.APIToken{ID: "t8", Login: "x"}), minyi.EINVALID)

	list, err := s.APITokens(ctx, "analyst")
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0] != a || list[1] != b {
		t.Fatalf("APITokens = %+v", list)
	}
	got, err := s.APITokenByHash(ctx, "hash3")
	if err != nil {
		t.Fatal(err)
	}
	if *got != c {
		t.Fatalf("APITokenByHash = %+v, want %+v", *got, c)
	}
	_, err = s.APITokenByHash(ctx, "nope")
	wantCode(t, err, minyi.ENOTFOUND)

	used := t0.Add(2 * time.Hour)
	if err := s.TouchAPIToken(ctx, "t1", used); err != nil {
		t.Fatal(err)
	}
	got, _ = s.APITokenByHash(ctx, "hash1")
	if !got.LastUsed.Equal(used) {
		t.Fatalf("LastUsed = %v, want %v", got.LastUsed, used)
	}

	wantCode(t, s.DeleteAPIToken(ctx, "other", "t1"), minyi.ENOTFOUND)
	if err := s.DeleteAPIToken(ctx, "analyst", "t1"); err != nil {
		t.Fatal(err)
	}
	_, err = s.APITokenByHash(ctx, "hash1")
	wantCode(t, err, minyi.ENOTFOUND)
	if list, _ := s.APITokens(ctx, "nobody"); len(list) != 0 {
		t.Fatalf("tokens of nobody: %+v", list)
	}
}

func testAuditLog(t *testing.T, s minyi.Store) {
	ctx := context.Background()
	t0 := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	entries := []minyi.AuditEntry{
		{At: t0, Action: minyi.AuditLoginFailed, Target: "admin", Address: "10.0.0.1", Detail: "密码错误"},
		{At: t0, Actor: "admin", Action: minyi.AuditLogin, Address: "10.0.0.1"},
		{At: t0.Add(time.Minute), Actor: "admin", Action: minyi.AuditUserAdd, Target: "housing"},
	}
	for _, e := range entries {
		if err := s.AppendAudit(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	wantCode(t, s.AppendAudit(ctx, minyi.AuditEntry{At: t0}), minyi.EINVALID)
	got, err := s.Audit(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("Audit = %+v", got)
	}
	for i, e := range got {
		want := entries[len(entries)-1-i]
		want.Seq = e.Seq
		if e != want {
			t.Fatalf("Audit[%d] = %+v, want %+v", i, e, want)
		}
		if i > 0 && e.Seq >= got[i-1].Seq {
			t.Fatalf("not newest first: %+v", got)
		}
	}
	got, _ = s.Audit(ctx, 2)
	if len(got) != 2 || got[0].Action != minyi.AuditUserAdd {
		t.Fatalf("Audit(2) = %+v", got)
	}
	_, err = s.Audit(ctx, 0)
	wantCode(t, err, minyi.EINVALID)
}
