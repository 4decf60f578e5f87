package appcore

import (
	"strings"

	"github.com/valvpm/valv/browser"
)

// Settings → Browsers also lists what the person turned on for single sites from the
// extension's menu (fill on page load, frames of other origins that may be filled), so
// it can be seen and taken back without the browser at hand.

// BrowserSites lists the sites with a browser setting on, by origin; none while the
// app does not answer the browser.
func (c *Controller) BrowserSites() []browser.SiteEntry {
	l := c.browserLink()
	if l == nil || l.sites == nil {
		return nil
	}
	return l.sites.List()
}

// RemoveBrowserSite turns every setting of the site at origin off (Settings → Browsers
// → Remove); the extension sees it on its next question. While the app does not
// answer the browser there is no list, so nothing to remove.
func (c *Controller) RemoveBrowserSite(origin string) error {
	l := c.browserLink()
	if l == nil || l.sites == nil {
		return nil
	}
	return l.sites.Remove(origin)
}

// BrowserSiteMessages say what is on for a site, one sentence a setting, in the order
// the list shows them.
func BrowserSiteMessages(s browser.SiteEntry) []Message {
	var out []Message
	if s.FillOnLoad {
		out = append(out, Message{Key: "browser.sites.fillOnLoad"})
	}
	if len(s.Frames) > 0 {
		out = append(out, Message{Key: "browser.sites.frames", Args: map[string]any{"Origins": strings.Join(s.Frames, ", ")}})
	}
	return out
}
