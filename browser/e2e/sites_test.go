package e2e

import (
	"context"
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
