package appcore

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/valvpm/valv/vault"
)

// Theme choices in Settings.
const (
	ThemeSystem = "system"
	ThemeLight  = "light"
	ThemeDark   = "dark"
)

// Settings are the desktop app's preferences. They live in settings.json next to the
// vault (vault.UserDir()), so VALV_HOME isolates them like the vault itself and each OS
// user has their own. Nothing secret is stored here.
type Settings struct {
	AutoLockSeconds  int    `json:"autoLockSeconds"`  // 0: never
	ClipboardSeconds int    `json:"clipboardSeconds"` // 0: never clear
	Language         string `json:"language"`         // "" follows the OS
	Theme            string `json:"theme"`            // ThemeSystem, ThemeLight or ThemeDark

	// Offline is set once the person chose Run without connecting, so the welcome
	// window is not shown again.
	Offline bool `json:"offline"`
	// Reminded is when the "you can connect an account" note was last dismissed (or
	// the person chose to run offline); it comes back at most once a week.
	Reminded time.Time `json:"reminded,omitzero"`

	// CloudURL is the valv-cloud chosen in Settings → Account ("" for none); the
	// VALV_CLOUD_URL environment variable wins over it.
	CloudURL string `json:"cloudURL,omitempty"`
	// Licence is the subscription picked in Choose subscription (an ID, not a secret),
	// so Settings can show the plan the app runs on.
	Licence string `json:"licence,omitempty"`

	Window WindowGeometry `json:"window"`

	// Path is the file Load read and Save writes; "" keeps the settings in memory.
	Path string `json:"-"`
}

// WindowGeometry is the main window's last size, and its position where the platform
// lets the app read it (X11); HasPos says whether X and Y are known.
type WindowGeometry struct {
	Width  float32 `json:"width,omitempty"`
	Height float32 `json:"height,omitempty"`
	X      int     `json:"x,omitempty"`
	Y      int     `json:"y,omitempty"`
	HasPos bool    `json:"hasPos,omitempty"`
}

// DefaultSettings are used for a fresh install and for any value that is missing or out
// of range in the file.
func DefaultSettings() Settings {
	return Settings{AutoLockSeconds: 300, ClipboardSeconds: 30, Theme: ThemeSystem}
}

// AutoLock returns the inactivity delay before locking, 0 for never.
func (s Settings) AutoLock() time.Duration { return time.Duration(s.AutoLockSeconds) * time.Second }

// ClipboardDelay returns how long a copied secret stays on the clipboard, 0 for ever.
func (s Settings) ClipboardDelay() time.Duration {
	return time.Duration(s.ClipboardSeconds) * time.Second
}

// SettingsPath returns where the settings of the current OS user live.
func SettingsPath() (string, error) {
	dir, err := vault.UserDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "settings.json"), nil
}

// LoadSettings reads the settings at path. A missing file gives the defaults; a damaged
// one gives the defaults too (preferences are not worth refusing to start over) and the
// error, so the caller can mention it.
func LoadSettings(path string) (Settings, error) {
	s := DefaultSettings()
	s.Path = path
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return s, err
	}
	if err := json.Unmarshal(b, &s); err != nil {
		d := DefaultSettings()
		d.Path = path
		return d, fmt.Errorf("settings file %s is damaged: %w", path, err)
	}
	s.Path = path
	s.normalise()
	return s, nil
}

func (s *Settings) normalise() {
	d := DefaultSettings()
	if s.AutoLockSeconds < 0 || s.AutoLockSeconds > 24*3600 {
		s.AutoLockSeconds = d.AutoLockSeconds
	}
	if s.ClipboardSeconds < 0 || s.ClipboardSeconds > 3600 {
		s.ClipboardSeconds = d.ClipboardSeconds
	}
	switch s.Theme {
	case ThemeSystem, ThemeLight, ThemeDark:
	default:
		s.Theme = ThemeSystem
	}
	if s.Language != "" && !KnownLanguage(s.Language) {
		s.Language = ""
	}
}

// Save writes the settings atomically (temp file and rename) so a crash never leaves a
// half-written file.
func (s Settings) Save() error {
	if s.Path == "" {
		return nil // in-memory settings
	}
	if err := os.MkdirAll(filepath.Dir(s.Path), 0o700); err != nil {
		return err
	}
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(s.Path), ".settings-*.json")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		_ = tmp.Close()
		_ = os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		_ = os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), s.Path)
}
