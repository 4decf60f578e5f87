package ui

import (
	"net/url"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/valvpm/valv/ui/appcore"
	"github.com/valvpm/valv/vault"
)

// mainScreen is the unlocked vault: categories on the left, the list with its search
// box in the middle, the selected item on the right, and the sync control at the bottom.
type mainScreen struct {
	u *UI

	search        *entry
	categories    *widget.List
	list          *widget.List
	count         *widget.Label
	detailBox     *fyne.Container
	detail        *detailView
	addMenu       *fyne.Menu
	addButton     *widget.Button
	generator     *widget.Button
	settings      *widget.Button
	lock          *widget.Button
	syncButton    *widget.Button
	syncLine      *syncLine       // sync status and Sync now, when signed in (syncview.go)
	reminder      *fyne.Container // the weekly "you can connect" note, when due
	notNow        *widget.Button
	remindConnect *widget.Button // the reminder's Enable sync

	selected vault.ID // the item shown in the detail pane, or zero
}

func newMainScreen(u *UI) *mainScreen { return &mainScreen{u: u} }

func (s *mainScreen) loadUI() fyne.CanvasObject {
	c := s.u.ctrl
	s.search = s.u.newEntry()
	s.search.SetPlaceHolder(T("main.search"))
	s.search.ActionItem = widget.NewIcon(theme.SearchIcon())
	s.search.OnChanged = func(q string) {
		c.Touch()
		c.SetQuery(q)
		s.reload()
		s.list.ScrollToTop() // a new query's first results are the ones to see
	}
	// ↓ and Enter take the search into its results: ↓ to move through them, Enter to
	// open the first.
	s.search.onDown = func() { s.openFirst(true) }
	s.search.OnSubmitted = func(string) { s.openFirst(false) }

	s.categories = widget.NewList(
		func() int { return len(appcore.Categories) },
		func() fyne.CanvasObject {
			return container.NewHBox(widget.NewIcon(theme.ListIcon()), widget.NewLabel("Websites and more"))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			row := o.(*fyne.Container)
			row.Objects[0].(*widget.Icon).SetResource(categoryIcon(appcore.Categories[i]))
			row.Objects[1].(*widget.Label).SetText(categoryName(appcore.Categories[i]))
		})
	s.categories.OnSelected = func(i widget.ListItemID) {
		c.Touch()
		c.SetCategory(appcore.Categories[i])
		s.reload()
	}

	s.list = widget.NewList(
		func() int { return len(c.Items()) },
		itemRow,
		func(i widget.ListItemID, o fyne.CanvasObject) {
			items := c.Items()
			if i >= len(items) {
				return
			}
			it := items[i]
			row := o.(*fyne.Container)
			texts := row.Objects[0].(*fyne.Container)
			texts.Objects[0].(*widget.Label).SetText(itemTitle(it.Title))
			texts.Objects[1].(*widget.Label).SetText(subtitle(it))
			row.Objects[1].(*widget.Icon).SetResource(typeIcon(it.Type))
		})
	s.list.OnSelected = func(i widget.ListItemID) {
		c.Touch()
		items := c.Items()
		if i < len(items) {
			s.show(items[i].ID)
		}
	}

	s.count = widget.NewLabel("")
	s.count.SizeName = theme.SizeNameCaptionText
	s.detailBox = container.NewStack()

	s.addMenu = fyne.NewMenu("")
	for _, t := range vault.Types {
		s.addMenu.Items = append(s.addMenu.Items, fyne.NewMenuItemWithIcon(typeName(t), typeIcon(t), func() { s.add(t) }))
	}
	s.addButton = s.u.button(T("main.add"), theme.ContentAddIcon(), func() {
		pop := widget.NewPopUpMenu(s.addMenu, s.u.win.Canvas())
		pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(s.addButton)
		pop.ShowAtPosition(pos.Add(fyne.NewPos(0, s.addButton.Size().Height)))
	})
	s.addButton.Importance = widget.HighImportance
	s.generator = s.u.button(T("main.generator"), theme.ViewRefreshIcon(), func() { showGenerator(s.u, nil) })
	s.settings = s.u.button(T("main.settings"), theme.SettingsIcon(), func() { showSettings(s.u) })
	s.lock = s.u.button(T("main.lock"), theme.LogoutIcon(), s.u.lockNow)
	s.syncButton = s.u.button(T("main.syncSignIn"), theme.UploadIcon(), s.showSyncInfo)
	if c.SignedIn() {
		// Signed in: the control names the account and leads to Settings → Account.
		s.syncButton.SetText(T("main.syncAccount", map[string]any{"Email": s.u.ctrl.AccountEmail()}))
		s.syncButton.SetIcon(theme.AccountIcon())
		s.syncButton.OnTapped = func() { c.Touch(); showSettings(s.u) }
	}
	s.syncButton.Importance = widget.LowImportance

	top := container.NewBorder(nil, nil, nil,
		container.NewHBox(s.addButton, s.generator, s.settings, s.lock), s.search)
	s.syncLine = newSyncLine(s.u, s)
	bottom := container.NewVBox(container.NewBorder(nil, nil, s.syncButton, s.count, s.syncLine.objects()...))
	if s.u.ctrl.ReminderDue() {
		s.reminder = s.reminderUI()
		bottom.Objects = append([]fyne.CanvasObject{s.reminder}, bottom.Objects...)
	}
	sidebar := container.NewBorder(nil, nil, nil, widget.NewSeparator(), s.categories)
	split := container.NewHSplit(wheelRows(s.list, itemRow()), container.NewPadded(s.detailBox))
	split.Offset = 0.42
	s.categories.Select(int(c.Category()))
	s.reload()
	return container.NewBorder(container.NewPadded(top), container.NewVBox(widget.NewSeparator(), bottom), sidebar, nil, split)
}

