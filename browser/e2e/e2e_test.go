package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"
)

func TestBrowser(t *testing.T) {
	e := start(t)
	ctx := e.ctx
	t.Run("pairing refused", func(t *testing.T) {
		step(t, ctx, "login page", chromedp.Navigate("https://bank.test/login"))
		openMark(t, ctx, "#username")
		inPanel(t, ctx, "valv-menu", `button[data-action="pair"]`, true)
		p := <-e.app.Prompts
		inPanel(t, ctx, "valv-menu", "[data-code]", false)
		t.Logf("code %s; panel %q", p.Code, panelText(t, ctx, "valv-menu"))
	})
}
