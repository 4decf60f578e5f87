package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/valvpm/valv/browser"
	"github.com/valvpm/valv/ui/appcore"
)

// browserSites is the part of Settings → Browsers that lists the sites with settings
// of their own (made in the extension's menu), what is on for each, and Remove.
type browserSites struct {
	u      *UI
	list   *fyne.Container
	remove map[string]*widget.Button // by origin, for tests
}

func (s *browserSites) loadUI() fyne.CanvasObject {
	title := widget.NewLabelWithStyle(T("browser.sites.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.list = container.NewVBox()
	s.refresh()
	return container.NewVBox(title, wrapped(T("browser.sites.intro")), s.list)
}

// refresh rebuilds the list from the controller.
func (s *browserSites) refresh() {
	s.list.RemoveAll()
	s.remove = map[string]*widget.Button{}
	sites := s.u.ctrl.BrowserSites()
	if len(sites) == 0 {
		s.list.Add(wrapped(T("browser.sites.none")))
	}
	for _, e := range sites {
		s.list.Add(s.row(e))
	}
	s.list.Refresh()
}

// row is one site: its origin, a line for each setting that is on, and Remove.
func (s *browserSites) row(e browser.SiteEntry) fyne.CanvasObject {
	lines := container.NewVBox(widget.NewLabelWithStyle(e.Origin, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	for _, m := range appcore.BrowserSiteMessages(e) {
		lines.Add(wrapped(say(m)))
	}
	origin := e.Origin
	remove := s.u.button(T("browser.sites.remove"), theme.ContentRemoveIcon(), func() { s.doRemove(origin) })
	remove.Importance = widget.LowImportance
	s.remove[origin] = remove
	return container.NewBorder(nil, nil, nil, remove, lines)
}

func (s *browserSites) doRemove(origin string) {
	if err := s.u.ctrl.RemoveBrowserSite(origin); err != nil {
		s.u.showError(err)
	}
	s.refresh()
}
