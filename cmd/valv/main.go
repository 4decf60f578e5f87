// Command valv is Valv's desktop app. It only wires things together: the Fyne app, the
// language, the settings file and the vault path; the app's state lives in package
// ui/appcore and its screens in package ui.
package main

import (
	"fmt"
	"log"
	"net/url"
	"os"
	"runtime/debug"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"github.com/valvpm/valv/account"
	"github.com/valvpm/valv/assets"
	"github.com/valvpm/valv/internal/harden"
	"github.com/valvpm/valv/internal/version"
	"github.com/valvpm/valv/ui"
	"github.com/valvpm/valv/ui/appcore"
	_ "github.com/valvpm/valv/ui/localeenv" // runs before Fyne's lang reads the locale
	"github.com/valvpm/valv/vault"
)

func main() {
	version.ExitIfRequested("valv", os.Args[1:])
	if err := harden.Process(); err != nil {
		fmt.Fprintln(os.Stderr, "valv: warning:", err)
	}
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "valv:", err)
		os.Exit(1)
	}
}

func run() error {
	if err := checkDisplay(); err != nil {
		return err
	}
	a := app.NewWithID("io.github.valvpm.valv")
	a.SetIcon(assets.Icon)

	path, err := vault.DefaultPath()
	if err != nil {
		return fmt.Errorf("finding the vault folder: %w", err)
	}
	settingsPath, err := appcore.SettingsPath()
	if err != nil {
		return fmt.Errorf("finding the settings file: %w", err)
	}
	settings, err := appcore.LoadSettings(settingsPath)
	if err != nil {
		// Preferences are not worth refusing to start over: go on with the defaults.
		log.Printf("valv: %v; using default settings", err)
	}
	if err := ui.SetLanguage(settings.Language); err != nil {
		log.Printf("valv: loading translations: %v", err)
	}

	accounts := accountOptions(a, settings)
	var idle idleLoop
	ctrl := appcore.New(appcore.Options{
		Path:     path,
		Settings: settings,
		Scheduler: appcore.Scheduler{
			Background: func(f func()) { go f() },
			OnUI:       idle.onUI,
		},
		Clipboard: appClipboard(a.Clipboard()),
		Accounts:  &accounts,
	})
	ctrl.Open()
	u := ui.New(a, ctrl)
	w := u.LoadUI()
	noDepthBuffer()
	a.Lifecycle().SetOnStarted(func() {
		// Queued behind the first frame, when the window exists on the X server.
		fyne.Do(u.RestorePosition)
		idle.start(u.Still)
		// Starting leaves about 12 MiB of Go heap free but held (the fonts' parse,
		// the first layout), a fifth of the app's own memory at the lock screen where
		// it may sit for hours: once the first frame is up, give it back.
		fyne.Do(func() { go debug.FreeOSMemory() })
	})
	u.StartBrowser() // the browser extension's fills, while the app runs
	a.Lifecycle().SetOnStopped(func() {
		u.StopBrowser()
		// Fyne runs its own exit save of its preferences after this hook, and that save
		// races Fyne's watcher of the same file: once the event queue is drained the
		// watcher's reload runs at once, on its own goroutine, and can read the file the
		// save has just truncated ("Preferences load error: EOF", fyne v2.7.1
		// app/preferences.go). Valv keeps nothing in Fyne's preferences; what Fyne's
		// file dialog keeps there (its last folder and view) was saved when it was set.
		// So the process ends here, with nothing left to write. Closing the window has
		// already closed the vault (ui's close intercept runs before this hook).
		os.Exit(0)
	})
	w.ShowAndRun()
	return nil
}

// accountOptions wires the Valv Account: the server from VALV_CLOUD_URL (make run sets
// it to a dev valv-cloud) or else from Settings, sessions in the OS keyring, the family
// sign-in entry shared with the other Valv apps, and the system browser.
func accountOptions(a fyne.App, s appcore.Settings) appcore.AccountOptions {
	keyring := &account.KeyringStore{}
	o := appcore.AccountOptions{
		URL:            s.CloudURL,
		KeyringWarning: keyring.Warning,
		New: func(u string) (*account.Client, error) {
			return account.New(u, account.Options{Store: keyring, ClientName: account.ClientName("Valv"), ShareSignIn: true})
		},
		OpenURL: func(raw string) error {
			u, err := url.Parse(raw)
			if err != nil {
				return err
			}
			return a.OpenURL(u)
		},
	}
	if env := os.Getenv(account.CloudURLEnv); env != "" {
		o.URL, o.FromEnv = env, true
	}
	return o
}