// itemRow is the list's template row: the type's icon, the title and the subtitle.
func itemRow() fyne.CanvasObject {
	title := widget.NewLabelWithStyle("Title", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.Truncation = fyne.TextTruncateEllipsis
	sub := widget.NewLabel("subtitle")
	sub.Truncation = fyne.TextTruncateEllipsis
	sub.SizeName = theme.SizeNameCaptionText
	return container.NewBorder(nil, nil, widget.NewIcon(theme.AccountIcon()), nil,
		container.New(layout.NewCustomPaddedVBoxLayout(-10), title, sub))
}

// reload refreshes the list and the detail pane from the controller.
func (s *mainScreen) reload() {
	items := s.u.ctrl.Items()
	s.count.SetText(T("main.count", map[string]any{"Count": len(items)}))
	s.list.UnselectAll()
	s.list.Refresh()
	if s.selected != (vault.ID{}) {
		for i, it := range items {
			if it.ID == s.selected {
				s.list.Select(i)
				s.show(it.ID)
				return
			}
		}
	}
	s.showEmpty()
}

func (s *mainScreen) showEmpty() {
	s.selected = vault.ID{}
	s.detail = nil
	s.u.setCodeView(nil)
	msg := T("main.nothingSelected")
	if len(s.u.ctrl.Items()) == 0 {
		msg = T("main.empty")
		if q := strings.TrimSpace(s.search.Text); q != "" {
			msg = T("main.noMatch", map[string]any{"Query": q}) // the vault is not empty
		}
	}
	// A wrapped label inside a Center container would measure one word per line;
	// spacers in a VBox centre it vertically at the pane's full width instead.
	s.detailBox.Objects = []fyne.CanvasObject{container.NewVBox(layout.NewSpacer(), paragraph(msg), layout.NewSpacer())}
	s.detailBox.Refresh()
}

// openFirst selects the list's first item, which opens it, and with focus moves the
// keyboard focus into the list.
func (s *mainScreen) openFirst(focus bool) {
	if len(s.u.ctrl.Items()) == 0 {
		return
	}
	s.list.ScrollToTop()
	s.list.UnselectAll() // so that Select opens it even when it was selected before
	s.list.Select(0)
	if focus {
		s.u.win.Canvas().Focus(s.list)
	}
}

// show puts the item with the given ID in the detail pane.
func (s *mainScreen) show(id vault.ID) {
	it, err := s.u.ctrl.Item(id)
	if err != nil {
		s.showEmpty()
		return
	}
	s.selected = id
	s.detail = newDetailView(s.u, s, it)
	s.detailBox.Objects = []fyne.CanvasObject{s.detail.loadUI()}
	s.detailBox.Refresh()
}

// add opens the editor for a new item of type t.
func (s *mainScreen) add(t vault.Type) {
	s.u.ctrl.Touch()
	showEditor(s.u, &vault.Item{Type: t}, func(saved *vault.Item) {
		s.selected = saved.ID
		s.reload()
	})
}

// reminderUI is the gentle note that an account would sync the vault (PRODUCT.md §1.5:
// at most once a week, dismissible). Dismissing it, or using the sync button, starts
// the next week.
func (s *mainScreen) reminderUI() *fyne.Container {
	text := widget.NewLabel(T("reminder.text"))
	text.Wrapping = fyne.TextWrapWord
	s.notNow = s.u.button(T("reminder.dismiss"), theme.CancelIcon(), s.dismissReminder)
	s.notNow.Importance = widget.LowImportance
	s.remindConnect = s.u.button(T("sync.enable"), theme.LoginIcon(), s.showSyncInfo)
	s.remindConnect.Importance = widget.HighImportance
	return container.NewBorder(nil, nil, widget.NewIcon(theme.InfoIcon()), container.NewHBox(s.remindConnect, s.notNow), text)
}

func (s *mainScreen) dismissReminder() {
	if err := s.u.ctrl.DismissReminder(); err != nil {
		fyne.LogError("saving settings", err)
	}
	if s.reminder != nil {
		s.reminder.Hide()
		relayout(s.reminder)
	}
}

// showSyncInfo is Sign in to enable sync (PRODUCT.md §1.5): what sync needs, and
// Enable sync, which opens the sign-in windows. Using it counts as seeing the reminder.
func (s *mainScreen) showSyncInfo() {
	s.dismissReminder()
	showSyncDialog(s.u)
}

// subtitle is the second line of a list row: what tells two items apart without
// showing a secret.
func subtitle(it *vault.Item) string {
	switch it.Type {
	case vault.TypeLogin:
		if it.Username != "" {
			return it.Username
		}
		if len(it.URLs) > 0 {
			return it.URLs[0]
		}
	case vault.TypeApp:
		if it.Username != "" {
			return it.Username
		}
		return it.Application
	case vault.TypeCard:
		if it.Number != "" {
			return vault.MaskCardNumber(it.Number)
		}
	case vault.TypeAddress:
		var parts []string
		for _, p := range []string{it.Name, it.City} {
			if p = strings.TrimSpace(p); p != "" {
				parts = append(parts, p)
			}
		}
		return strings.Join(parts, T("list.separator"))
	}
	return typeName(it.Type)
}

func typeIcon(t vault.Type) fyne.Resource {
	switch t {
	case vault.TypeLogin:
		return theme.ComputerIcon()
	case vault.TypeApp:
		return theme.GridIcon()
	case vault.TypeCard:
		return theme.StorageIcon()
	case vault.TypeAddress:
		return theme.HomeIcon()
	case vault.TypeNote:
		return theme.DocumentIcon()
	case vault.TypeDocument:
		return theme.FileIcon()
	}
	return theme.QuestionIcon()
}

func categoryIcon(c appcore.Category) fyne.Resource {
	switch c {
	case appcore.CatAll:
		return theme.ListIcon()
	case appcore.CatFavourites:
		return theme.ConfirmIcon()
	case appcore.CatLogin:
		return typeIcon(vault.TypeLogin)
	case appcore.CatApp:
		return typeIcon(vault.TypeApp)
	case appcore.CatCard:
		return typeIcon(vault.TypeCard)
	case appcore.CatAddress:
		return typeIcon(vault.TypeAddress)
	case appcore.CatDocument:
		return typeIcon(vault.TypeDocument)
	}
	return typeIcon(vault.TypeNote)
}

// openURL opens a login's address in the browser, adding https:// to a bare host.
func openURL(a fyne.App, raw string) error {
	if !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	return a.OpenURL(u)
}
