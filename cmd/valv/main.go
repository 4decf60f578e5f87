// Command valv is Valv's desktop app. It only wires things together: the Fyne app, the
// language, the settings file and the vault path; the screens live in package ui.
package main

import (
	"fmt"
	"log"
	"os"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"github.com/valvpm/valv/assets"
	"github.com/valvpm/valv/ui"
	_ "github.com/valvpm/valv/ui/localeenv" // runs before Fyne's lang reads the locale
	"github.com/valvpm/valv/vault"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "valv:", err)
		os.Exit(1)
	}
}

func run() error {
	a := app.NewWithID("io.github.valvpm.valv")
	a.SetIcon(assets.Icon)

	path, err := vault.DefaultPath()
	if err != nil {
		return fmt.Errorf("finding the vault folder: %w", err)
	}
	settingsPath, err := ui.SettingsPath()
	if err != nil {
		return fmt.Errorf("finding the settings file: %w", err)
	}
	settings, err := ui.LoadSettings(settingsPath)
	if err != nil {
		// Preferences are not worth refusing to start over: go on with the defaults.
		log.Printf("valv: %v; using default settings", err)
	}
	if err := ui.SetLanguage(settings.Language); err != nil {
		log.Printf("valv: loading translations: %v", err)
	}

	run := ui.Runner{
		Background: func(f func()) { go f() },
		OnUI:       fyne.Do,
	}
	ctrl := ui.NewController(path, settings, run, a.Clipboard())
	ctrl.Open()
	u := ui.New(a, ctrl)
	w := u.LoadUI()
	a.Lifecycle().SetOnStarted(func() {
		// Queued behind the first frame, when the window exists on the X server.
		fyne.Do(u.RestorePosition)
	})
	w.ShowAndRun()
	return nil
}
