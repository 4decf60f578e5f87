// Package appcore is the desktop app without its windows: the open vault and whether it
// is locked, what the list shows, the settings, auto-lock, the clipboard guard, sync
// with the Valv Account's cloud vault, import and export jobs, the account windows'
// flow (AccountFlow), the dangerous actions' confirmation (Danger), and the table that
// turns errors into sentences. Package ui draws it; appcore imports no Fyne package, builds
// with CGO_ENABLED=0 and is tested with the race detector.
//
// Where work runs is injected (Scheduler): the app runs slow work — key derivation,
// network calls — on a goroutine and brings results back to the UI goroutine, tests run
// both inline so a flow is deterministic. Time is injected too (Clock): auto-lock, the
// clipboard guard and retries wait on it, so tests move a ManualClock instead of
// sleeping.
//
// The controller never holds a widget and never shows text: it reports errors, and
// Message maps each to a translation key the view renders in the person's language.
package appcore
