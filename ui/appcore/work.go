package appcore

import (
	"context"
	"errors"
	"time"
)

// NetworkTimeout bounds one account call, so a hanging server turns into a sentence
// instead of a busy indicator that never stops. Quick sign-in has its own, longer bound
// (account.QuickSignInTimeout), because the person is busy in the browser.
const NetworkTimeout = 45 * time.Second

// syncTimeout bounds one linking or dangerous action. It is longer than NetworkTimeout
// because a first upload or download may move thousands of items.
const syncTimeout = 10 * time.Minute

// ErrBusy: a second long step was asked for while one runs (a double click).
var ErrBusy = errors.New("another step is still running")

// Background runs network work off the UI goroutine and done on it. ctx ends after
// NetworkTimeout; cancel lets a Cancel button stop it sooner.
func (c *Controller) Background(work func(ctx context.Context), done func()) (cancel func()) {
	return c.BackgroundFor(NetworkTimeout, work, done)
}

// BackgroundFor is Background with another time limit (quick sign-in waits for the
// person in the browser).
func (c *Controller) BackgroundFor(timeout time.Duration, work func(ctx context.Context), done func()) (cancel func()) {
	return c.run.Go(timeout, work, done)
}

// SyncWork runs a sync step (network and key derivation) in the background and done
// with its error on the UI goroutine. Like Create and Unlock, it refuses to start while
// another key derivation runs (done gets ErrBusy), and hands Argon2id's memory back
// afterwards.
func (c *Controller) SyncWork(work func(ctx context.Context) error, done func(error)) {
	if !c.claim() {
		done(ErrBusy)
		return
	}
	var err error
	c.BackgroundFor(syncTimeout, func(ctx context.Context) {
		err = work(ctx)
		c.release()
	}, func() { done(err) })
}
