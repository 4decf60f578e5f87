package appcore

import (
	"sync"
	"time"

	"github.com/valvpm/valv/vault/totp"
)

// AuthCode is what the item view shows of its authenticator key at one moment.
type AuthCode struct {
	Value     string        // the digits as they are typed: "123456"
	Grouped   string        // the digits in two groups for reading: "123 456"
	Remaining time.Duration // until the next code
	Period    time.Duration
	Seconds   int     // Remaining rounded up, as the countdown says it
	Left      float64 // the share of the period still to run: 1 when a code starts, near 0 at its end
}

// authCodeAt is the code of key at moment now.
func authCodeAt(key *totp.Key, now time.Time) AuthCode {
	c := key.At(now)
	return AuthCode{
		Value:     c.Value,
		Grouped:   GroupCode(c.Value),
		Remaining: c.Remaining,
		Period:    c.Period,
		Seconds:   c.RemainingSeconds(),
		Left:      float64(c.Remaining) / float64(c.Period),
	}
}

// GroupCode splits a code in two halves, the first no longer than the second ("123
// 456", "123 4567", "1234 5678"), the way authenticators show it so it is read and
// typed without losing the place.
func GroupCode(code string) string {
	if len(code) < 4 {
		return code
	}
	h := len(code) / 2
	return code[:h] + " " + code[h:]
}

// AuthTicker keeps the code of one item current while the item is on show: it calls
// its show function at once, at every whole second (the countdown) and so at the
// moment the period turns (a new code). It runs on the controller's clock — timers,
// not a loop — and stops by itself when the vault locks, dropping the key.
type AuthTicker struct {
	c    *Controller
	show func(AuthCode)

	mu    sync.Mutex
	key   *totp.Key // nil once stopped
	timer Timer
}

// WatchCode starts an AuthTicker for what an item's TOTP field holds. show runs on the
// UI goroutine, the first time before WatchCode returns. A field Valv cannot make codes
// from gives an error wrapping totp.ErrInvalid and no ticker.
func (c *Controller) WatchCode(field string, show func(AuthCode)) (*AuthTicker, error) {
	key, err := totp.Parse(field)
	if err != nil {
		return nil, err
	}
	t := &AuthTicker{c: c, show: show, key: key}
	t.tick()
	return t, nil
}

// tick shows the current code and arms the timer for the next whole second.
func (t *AuthTicker) tick() {
	if t.c.Locked() {
		t.Stop()
		return
	}
	now := t.c.clock.Now()
	t.mu.Lock()
	if t.key == nil {
		t.mu.Unlock()
		return
	}
	code := authCodeAt(t.key, now)
	// Codes change on whole Unix seconds (every period is a whole number of them),
	// so waking on each whole second keeps the countdown and the code exact.
	next := time.Second - time.Duration(now.UnixNano()%int64(time.Second))
	t.timer = t.c.clock.AfterFunc(next, func() { t.c.run.OnUI(t.tick) })
	t.mu.Unlock()
	t.show(code)
}

// Code is the code at this moment (for Copy, and for tests).
func (t *AuthTicker) Code() (AuthCode, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.key == nil {
		return AuthCode{}, false
	}
	return authCodeAt(t.key, t.c.clock.Now()), true
}

// Copy puts the code of this moment on the clipboard, cleared after the same delay as
// a copied password.
func (t *AuthTicker) Copy() {
	if code, ok := t.Code(); ok {
		t.c.Copy(code.Value)
	}
}

// Stop ends the ticker and wipes its copy of the key. It is safe to call more than once.
func (t *AuthTicker) Stop() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.timer != nil {
		t.timer.Stop()
		t.timer = nil
	}
	if t.key != nil {
		clear(t.key.Secret)
		t.key = nil
	}
}

// Running reports whether the ticker still shows codes.
func (t *AuthTicker) Running() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.key != nil
}
