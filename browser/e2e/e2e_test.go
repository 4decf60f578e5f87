package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/valvpm/valv/browser"
	"github.com/valvpm/valv/vault"
)

const (
	menu  = "valv-menu"
	offer = "valv-offer"
)

// waitValues waits until the page's fields hold the given values.
func waitValues(t *testing.T, ctx context.Context, want map[string]string) {
	t.Helper()
	var conds []string
	for sel, v := range want {
		conds = append(conds, `document.querySelector(`+quote(sel)+`).value === `+quote(v))
	}
	step(t, ctx, "fields filled", chromedp.Func(func(ctx context.Context, tt *chromedp.Target) error {
		_, err := chromedp.Poll[bool](strings.Join(conds, " && "))(ctx, tt)
		return err
	}))
}

func quote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	return `"` + r.Replace(s) + `"`
}

// empty checks that no field of the page was filled.
func empty(t *testing.T, ctx context.Context, sels ...string) {
	t.Helper()
	for _, s := range sels {
		if v := value(t, ctx, s); v != "" {
			t.Errorf("%s holds %q, want nothing filled", s, v)
		}
	}
}

// pairBrowser clicks Connect, checks that the app's dialog and the extension show the
// same code, and answers.
func pairBrowser(t *testing.T, e *env, ctx context.Context, approve bool) {
	t.Helper()
	inPanel(t, ctx, menu, `button[data-action="pair"]`, true)
	sameCode(t, ctx, <-e.app.Prompts)
	e.app.Answer(approve)
}

// sameCode checks that the extension's menu shows the code and browser name of the
// app's pairing dialog p.
func sameCode(t *testing.T, ctx context.Context, p browser.PairingPrompt) {
	t.Helper()
	inPanel(t, ctx, menu, "[data-code]", false)
	root, err := shadow(ctx, menu)
	if err != nil {
		t.Fatal(err)
	}
	shown, err := chromedp.Run(ctx, chromedp.TextContent(chromedp.CSS("[data-code]"), chromedp.FromNode(root)))
	if err != nil {
		t.Fatal(err)
	}
	if shown != p.Code || len(p.Code) != 7 {
		t.Fatalf("the extension shows %q, the app's dialog %q", shown, p.Code)
	}
	if !strings.HasPrefix(p.Name, "Chromium on ") {
		t.Errorf("the dialog names the browser %q", p.Name)
	}
}

func login(t *testing.T, e *env, url string) *vault.Item {
	t.Helper()
	items, err := e.app.Vault.List(vault.Filter{Type: vault.TypeLogin})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if len(it.URLs) > 0 && it.URLs[0] == url {
			return it
		}
	}
	return nil
}

// redacted shows a login without its secrets in a failure message.
func redacted(it *vault.Item) any {
	if it == nil {
		return "no such login"
	}
	return *it.Redacted()
}

