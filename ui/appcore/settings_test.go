package appcore

import (
	"os"
	"path/filepath"
	"testing"
)

// TestSettingsFile: defaults for a missing or damaged file, out-of-range values
// repaired, and a round trip through Save.
func TestSettingsFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "settings.json")
	s, err := LoadSettings(path)
	if err != nil || s.AutoLockSeconds != 300 || s.ClipboardSeconds != 30 || s.Theme != ThemeSystem {
		t.Fatalf("missing file: %+v, %v", s, err)
	}
	s.AutoLockSeconds, s.Language, s.Theme = 600, "vi", ThemeDark
	s.Window = WindowGeometry{Width: 800, Height: 500}
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	back, err := LoadSettings(path)
	if err != nil || back.AutoLockSeconds != 600 || back.Language != "vi" || back.Theme != ThemeDark || back.Window.Width != 800 {
		t.Fatalf("round trip: %+v, %v", back, err)
	}
	if err := os.WriteFile(path, []byte(`{"autoLockSeconds": -5, "theme": "purple", "language": "xx"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	fixed, err := LoadSettings(path)
	if err != nil || fixed.AutoLockSeconds != 300 || fixed.Theme != ThemeSystem || fixed.Language != "" {
		t.Errorf("out-of-range values kept: %+v, %v", fixed, err)
	}
	if err := os.WriteFile(path, []byte(`{not json`), 0o600); err != nil {
		t.Fatal(err)
	}
	if d, err := LoadSettings(path); err == nil || d.AutoLockSeconds != 300 {
		t.Errorf("a damaged file must give the defaults and say so: %+v, %v", d, err)
	}
}
