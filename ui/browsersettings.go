package ui

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/valvpm/valv/browser"
	"github.com/valvpm/valv/browser/hostinstall"
	"github.com/valvpm/valv/ui/appcore"
)

// browsersSection is Settings → Browsers: the paired browsers with their last use and
// Revoke, why autofill is off if it is, installing Valv's host for the browsers, and
// the sites with settings of their own.
type browsersSection struct {
	u         *UI
	problem   *widget.Label
	list      *fyne.Container
	sites     *browserSites
	revoke    map[string]*widget.Button // by browser ID, for tests
	state     *widget.Label             // installed or not
	install   *widget.Button
	uninstall *widget.Button
}

func newBrowsersSection(u *UI) *browsersSection {
	s := &browsersSection{u: u, sites: &browserSites{u: u}}
	u.browser.section = s
	return s
}

func (s *browsersSection) loadUI() fyne.CanvasObject {
	title := widget.NewLabelWithStyle(T("browser.settings.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.problem = errorLabel()
	if err := s.u.ctrl.BrowserProblem(); err != nil {
		s.problem.SetText(say(appcore.BrowserMessage(err)))
		s.problem.Show()
	}
	s.list = container.NewVBox()
	s.state = wrapped("")
	s.install = s.u.button(T("browser.settings.install"), theme.DownloadIcon(), s.doInstall)
	s.uninstall = s.u.button(T("browser.settings.uninstall"), theme.DeleteIcon(), s.doUninstall)
	s.uninstall.Importance = widget.LowImportance
	sites := s.sites.loadUI()
	s.refresh()
	return container.NewVBox(title, wrapped(T("browser.settings.intro")), s.problem, s.list,
		container.NewHBox(s.install, s.uninstall), s.state, widget.NewSeparator(), sites)
}

// refresh rebuilds the lists and the installed state.
func (s *browsersSection) refresh() {
	s.sites.refresh()
	s.list.RemoveAll()
	s.revoke = map[string]*widget.Button{}
	paired := s.u.ctrl.PairedBrowsers()
	if len(paired) == 0 {
		s.list.Add(wrapped(T("browser.settings.none")))
	}
	for _, b := range paired {
		s.list.Add(s.row(b))
	}
	if len(appcore.BrowsersInstalled(s.u.browser.hosts)) > 0 {
		s.state.SetText(T("browser.settings.installed"))
		s.uninstall.Show()
	} else {
		s.state.SetText(T("browser.settings.notInstalled"))
		s.uninstall.Hide()
	}
	s.list.Refresh()
}

// row is one paired browser: its name, when it was connected and last used, Revoke.
func (s *browsersSection) row(b browser.Browser) fyne.CanvasObject {
	name := widget.NewLabelWithStyle(b.Name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	used := T("browser.settings.neverUsed")
	if !b.LastUsed.IsZero() {
		used = T("browser.settings.lastUsed", map[string]any{"When": whenText(b.LastUsed)})
	}
	info := widget.NewLabel(T("browser.settings.connected", map[string]any{"When": whenText(b.Paired)}) + " · " + used)
	revoke := s.u.button(T("browser.settings.revoke"), theme.ContentRemoveIcon(), func() {
		s.u.confirm(T("browser.settings.title"), T("browser.settings.revokeConfirm", map[string]any{"Name": b.Name}),
			T("browser.settings.revoke"), func() { s.doRevoke(b.ID) })
	})
	revoke.Importance = widget.LowImportance
	s.revoke[b.ID] = revoke
	return container.NewBorder(nil, nil, nil, revoke, container.NewVBox(name, info))
}

// whenText is a moment as Settings shows it, in local time.
func whenText(t time.Time) string { return t.Local().Format("2006-01-02 15:04") }

func (s *browsersSection) doRevoke(id string) {
	if err := s.u.ctrl.RevokeBrowser(id); err != nil {
		s.u.showError(err)
	}
	s.refresh()
}

func (s *browsersSection) doInstall() {
	done, err := appcore.InstallBrowsers(s.u.browser.hosts)
	s.refresh()
	if err != nil {
		s.u.showError(err)
		return
	}
	names := make([]string, len(done))
	for i, b := range done {
		names[i] = browserName(b)
	}
	s.u.showMessage(T("browser.settings.title"), T("browser.settings.installDone", map[string]any{"Browsers": strings.Join(names, ", ")}))
}

func (s *browsersSection) doUninstall() {
	if err := appcore.UninstallBrowsers(s.u.browser.hosts); err != nil {
		s.u.showError(err)
	}
	s.refresh()
}

// browserNames are the browsers' own names, the same in every language.
var browserNames = map[hostinstall.Browser]string{
	hostinstall.Chromium: "Chromium",
	hostinstall.Chrome:   "Google Chrome",
	hostinstall.Edge:     "Microsoft Edge",
	hostinstall.Brave:    "Brave",
	hostinstall.Firefox:  "Firefox",
}

func browserName(b hostinstall.Browser) string {
	if n, ok := browserNames[b]; ok {
		return n
	}
	return string(b)
}
