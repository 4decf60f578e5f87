// Package ui is Valv's desktop interface, built with Fyne: views only.
//
// The app's state, flows and decisions live in package ui/appcore, which imports no
// Fyne package and is tested with the race detector: the open vault and the lock, the
// list, settings, auto-lock and the clipboard guard, sync and linking, the account
// windows' flow, the dangerous actions, the import and export jobs, and the one table
// that turns errors into sentences. This package draws them, as fyne-io/calculator
// keeps state apart from its view: each screen or dialog is one file named after it
// (mainscreen.go, editor.go, detail.go, generator.go, settingsdialog.go, syncline.go,
// importdialog.go, exportdialog.go, signin.go …), built by a small view type that reads
// from and calls into the controller. The editor and the detail view walk the vault's
// field table, so a new field appears in both with no change here; the editor edits a
// copy of the item and hands it back on Save, as lucor/paw's item widgets do.
//
// Work that takes time (key derivation, network calls) runs off the UI goroutine through
// the controller's Scheduler and comes back through fyne.Do, so the window never
// freezes; tests run it inline and move an appcore.ManualClock instead of sleeping.
//
// Every string a person sees goes through T (i18n.go); say renders the app core's
// Messages through it. Translations live in assets/translations, and tests fail if any
// language lacks a key or has other placeholders than English, or if a rendered screen
// shows text that did not come from T.
//
// Locking drops every decrypted item from the controller and rebuilds the window with
// the unlock screen, closing every dialog, so no screen keeps a reference to plaintext
// after a lock.
package ui