func TestBrowser(t *testing.T) {
	e := start(t)
	ctx := e.ctx
	bank := e.app.AddLogin(t, "Bank", "https://bank.test", "alice", "bank-pw-1")

	t.Run("pairing refused", func(t *testing.T) {
		step(t, ctx, "login page", chromedp.Navigate("https://bank.test/login"))
		openMark(t, ctx, "#username")
		pairBrowser(t, e, ctx, false)
		inPanel(t, ctx, menu, `[data-message="pairRefused"]`, false)
		if n := len(e.app.Pairings.List()); n != 0 {
			t.Fatalf("%d browsers paired after a refusal", n)
		}
		empty(t, ctx, "#username", "#password")
	})

	t.Run("pairing approved", func(t *testing.T) {
		pairBrowser(t, e, ctx, true)
		inPanel(t, ctx, menu, `button[data-ref="`+bank+`"]`, false)
		if l := e.app.Pairings.List(); len(l) != 1 {
			t.Fatalf("paired browsers: %+v", l)
		}
	})

	t.Run("nothing filled on page load", func(t *testing.T) {
		step(t, ctx, "login page", chromedp.Navigate("https://bank.test/login"), chromedp.WaitReady(chromedp.CSS("valv-mark")))
		empty(t, ctx, "#username", "#password")
	})

	t.Run("fill a simple form", func(t *testing.T) {
		openMark(t, ctx, "#password")
		inPanel(t, ctx, menu, `button[data-ref="`+bank+`"]`, true)
		waitValues(t, ctx, map[string]string{"#username": "alice", "#password": "bank-pw-1"})
	})

	t.Run("fill from the toolbar popup", func(t *testing.T) {
		step(t, ctx, "login page", chromedp.Navigate("https://bank.test/login"), chromedp.WaitReady(chromedp.CSS("valv-mark")))
		p := openPopup(t, ctx, "https://bank.test/*")
		step(t, p, "pick the login", chromedp.WaitVisible(chromedp.CSS(`button[data-ref="`+bank+`"]`)), chromedp.Click(chromedp.CSS(`button[data-ref="`+bank+`"]`)))
		waitValues(t, ctx, map[string]string{"#username": "alice", "#password": "bank-pw-1"})
		// Having filled, the popup closed itself.
		frontTab(t, ctx)
	})

	t.Run("Ctrl+Shift+L fills the best match", func(t *testing.T) {
		step(t, ctx, "login page", chromedp.Navigate("https://bank.test/login"), chromedp.WaitReady(chromedp.CSS("valv-mark")),
			chromedp.Focus(chromedp.CSS("#username")))
		// Headless Chromium does not route synthetic key presses to extension
		// shortcuts, so the test does what the shortcut's command handler does: tell the
		// active tab's frames to fill their best match.
		sw := serviceWorker(t, ctx)
		if _, err := chromedp.Run(sw, chromedp.Evaluate[any](`chrome.tabs.query({active: true}).then(([tab]) => chrome.tabs.sendMessage(tab.id, {kind: "fill-best"}))`, chromedp.EvalAwaitPromise)); err != nil {
			t.Fatal(err)
		}
		waitValues(t, ctx, map[string]string{"#username": "alice", "#password": "bank-pw-1"})
	})

	t.Run("two-step form", func(t *testing.T) {
		step(t, ctx, "step 1", chromedp.Navigate("https://bank.test/step1"))
		openMark(t, ctx, "#email")
		inPanel(t, ctx, menu, `button[data-ref="`+bank+`"]`, true)
		waitValues(t, ctx, map[string]string{"#email": "alice"})
		step(t, ctx, "next", chromedp.Click(chromedp.CSS("#next")), chromedp.WaitVisible(chromedp.CSS("#password")))
		openMark(t, ctx, "#password")
		inPanel(t, ctx, menu, `button[data-ref="`+bank+`"]`, true)
		waitValues(t, ctx, map[string]string{"#password": "bank-pw-1"})
	})

	t.Run("form added by script after load", func(t *testing.T) {
		step(t, ctx, "late page", chromedp.Navigate("https://bank.test/late"), chromedp.WaitVisible(chromedp.CSS("#ready")))
		step(t, ctx, "add the form", chromedp.Func(func(ctx context.Context, tt *chromedp.Target) error {
			_, err := chromedp.Evaluate[any]("addForm()")(ctx, tt)
			return err
		}))
		openMark(t, ctx, "#password")
		inPanel(t, ctx, menu, `button[data-ref="`+bank+`"]`, true)
		waitValues(t, ctx, map[string]string{"#username": "alice", "#password": "bank-pw-1"})
	})

	t.Run("look-alike domain gets no fill", func(t *testing.T) {
		step(t, ctx, "look-alike", chromedp.Navigate("https://evil-bank.test/login"))
		openMark(t, ctx, "#username")
		inPanel(t, ctx, menu, `[data-message="noLogins"]`, false)
		empty(t, ctx, "#username", "#password")
	})

	t.Run("http page gets no fill", func(t *testing.T) {
		step(t, ctx, "http page", chromedp.Navigate("http://bank.test/login"))
		loc, err := chromedp.Run(ctx, chromedp.Location())
		if err != nil || !strings.HasPrefix(loc, "http://bank.test/") {
			t.Fatalf("the page is %q (%v), not the http one", loc, err)
		}
		openMark(t, ctx, "#username")
		inPanel(t, ctx, menu, `[data-message="noLogins"]`, false)
		empty(t, ctx, "#username", "#password")
	})

	t.Run("cross-origin iframe gets no fill", func(t *testing.T) {
		fctx := openFramed(t, ctx, "https://other.test/frame?src=https://bank.test/login", "https://bank.test/login")
		openFrameMenu(t, ctx, fctx)
		frameShadowHas(t, fctx, "valv-menu", "data-message", "frameRefused")
		if v := framedValues(t, ctx); v != "" {
			t.Fatalf("the framed form got %q", v)
		}
	})

	t.Run("a frame's origin allowed on a site fills there", func(t *testing.T) { allowFrame(t, e, ctx) })

	t.Run("fill on page load, per site", func(t *testing.T) { fillOnLoad(t, e, ctx) })

	t.Run("save a new login", func(t *testing.T) {
		step(t, ctx, "mail sign-in", chromedp.Navigate("https://mail.test/login"), chromedp.WaitReady(chromedp.CSS("valv-mark")),
			chromedp.SendKeys(chromedp.CSS("#username"), "carol"), chromedp.SendKeys(chromedp.CSS("#password"), "mail-pw-1"),
			chromedp.Click(chromedp.CSS("#submit")), chromedp.WaitVisible(chromedp.CSS("#welcome")))
		inPanel(t, ctx, offer, `[data-state="offer-new"]`, false)
		inPanel(t, ctx, offer, `button[data-action="save"]`, true)
		inPanel(t, ctx, offer, `[data-state="saved"]`, false)
		it := login(t, e, "https://mail.test")
		if it == nil || it.Username != "carol" || it.Password != "mail-pw-1" || it.Title != "mail.test" {
			t.Fatalf("saved login is missing or wrong: %v", redacted(it))
		}
	})

	t.Run("update a changed password", func(t *testing.T) {
		step(t, ctx, "bank sign-in", chromedp.Navigate("https://bank.test/login"), chromedp.WaitReady(chromedp.CSS("valv-mark")),
			chromedp.SendKeys(chromedp.CSS("#username"), "alice"), chromedp.SendKeys(chromedp.CSS("#password"), "bank-pw-2"),
			chromedp.Click(chromedp.CSS("#submit")), chromedp.WaitVisible(chromedp.CSS("#welcome")))
		inPanel(t, ctx, offer, `[data-state="offer-changed"]`, false)
		inPanel(t, ctx, offer, `button[data-action="update"]`, true)
		inPanel(t, ctx, offer, `[data-state="saved"]`, false)
		it := login(t, e, "https://bank.test")
		if it.Password != "bank-pw-2" || len(it.History) != 1 || it.History[0].Password != "bank-pw-1" {
			t.Fatalf("after update: the password or its history (%d) is wrong", len(it.History))
		}
	})

	t.Run("generator on a sign-up form", func(t *testing.T) {
		step(t, ctx, "sign-up page", chromedp.Navigate("https://shop.test/signup"), chromedp.WaitReady(chromedp.CSS("valv-mark")),
			chromedp.SendKeys(chromedp.CSS("#username"), "dave"))
		openMark(t, ctx, "#password")
		inPanel(t, ctx, menu, `button[data-action="generate"]`, true)
		step(t, ctx, "generated", chromedp.Func(func(ctx context.Context, tt *chromedp.Target) error {
			_, err := chromedp.Poll[bool](`document.querySelector("#password").value.length === 20 && document.querySelector("#password").value === document.querySelector("#confirm").value`)(ctx, tt)
			return err
		}))
		pw := value(t, ctx, "#password")
		step(t, ctx, "create account", chromedp.Click(chromedp.CSS("#submit")), chromedp.WaitVisible(chromedp.CSS("#welcome")))
		inPanel(t, ctx, offer, `button[data-action="save"]`, true)
		inPanel(t, ctx, offer, `[data-state="saved"]`, false)
		it := login(t, e, "https://shop.test")
		if it == nil || it.Username != "dave" || it.Password != pw {
			t.Fatalf("saved sign-up is missing or wrong: %v", redacted(it))
		}
	})

	t.Run("locked vault", func(t *testing.T) {
		e.app.Vault.Lock()
		step(t, ctx, "login page", chromedp.Navigate("https://bank.test/login"))
		openMark(t, ctx, "#username")
		inPanel(t, ctx, menu, `[data-message="locked"]`, false)
		inPanel(t, ctx, menu, `button[data-action="unlock"]`, true)
		<-e.app.UnlockShown
		e.app.Unlock(t)
		// Unlocked in the app: the open menu goes on by itself and lists the login.
		inPanel(t, ctx, menu, `button[data-ref="`+bank+`"]`, true)
		waitValues(t, ctx, map[string]string{"#username": "alice", "#password": "bank-pw-2"})
	})

	t.Run("revoked browser", func(t *testing.T) {
		if err := e.app.Server.Revoke(e.app.Pairings.List()[0].ID); err != nil {
			t.Fatal(err)
		}
		step(t, ctx, "login page", chromedp.Navigate("https://bank.test/login"))
		openMark(t, ctx, "#username")
		inPanel(t, ctx, menu, `button[data-action="pair"]`, false)
		empty(t, ctx, "#username", "#password")
	})

	t.Run("Valv not running", func(t *testing.T) {
		if err := e.app.Server.Close(); err != nil {
			t.Fatal(err)
		}
		step(t, ctx, "login page", chromedp.Navigate("https://bank.test/login"))
		openMark(t, ctx, "#username")
		inPanel(t, ctx, menu, `[data-message="notRunning"]`, false)
		t.Logf("shown: %q", panelText(t, ctx, menu))
	})
}
