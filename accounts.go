package minyi

import (
	"context"
	"time"
)

// Session is a logged-in browser. The cookie value itself is never stored:
// IDHash is its SHA-256 (hex), so a copy of the database logs nobody in.
type Session struct {
	IDHash   string    `json:"-"`
	Login    string    `json:"login"`
	CSRF     string    `json:"-"` // the form token of this session
	Created  time.Time `json:"created"`
	LastSeen time.Time `json:"last_seen"`
}

// APIToken is a user's own bearer token for scripts. Only its hash is kept;
// the token is shown once, when it is created.
type APIToken struct {
	ID        string    `json:"id"`
	Login     string    `json:"login"`
	Name      string    `json:"name"`
	TokenHash string    `json:"-"` // SHA-256 (hex) of the token
	Created   time.Time `json:"created"`
	LastUsed  time.Time `json:"last_used,omitzero"`
}

// AuditEntry is one line of the append-only audit log: logins, failures,
// locks, permission denials and changes to accounts.
type AuditEntry struct {
	Seq     int64     `json:"seq"`
	At      time.Time `json:"at"`
	Actor   string    `json:"actor,omitempty"` // login, "" when nobody is logged in
	Action  string    `json:"action"`          // e.g. login, login_failed, locked, denied, user_add
	Target  string    `json:"target,omitempty"`
	Detail  string    `json:"detail,omitempty"`
	Address string    `json:"address,omitempty"`
}

// Audit actions.
const (
	AuditLogin         = "login"
	AuditLoginFailed   = "login_failed"
	AuditLocked        = "locked"
	AuditLogout        = "logout"
	AuditDenied        = "denied"
	AuditPassword      = "password_change"
	AuditUserAdd       = "user_add"
	AuditUserUpdate    = "user_update"
	AuditUserDisable   = "user_disable"
	AuditUserEnable    = "user_enable"
	AuditPasswordSet   = "password_reset"
	AuditTokenCreate   = "token_create"
	AuditTokenRevoke   = "token_revoke"
	AuditCSRFRejected  = "csrf_rejected"
	AuditExport        = "export"          // who exported what: the file and the query that chose its rows
	AuditRouting       = "routing_save"    // departments and routing rules saved: the version in force
	AuditAlertAdd      = "alert_add"       // an opinion-alert subscription added
	AuditAlertRemove   = "alert_remove"    // one removed
	AuditImport        = "history_import"  // a history file imported into the store
	AuditReportMake    = "report_generate" // a report draft made, by an analyst or a schedule
	AuditReportSave    = "report_save"     // a draft's summary or items edited
	AuditReportPublish = "report_publish"  // a report published and handed out
	AuditIncidentRaise = "incident_raise"  // a 舆情事件 raised: its level, department and deadline
	AuditIncidentClose = "incident_close"  // a 舆情事件 closed by its analyst
)

// AccountStore keeps users, their sessions and API tokens, and the audit
// log. Times come back in UTC, whole seconds; logins are compared exactly.
type AccountStore interface {
	// CreateUser inserts a user that passes Validate; ECONFLICT if the
	// login exists. A zero Created is set to now.
	CreateUser(ctx context.Context, u User) error
	// UpdateUser replaces every field of an existing user but Created;
	// ENOTFOUND for an unknown login.
	UpdateUser(ctx context.Context, u User) error
	// User returns ENOTFOUND for an unknown login.
	User(ctx context.Context, login string) (*User, error)
	// Users lists every user by login.
	Users(ctx context.Context) ([]User, error)

	// CreateSession stores a new session; ECONFLICT for a known IDHash.
	CreateSession(ctx context.Context, s Session) error
	// Session returns ENOTFOUND for an unknown IDHash.
	Session(ctx context.Context, idHash string) (*Session, error)
	// TouchSession sets LastSeen; an unknown session is ENOTFOUND.
	TouchSession(ctx context.Context, idHash string, at time.Time) error
	// DeleteSession removes one session; an unknown one is no error.
	DeleteSession(ctx context.Context, idHash string) error
	// DeleteUserSessions logs a user out everywhere.
	DeleteUserSessions(ctx context.Context, login string) error

	// CreateAPIToken stores a token; ECONFLICT for a known ID or hash.
	CreateAPIToken(ctx context.Context, t APIToken) error
	// APITokens lists a user's tokens, oldest first.
	APITokens(ctx context.Context, login string) ([]APIToken, error)
	// APITokenByHash returns ENOTFOUND for an unknown hash.
	APITokenByHash(ctx context.Context, tokenHash string) (*APIToken, error)
	// DeleteAPIToken removes the token id of login; ENOTFOUND when login
	// has no such token, so nobody revokes another user's token.
	DeleteAPIToken(ctx context.Context, login, id string) error
	// TouchAPIToken sets LastUsed; an unknown token is no error.
	TouchAPIToken(ctx context.Context, id string, at time.Time) error

	// AppendAudit adds an entry; a zero At is set to now. Seq is assigned.
	AppendAudit(ctx context.Context, e AuditEntry) error
	// Audit returns up to limit entries, newest first (limit < 1: EINVALID).
	Audit(ctx context.Context, limit int) ([]AuditEntry, error)
}
