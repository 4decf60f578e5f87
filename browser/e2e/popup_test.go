package e2e

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"github.com/valvpm/valv/browser/hostinstall"
)

// openPopup opens the toolbar popup for the tab that shows a page matching pattern
// (a chrome.tabs URL pattern), in a tab of its own: popup.html?tab=N speaks for tab N.
// Headless Chromium shows no toolbar to click, so the popup is opened by its address.
//
// Two things make the popup's tab work with chromedp. It is created at the popup's
// address and only then attached to: a tab opened on about:blank and then navigated
// there moves into the extension's process, and chromedp's element queries never see
// the new document (the popup renders, its DOM read through the protocol is complete,
// yet every query waits). And the first run attaches it for the test's lifetime: a
// first run under a deadline detaches it again when that deadline's context ends.
func openPopup(t *testing.T, ctx context.Context, pattern string) context.Context {
	t.Helper()
	sw := serviceWorker(t, ctx)
	tab, err := chromedp.Run(sw, chromedp.Evaluate[int](fmt.Sprintf(`chrome.tabs.query({url: %s}).then((tabs) => tabs.length === 1 ? tabs[0].id : 0)`, quote(pattern)), chromedp.EvalAwaitPromise))
	if err != nil || tab == 0 {
		t.Fatalf("no single tab shows %s (%v)", pattern, err)
	}
	url := fmt.Sprintf("chrome-extension://%s/popup.html?tab=%d", hostinstall.ChromiumExtensionID, tab)
	res, err := chromedp.CallBrowser(ctx, target.CreateTarget, target.CreateTargetParams{URL: url})
	if err != nil {
		t.Fatal(err)
	}
	pctx, cancel := chromedp.NewContext(ctx, chromedp.WithTargetID(res.TargetID))
	t.Cleanup(cancel)
	// The first run attaches for pctx's lifetime (see frameTarget).
	if err := chromedp.Do(pctx); err != nil {
		t.Fatal(err)
	}
	step(t, pctx, "popup", chromedp.WaitReady(chromedp.CSS(`.panel[data-state="ready"]`)))
	return pctx
}

// closePopup closes the popup's tab and brings the page's tab to the front again.
func closePopup(t *testing.T, ctx, pctx context.Context) {
	t.Helper()
	if _, err := chromedp.CallBrowser(ctx, target.CloseTarget, target.CloseTargetParams{TargetID: chromedp.FromContext(pctx).Target.TargetID}); err != nil {
		t.Fatal(err)
	}
	frontTab(t, ctx)
}

// frontTab brings the tab of ctx to the front.
func frontTab(t *testing.T, ctx context.Context) {
	t.Helper()
	if _, err := chromedp.CallBrowser(ctx, target.ActivateTarget, target.ActivateTargetParams{TargetID: chromedp.FromContext(ctx).Target.TargetID}); err != nil {
		t.Fatal(err)
	}
}
