package appcore

import (
	"context"
	"time"
)

// Scheduler decides where work runs. The app runs slow work on a goroutine and brings
// results back with fyne.Do; tests run both inline so a flow is deterministic: when a
// tap returns, the key derivation behind it has finished.
type Scheduler struct {
	Background func(func()) // runs slow work (key derivation, network) off the UI goroutine
	OnUI       func(func()) // runs a function on the UI goroutine
}

// Inline runs work and its result on the calling goroutine.
var Inline = Scheduler{Background: func(f func()) { f() }, OnUI: func(f func()) { f() }}

// orInline fills in the functions s lacks, so a zero Scheduler means Inline.
func (s Scheduler) orInline() Scheduler {
	if s.Background == nil {
		s.Background = Inline.Background
	}
	if s.OnUI == nil {
		s.OnUI = Inline.OnUI
	}
	return s
}

// Go runs work in the background with a context that ends after timeout, then done on
// the UI goroutine. cancel ends the context sooner (a Cancel button).
func (s Scheduler) Go(timeout time.Duration, work func(ctx context.Context), done func()) (cancel func()) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	s.Background(func() {
		work(ctx)
		s.OnUI(func() {
			cancel()
			done()
		})
	})
	return cancel
}
