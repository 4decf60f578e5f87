package e2e

import (
	"context"
	"slices"
	"testing"

	"github.com/chromedp/chromedp"
)

// loaded is a page of the scenarios after the extension asked Valv whether to fill it
// on load (the marks say when that answer came).
func loaded(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	step(t, ctx, url, chromedp.Navigate(url), chromedp.WaitReady(chromedp.CSS(`valv-mark[data-load="checked"]`)))
}

// fillOnLoad: off, a loaded page stays empty; turned on in the menu for one site, its
// page is filled when it loads; another site's page is not.
func fillOnLoad(t *testing.T, e *env, ctx context.Context) {
	e.app.AddLogin(t, "News", "https://news.test", "nora", "news-pw")
	e.app.AddLogin(t, "Forum", "https://forum.test", "max", "forum-pw")
	loaded(t, ctx, "https://news.test/login")
	empty(t, ctx, "#username", "#password")
	openMark(t, ctx, "#username")
	inPanel(t, ctx, menu, `button[data-action="fill-on-load"][aria-pressed="false"]`, true)
	inPanel(t, ctx, menu, `button[data-action="fill-on-load"][aria-pressed="true"]`, false)
	if !e.app.Sites.Get("https://news.test/").FillOnLoad {
		t.Fatal("the app did not keep fill on page load for news.test")
	}
	loaded(t, ctx, "https://news.test/login")
	waitValues(t, ctx, map[string]string{"#username": "nora", "#password": "news-pw"})
	loaded(t, ctx, "https://forum.test/login")
	empty(t, ctx, "#username", "#password")
}

// allowFrame: a login form in a frame of another site gets no fill until the person
// allows that frame's origin for the site in the popup; then it fills there, and
// still not where another site frames the same page.
func allowFrame(t *testing.T, e *env, ctx context.Context) {
	pay := e.app.AddLogin(t, "Pay", "https://pay.test", "erin", "pay-pw")
	const framed = "https://store.test/frame?src=https://pay.test/login"
	fctx := openFramed(t, ctx, framed, "https://pay.test/login")
	openFrameMenu(t, ctx, fctx)
	frameShadowHas(t, fctx, "valv-menu", "data-message", "frameRefused")
	if v := framedValues(t, ctx); v != "" {
		t.Fatalf("before allowing, the framed form got %q", v)
	}

	p := openPopup(t, ctx, "https://store.test/*")
	allow := `button[data-action="allow-frame"][data-origin="https://pay.test"]`
	step(t, p, "allow the frame's origin", chromedp.WaitVisible(chromedp.CSS(allow)), chromedp.Click(chromedp.CSS(allow)),
		// The popup asks again after the change: the origin is no longer offered.
		chromedp.WaitNotPresent(chromedp.CSS(allow)), chromedp.WaitReady(chromedp.CSS(`.panel[data-state="ready"]`)))
	if got := e.app.Sites.Get("https://store.test/").Frames; !slices.Equal(got, []string{"https://pay.test"}) {
		t.Fatalf("the app keeps the allowed frames of store.test as %q", got)
	}
	closePopup(t, ctx, p)

	openFrameMenu(t, ctx, fctx)
	clickFrameShadow(t, ctx, fctx, "valv-menu", "data-ref", pay)
	waitFor(t, ctx, "the framed form filled", func(ctx context.Context) (bool, error) {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](`askFrame()`, chromedp.EvalAwaitPromise))
		return v == "erinpay-pw", err
	})

	// Allowed on store.test only: another site framing the same page gets no fill.
	fctx = openFramed(t, ctx, "https://other.test/frame?src=https://pay.test/login", "https://pay.test/login")
	openFrameMenu(t, ctx, fctx)
	frameShadowHas(t, fctx, "valv-menu", "data-message", "frameRefused")
	if v := framedValues(t, ctx); v != "" {
		t.Fatalf("on another site, the framed form got %q", v)
	}
}
