package ui

import (
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"github.com/valvpm/valv/vault"
)

// TestScreenshots renders the main screens to PNG files for the README when
// VALV_SCREENSHOTS names a folder (scripts/screenshots, make screenshots). It uses the
// real theme in its light variant on a throw-away vault with sample data.
func TestScreenshots(t *testing.T) {
	forScreenshotLanguages(t, func(t *testing.T, dir, code string) {
		ta := newTestApp(t, false)
		ta.app.Settings().SetTheme(forcedVariant{theme.DefaultTheme(), theme.VariantLight})
		u := ta.u
		u.win.Resize(fyne.NewSize(960, 640))
		shot := func(name string) { t.Helper(); saveShot(t, u, filepath.Join(dir, name+"-"+code+".png")) }
		shot("welcome")
		test.Tap(u.welcome.offline)
		typeSecret(u.create.pair.pw1, "correct horse")
		shot("create")
		typeSecret(u.create.pair.pw1, strongPassword)
		ta.createVault(strongPassword)
		for _, s := range sampleItems() {
			if _, err := ta.ctrl.Save(s); err != nil {
				t.Fatal(err)
			}
		}
		u.main.reload()
		ta.selectTitle("GitHub")
		shot("main")
		test.Tap(u.main.detail.edit)
		shot("editor")
		u.closeAllDialogs()
		test.Tap(u.main.generator)
		shot("generator")
		u.closeAllDialogs()
		test.Tap(u.main.settings)
		shot("settings")
		u.closeAllDialogs()
		test.Tap(u.main.lock)
		typeSecret(u.unlock.pw, "wrong")
		test.Tap(u.unlock.submit)
		shot("unlock")
	})
}

// saveShot writes what the window shows to a PNG file.
func saveShot(t *testing.T, u *UI, path string) {
	t.Helper()
	img := u.win.Canvas().Capture()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// sampleItems is the made-up data the screenshots show.
func sampleItems() []*vault.Item {
	return []*vault.Item{
		{Type: vault.TypeLogin, Title: "GitHub", URLs: []string{"https://github.com"}, Username: "ann.lee", Password: "x7!Rk2#pQ9vL", Favourite: true, Notes: "Work account"},
		{Type: vault.TypeLogin, Title: "Bank of Uppsala", URLs: []string{"https://bank.example"}, Username: "annlee", Password: "S3cure-Bank!"},
		{Type: vault.TypeLogin, Title: "Tokopedia", URLs: []string{"https://tokopedia.com"}, Username: "ann@example.com", Password: "Belanja#2026"},
		{Type: vault.TypeApp, Title: "Steam", Application: "Steam", Username: "annplays", Password: "g4mer-Night"},
		{Type: vault.TypeCard, Title: "Visa", Cardholder: "Ann Lee", Number: "4111 1111 1111 1111", Expiry: "07/29", CVC: "123"},
		{Type: vault.TypeAddress, Title: "Home", Name: "Ann Lee", Street: []string{"Storgatan 1"}, City: "Uppsala", Postcode: "753 10", Country: "Sweden"},
		{Type: vault.TypeNote, Title: "Wi-Fi at home", Notes: "Network: lee-home\nPassword is on the router"},
	}
}

// forScreenshotLanguages runs f once per screenshot language (English and Swedish) when
// VALV_SCREENSHOTS names the folder to write to (make screenshots), else skips.
func forScreenshotLanguages(t *testing.T, f func(t *testing.T, dir, code string)) {
	dir := os.Getenv("VALV_SCREENSHOTS")
	if dir == "" {
		t.Skip("set VALV_SCREENSHOTS=<folder> to write screenshots")
	}
	for _, code := range []string{"en", "sv"} {
		t.Run(code, func(t *testing.T) {
			if err := SetLanguage(code); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = SetLanguage("en") })
			f(t, dir, code)
		})
	}
}
