// Package appcore is the state, the flows and the decisions of Valv's desktop app,
// apart from any widget: which account window comes next and what it says, how a
// dangerous action is confirmed, the countdowns. Package ui draws it with Fyne; this
// package imports no Fyne and builds with CGO_ENABLED=0, so its tests run with -race
// against a real valv-cloud on loopback and real vault files, without a display.
//
// Time comes from an injected Clock, so a test moves a ManualClock instead of sleeping.
// Network calls run through Tasks: off the UI goroutine in the app, inline in tests.
package appcore
