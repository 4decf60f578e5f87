package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/valvpm/valv/ui/appcore"
)

// autoLockChoices and clipboardChoices are the delays Settings offers, in seconds
// (0: never).
var (
	autoLockChoices  = []int{60, 120, 300, 600, 900, 1800, 3600, 0}
	clipboardChoices = []int{10, 20, 30, 60, 90, 0}
)

// settingsDialog edits Settings; Save applies them at once (language and theme rebuild
// the window).
type settingsDialog struct {
	u   *UI
	dlg *dialog.CustomDialog

	autoLock  *widget.Select
	clipboard *widget.Select
	language  *widget.Select
	theme     *widget.Select
	changePW  *widget.Button
	account   *accountSection
	sync      *syncSection
	scroll    *container.Scroll
	save      *widget.Button
	cancel    *widget.Button
}

func showSettings(u *UI) *settingsDialog {
	s := &settingsDialog{u: u}
	s.dlg = dialog.NewCustomWithoutButtons(T("settings.title"), s.loadUI(), u.win)
	s.dlg.SetButtons([]fyne.CanvasObject{s.cancel, s.save})
	s.dlg.Resize(fyne.NewSize(480, 0))
	u.settings = s
	u.showDialog(s.dlg)
	return s
}

// delayText names a delay in the person's language.
func delayText(sec int) string {
	switch {
	case sec == 0:
		return T("settings.never")
	case sec%60 == 0:
		return T("settings.minutes", map[string]any{"Count": sec / 60})
	}
	return T("settings.seconds", map[string]any{"Count": sec})
}

func (s *settingsDialog) loadUI() fyne.CanvasObject {
	cur := s.u.ctrl.Settings()
	options := func(choices []int, current int) ([]string, string) {
		var out []string
		sel := ""
		for _, c := range choices {
			out = append(out, delayText(c))
			if c == current {
				sel = delayText(c)
			}
		}
		if sel == "" { // a value set by hand in settings.json
			sel = delayText(current)
			out = append(out, sel)
		}
		return out, sel
	}
	al, alSel := options(autoLockChoices, cur.AutoLockSeconds)
	s.autoLock = widget.NewSelect(al, nil)
	s.autoLock.SetSelected(alSel)
	cl, clSel := options(clipboardChoices, cur.ClipboardSeconds)
	s.clipboard = widget.NewSelect(cl, nil)
	s.clipboard.SetSelected(clSel)

	langs := []string{T("settings.systemLanguage")}
	langSel := langs[0]
	for _, l := range appcore.Languages {
		langs = append(langs, l.Name)
		if l.Code == cur.Language {
			langSel = l.Name
		}
	}
	s.language = widget.NewSelect(langs, nil)
	s.language.SetSelected(langSel)

	themes := []string{T("settings.themeSystem"), T("settings.themeLight"), T("settings.themeDark")}
	s.theme = widget.NewSelect(themes, nil)
	switch cur.Theme {
	case appcore.ThemeLight:
		s.theme.SetSelected(themes[1])
	case appcore.ThemeDark:
		s.theme.SetSelected(themes[2])
	default:
		s.theme.SetSelected(themes[0])
	}
	s.changePW = s.u.button(T("settings.changePassword"), theme.AccountIcon(), func() { showChangePassword(s.u) })
	s.save = s.u.button(T("button.save"), theme.DocumentSaveIcon(), s.doSave)
	s.save.Importance = widget.HighImportance
	s.cancel = s.u.button(T("button.cancel"), theme.CancelIcon(), func() { s.dlg.Hide() })

	form := widget.NewForm(
		widget.NewFormItem(T("settings.autoLock"), s.autoLock),
		widget.NewFormItem(T("settings.clipboard"), s.clipboard),
		widget.NewFormItem(T("settings.language"), s.language),
		widget.NewFormItem(T("settings.theme"), s.theme),
	)
	s.account = newAccountSection(s.u)
	s.sync = newSyncSection(s.u) // sync on/off and the dangerous actions (danger.go)
	s.scroll = s.u.fitWindow(container.NewVBox(form, widget.NewSeparator(), container.NewHBox(s.changePW), widget.NewSeparator(), s.account.loadUI(),
		widget.NewSeparator(), s.sync.loadUI()))
	return s.scroll
}

// pick maps a Select's chosen label back to its value.
func pick(choices []int, label string, fallback int) int {
	for _, c := range choices {
		if delayText(c) == label {
			return c
		}
	}
	return fallback
}

func (s *settingsDialog) doSave() {
	cur := s.u.ctrl.Settings()
	next := cur
	next.AutoLockSeconds = pick(autoLockChoices, s.autoLock.Selected, cur.AutoLockSeconds)
	next.ClipboardSeconds = pick(clipboardChoices, s.clipboard.Selected, cur.ClipboardSeconds)
	next.Language = ""
	for _, l := range appcore.Languages {
		if l.Name == s.language.Selected {
			next.Language = l.Code
		}
	}
	switch s.theme.SelectedIndex() {
	case 1:
		next.Theme = appcore.ThemeLight
	case 2:
		next.Theme = appcore.ThemeDark
	default:
		next.Theme = appcore.ThemeSystem
	}
	if !s.account.apply() {
		return // the dialog stays open with the reason beside the address
	}
	next.CloudURL = s.u.ctrl.Settings().CloudURL
	s.dlg.Hide()
	if err := s.u.ctrl.UpdateSettings(next); err != nil {
		s.u.showMessage(T("dialog.errorTitle"), T("error.settingsSave"))
	}
	if next.Theme != cur.Theme {
		applyTheme(s.u.app, next.Theme)
	}
	if next.Language != cur.Language {
		if err := SetLanguage(next.Language); err != nil {
			fyne.LogError("loading translations", err)
		}
		s.u.reloadUI()
	}
}
