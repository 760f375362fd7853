package core

import (
	"slices"
	"sync"
	"time"
)

// Login throttling, per login name and per client address.
const (
	throttleSlowAfter = 5                // failures before each attempt is delayed
	ThrottleLockAfter = 10               // failures before the name or address is locked
	ThrottleLockFor   = 15 * time.Minute // how long a lock lasts
	throttleWindow    = 15 * time.Minute // failures older than this are forgotten
)

// ThrottleDelay is how long each attempt waits once slowed down; a
// variable so that tests need not wait.
var ThrottleDelay = time.Second

// maxThrottleKeys bounds the memory of failures before stale ones are swept.
const maxThrottleKeys = 10000

// Throttle counts login attempts per key ("login:<name>", "addr:<ip>").
// An attempt counts as a failure before its password is checked, under one
// lock: twenty guesses sent at once are then counted one by one, and no
// more of them get their password checked than a lock allows, whichever
// of them succeeds.
type Throttle struct {
	mu   sync.Mutex
	keys map[string]*attempts
}

type attempts struct {
	failures int
	last     time.Time
	until    time.Time // locked until
}

// LoginTry is one attempt that passed the throttle, counted as a failure
// on each of its keys until it succeeds.
type LoginTry struct {
	t      *Throttle
	keys   []string
	Locked []string // keys this attempt's count locked
	Slow   bool     // the attempt is to be slowed down first
}

// Begin counts an attempt on every key. It returns how long a key is still
// locked (the attempt is refused and not counted), or the counted try.
func (t *Throttle) Begin(keys []string, now time.Time) (locked time.Duration, lockedKey string, try *LoginTry) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.keys == nil {
		t.keys = map[string]*attempts{}
	}
	if len(t.keys) > maxThrottleKeys { // many names tried: forget the stale ones
		for k, a := range t.keys {
			if now.Sub(a.last) > throttleWindow && !now.Before(a.until) {
				delete(t.keys, k)
			}
		}
	}
	for _, k := range keys {
		if a := t.keys[k]; a != nil && now.Before(a.until) {
			return a.until.Sub(now), k, nil
		}
	}
	try = &LoginTry{t: t, keys: keys}
	for _, k := range keys {
		a := t.keys[k]
		if a == nil || now.Sub(a.last) > throttleWindow {
			a = &attempts{}
			t.keys[k] = a
		}
		try.Slow = try.Slow || a.failures >= throttleSlowAfter
		a.failures++
		a.last = now
		if a.failures >= ThrottleLockAfter {
			a.until, a.failures = now.Add(ThrottleLockFor), 0
			try.Locked = append(try.Locked, k)
		}
	}
	return 0, "", try
}

// Succeeded takes the attempt's count back: the account's failures are
// forgotten, and the address gets back only this attempt, so a valid login
// in between does not wipe what the address tried on other names.
func (try *LoginTry) Succeeded(loginKey string) {
	t := try.t
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, k := range try.keys {
		a := t.keys[k]
		switch {
		case a == nil:
		case k == loginKey:
			delete(t.keys, k)
		case slices.Contains(try.Locked, k):
			a.until, a.failures = time.Time{}, ThrottleLockAfter-1
		case a.failures > 0:
			a.failures--
		}
	}
	try.Locked = nil
}

// Logins is the server's login throttle, which the login page counts
// attempts with.
func (s *Server) Logins() *Throttle { return &s.logins }
