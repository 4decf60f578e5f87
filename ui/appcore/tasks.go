package appcore

import (
	"context"
	"time"
)

// NetworkTimeout bounds one account call, so a hanging server turns into a sentence
// instead of a busy indicator that never stops. Quick sign-in has its own, longer bound
// (account.QuickSignInTimeout), because the person is busy in the browser.
const NetworkTimeout = 45 * time.Second

// Tasks decides where work runs. The app runs slow work on a goroutine and brings
// results back with fyne.Do; tests run both inline so a flow is deterministic, or on a
// goroutine with a queue they drain when they need to press Cancel mid-call.
type Tasks struct {
	Background func(func()) // runs slow work (network, key derivation) off the UI goroutine
	OnUI       func(func()) // runs a function on the UI goroutine
}

// Go runs work in the background with a context that ends after timeout, then done on
// the UI goroutine. cancel ends the context sooner (a Cancel button).
func (t Tasks) Go(timeout time.Duration, work func(ctx context.Context), done func()) (cancel func()) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	t.Background(func() {
		work(ctx)
		t.OnUI(func() {
			cancel()
			done()
		})
	})
	return cancel
}
