package ui

import (
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"github.com/zalando/go-keyring"

	"github.com/valvpm/valv/account"
	"github.com/valvpm/valv/cloud/cloudtest"
	"github.com/valvpm/valv/ui/appcore"
)

// tourAccountScreens walks every account window once, calling at(name) on each: choose
// (auto-connect), sign in, captcha, SMS, choose subscription, connected, create account
// with a half-good password, Accept and connect, the quick sign-in wait, and Settings →
// Account. The golden, screenshot and translation tests share it, so a new window is
// covered by all three at once.
func tourAccountScreens(t *testing.T, at func(aa *accountApp, name string)) {
	keyring.MockInit()
	env := cloudtest.Start(t)
	seedDemo(t, env)
	if err := account.WriteFamilyEntry(&account.FamilyEntry{Server: env.URL, Email: "carol@example.com",
		RefreshToken: refreshTokenOf(t, env, "carol@example.com", "Carol-demo-1")}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = account.DeleteFamilyEntry() })

	aa := newAccountApp(t, env, false)
	at(aa, "account-choose")
	test.Tap(onScreen[*chooseScreen](aa, appcore.ScreenChoose).another)
	at(aa, "account-signin")

	for range 3 {
		aa.signIn("bob@example.com", "Wrong-pass1")
	}
	aa.signIn("bob@example.com", "Bob-demo-1")
	c := onScreen[*captchaScreen](aa, appcore.ScreenCaptcha)
	test.Type(c.answer, "12345")
	at(aa, "account-captcha")
	test.Tap(c.submit)
	s := onScreen[*smsScreen](aa, appcore.ScreenSMS)
	at(aa, "account-sms")
	s.code.SetText(env.LastCode(t, "+15550100200"))
	test.Tap(s.submit)
	at(aa, "account-subscription")
	test.Tap(onScreen[*subscriptionScreen](aa, appcore.ScreenSubscription).selects[0])
	at(aa, "account-connected")
	test.Tap(onScreen[*connectedScreen](aa, appcore.ScreenConnected).submit)
	at(aa, "account-create-master")

	aa2 := newAccountApp(t, env, false)
	aa2.u.autoOffered = true
	aa2.u.showStage()
	at(aa2, "welcome-account")
	test.Tap(aa2.u.welcome.create)
	ca := onScreen[*createAccountScreen](aa2, appcore.ScreenCreate)
	ca.email.SetText("ivan@example.com")
	typeSecret(ca.password, "valv acc0unt")
	at(aa2, "account-create")
	typeSecret(ca.password, accountPW)
	typeSecret(ca.confirm, accountPW)
	pickRegion(aa2, ca.regions, "ru")
	test.Tap(ca.submit)
	p := onScreen[*provisionScreen](aa2, appcore.ScreenProvision)
	at(aa2, "account-provision")
	test.Tap(p.submit)
	test.Tap(onScreen[*connectedScreen](aa2, appcore.ScreenConnected).submit)
	aa2.createVault(strongPassword)
	test.Tap(aa2.u.main.settings)
	at(aa2, "settings-account")

	// The wait for the browser, with the call running in the background as in the
	// app; Cancel ends it.
	aa3 := newAccountApp(t, env, true, func(o *appcore.AccountOptions) { o.OpenURL = func(string) error { return nil } })
	aa3.createVault(strongPassword)
	pump := uiPump(t, aa3)
	test.Tap(aa3.u.main.syncButton)
	at(aa3, "sync-enable")
	test.Tap(aa3.u.syncDlg.enable)
	pump("the providers", func() bool {
		s, ok := aa3.u.acct.screen.(*signInScreen)
		return ok && s.regions.providers["google"] != nil
	})
	test.Tap(onScreen[*signInScreen](aa3, appcore.ScreenSignIn).regions.providers["google"])
	at(aa3, "account-waiting")
	test.Tap(onScreen[*waitingScreen](aa3, appcore.ScreenWaiting).cancel)
	pump("the sign-in window", func() bool { return aa3.u.acct.core.Screen() == appcore.ScreenSignIn })
}

// TestGoldenAccountScreens compares the main account windows with golden markup.
func TestGoldenAccountScreens(t *testing.T) {
	goldens := map[string]bool{"account-choose": true, "account-signin": true, "account-sms": true,
		"account-create": true, "account-provision": true, "account-connected": true, "welcome-account": true}
	tourAccountScreens(t, func(aa *accountApp, name string) {
		if goldens[name] {
			test.AssertRendersToMarkup(t, name+".xml", aa.u.win.Canvas())
		}
	})
}

// TestAccountScreenshots writes account-*.png next to the other screenshots when
// VALV_SCREENSHOTS names a folder (make screenshots).
func TestAccountScreenshots(t *testing.T) {
	forScreenshotLanguages(t, func(t *testing.T, dir, code string) {
		tourAccountScreens(t, func(aa *accountApp, name string) {
			aa.app.Settings().SetTheme(forcedVariant{theme.DefaultTheme(), theme.VariantLight})
			aa.u.win.Resize(fyne.NewSize(960, 640))
			img := aa.u.win.Canvas().Capture()
			f, err := os.Create(filepath.Join(dir, name+"-"+code+".png"))
			if err != nil {
				t.Fatal(err)
			}
			if err := png.Encode(f, img); err != nil {
				t.Fatal(err)
			}
			if err := f.Close(); err != nil {
				t.Fatal(err)
			}
		})
	})
}

// TestAccountNoUntranslatedText: every text on every account window came through T
// (or is what the person typed, an e-mail address, or the server's data).
func TestAccountNoUntranslatedText(t *testing.T) {
	for _, code := range []string{"en", "sv"} {
		t.Run(code, func(t *testing.T) {
			if err := SetLanguage(code); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = SetLanguage("en") })
			fromT := trackTranslations()
			t.Cleanup(func() { trackOutput = false })
			user := map[string]bool{"bob@example.com": true, "ivan@example.com": true, "12345": true}
			tourAccountScreens(t, func(aa *accountApp, name string) {
				objs := test.LaidOutObjects(aa.u.win.Content())
				for _, o := range aa.u.win.Canvas().Overlays().List() {
					objs = append(objs, test.LaidOutObjects(o)...)
				}
				for _, o := range objs {
					txt, ok := o.(*canvas.Text)
					if !ok || !txt.Visible() {
						continue
					}
					s := strings.TrimSpace(txt.Text)
					if s == "" || fromT(s) || isUserData(s, user) || strings.Trim(s, "•") == "" {
						continue
					}
					switch s {
					case "Google", "Facebook", "Apple", "Yandex", "VK": // brand names
						continue
					}
					if strings.HasPrefix(s, "http://127.0.0.1:") { // the server address in Settings
						continue
					}
					t.Errorf("%s shows %q, which did not come through T", name, s)
				}
			})
		})
	}
}
