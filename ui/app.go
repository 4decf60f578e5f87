package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"github.com/valvpm/valv/assets"
	"github.com/valvpm/valv/ui/appcore"
	"github.com/valvpm/valv/vault"
)

// defaultWindowSize fits the sidebar, a list and an item's details side by side.
var defaultWindowSize = fyne.NewSize(960, 640)

// The app's keyboard shortcuts: Ctrl on Linux and Windows, Cmd on macOS.
var (
	lockShortcut   = &desktop.CustomShortcut{KeyName: fyne.KeyL, Modifier: fyne.KeyModifierShortcutDefault}
	newShortcut    = &desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: fyne.KeyModifierShortcutDefault}
	searchShortcut = &desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault}
	userShortcut   = &desktop.CustomShortcut{KeyName: fyne.KeyB, Modifier: fyne.KeyModifierShortcutDefault}
)

// UI is the desktop app's window and its screens. Build it with New, then LoadUI.
type UI struct {
	app  fyne.App
	win  fyne.Window
	ctrl *appcore.Controller

	dialogs []dialog.Dialog // open dialogs, top last, so Esc closes the top one

	// The screen on show; tests reach widgets through these.
	welcome *welcomeScreen
	create  *createScreen
	unlock  *unlockScreen
	main    *mainScreen
	failed  *failedScreen
	acct    *accountFlow // the account windows, while they are on show

	autoOffered bool // auto-connect was offered this run (PRODUCT.md §1.1: on first start)

	// The dialogs opened last, for tests.
	syncDlg    *syncDialog
	editor     *editor
	gen        *generator
	settings   *settingsDialog
	history    *historyDialog
	changePW   *changePasswordDialog
	asked      *dialog.ConfirmDialog
	progress   *progressDialog   // adding, opening or downloading a file (filedialogs.go)
	renameFile *renameFileDialog // Rename of a file
	syncUI     syncUI            // sync's status line and dialogs (syncview.go)

	browser      browserUI     // the browser extension's dialogs and settings (browserpair.go)
	code         *codeView     // the authenticator code on show (totpview.go)
	health       *healthDialog // Password health, when open (healthview.go)
	copyNote     *widget.PopUp // "Copied — clears in 30 s", while on show
	copyNoteText string
}

// New prepares the UI for the given app and controller (state apart from the view).
func New(a fyne.App, ctrl *appcore.Controller) *UI {
	return &UI{app: a, ctrl: ctrl}
}

// LoadUI creates the window and shows the screen the controller's stage calls for. It
// does not call ShowAndRun, so tests can drive the window.
func (u *UI) LoadUI() fyne.Window {
	u.win = u.app.NewWindow("Valv")
	u.win.SetIcon(assets.Icon)
	s := u.ctrl.Settings()
	size := defaultWindowSize
	if s.Window.Width >= 480 && s.Window.Height >= 360 {
		size = fyne.NewSize(s.Window.Width, s.Window.Height)
	}
	u.win.Resize(size)
	applyTheme(u.app, s.Theme)
	for _, sc := range []*desktop.CustomShortcut{lockShortcut, newShortcut, searchShortcut, userShortcut} {
		u.win.Canvas().AddShortcut(sc, func(s fyne.Shortcut) { u.shortcut(s) })
	}
	// Ctrl+C copies the shown item's password, as in KeePassXC, when no text field has
	// the focus: a focused entry (the search box) takes Ctrl+C itself, to copy its text.
	u.win.Canvas().AddShortcut(&fyne.ShortcutCopy{}, func(fyne.Shortcut) {
		u.ctrl.Touch()
		u.copyShownField("password")
	})
	u.win.Canvas().SetOnTypedKey(func(k *fyne.KeyEvent) {
		if k.Name == fyne.KeyEscape {
			u.closeTopDialog()
		}
		u.ctrl.Touch()
	})
	u.win.SetCloseIntercept(func() {
		u.rememberWindow()
		if err := u.ctrl.Close(); err != nil {
			// Every change was committed when it was made; a failing close only
			// means the file lock is released by the OS on exit instead.
			fyne.LogError("closing the vault", err)
		}
		u.win.Close()
	})
	u.ctrl.OnLocked = func() {
		// Also remember the window here: a session that ends without closing the
		// window (logout, kill) still keeps its place.
		u.rememberWindow()
		// The last editor's entries hold what was typed into them; a locked app keeps
		// no reference to it.
		u.editor = nil
		u.showStage()
	}
	u.win.SetOnDropped(u.dropped)
	u.ctrl.SetFileOpener(func(path string) error { return u.app.OpenURL(fileURL(path)) })
	u.ctrl.OnItemsChanged = func() {
		if u.main != nil {
			u.main.reload()
		}
	}
	u.showStage()
	return u.win
}

// RestorePosition moves the window to where it was when Valv last closed. Call it once
// the window is on screen (the app does so when it has started).
func (u *UI) RestorePosition() {
	if g := u.ctrl.Settings().Window; g.HasPos && g.X > -10000 && g.Y > -10000 {
		moveWindow(u.win, g.X, g.Y)
	}
}

// Window returns the app's window.
func (u *UI) Window() fyne.Window { return u.win }

// rememberWindow saves the window size for the next start.
func (u *UI) rememberWindow() {
	s := u.ctrl.Settings()
	sz := u.win.Canvas().Size()
	s.Window = appcore.WindowGeometry{Width: sz.Width, Height: sz.Height}
	if x, y, ok := windowPosition(u.win); ok {
		s.Window.X, s.Window.Y, s.Window.HasPos = x, y, true
	}
	if err := u.ctrl.UpdateSettings(s); err != nil {
		fyne.LogError("saving settings", err)
	}
}

// showStage replaces the window's content with the screen the current stage calls for.
// It is also how locking removes every decrypted value from the window: the old screen
// and everything it referenced are dropped.
func (u *UI) showStage() {
	u.closeAllDialogs()
	if u.acct != nil {
		u.acct.stop()
	}
	u.welcome, u.create, u.unlock, u.main, u.failed, u.acct = nil, nil, nil, nil, nil, nil
	stage := u.ctrl.Stage()
	// The title says when the vault is locked, for the taskbar (and the smoke test).
	if stage == appcore.StageLocked {
		u.win.SetTitle(T("window.locked"))
	} else {
		u.win.SetTitle("Valv")
	}
	switch stage {
	case appcore.StageOpenFailed:
		u.failed = newFailedScreen(u)
		u.setContent(u.failed.loadUI())
	case appcore.StageNoVault:
		// The welcome window until the person chose: run offline, or connect (then
		// the master password comes next, PRODUCT.md §1.4).
		if !u.ctrl.Settings().Offline && !u.ctrl.SignedIn() {
			u.welcome = newWelcomeScreen(u)
			u.setContent(u.welcome.loadUI())
			u.offerAutoConnect()
			return
		}
		u.create = newCreateScreen(u)
		u.setContent(u.create.loadUI())
		u.focusSoon(u.create.pair.pw1)
		if u.ctrl.SignedIn() {
			// Signed in but no vault here (a new computer, a reinstall): offer the
			// account's vault, as after signing in.
			u.afterConnect()
		}
	case appcore.StageLocked:
		u.unlock = newUnlockScreen(u)
		u.setContent(u.unlock.loadUI())
		u.focusSoon(u.unlock.pw)
	case appcore.StageUnlocked:
		u.main = newMainScreen(u)
		u.setContent(u.main.loadUI())
	}
}

// focusSoon focuses f after the current input event is fully handled. A key that
// changed the screen (Space on the welcome button) is followed by its character event;
// focusing at once would type that character into the new screen's password field.
func (u *UI) focusSoon(f fyne.Focusable) {
	u.ctrl.OnUI(func() { u.win.Canvas().Focus(f) })
}

func (u *UI) setContent(o fyne.CanvasObject) {
	u.win.SetContent(o)
	u.win.SetMainMenu(u.fileMenu()) // File → Import/Export follow the screen (transfer.go)
}

// lockNow is the Lock button and Ctrl+L.
func (u *UI) lockNow() {
	if !u.ctrl.Locked() {
		u.ctrl.Lock()
	}
}

// shortcut runs one of the app's shortcuts and reports whether s was one.
func (u *UI) shortcut(s fyne.Shortcut) bool {
	cs, ok := s.(*desktop.CustomShortcut)
	if !ok || cs.Modifier != fyne.KeyModifierShortcutDefault {
		return false
	}
	u.ctrl.Touch()
	switch cs.KeyName {
	case fyne.KeyL:
		u.lockNow()
	case fyne.KeyN:
		if u.main != nil && len(u.dialogs) == 0 {
			u.main.add(vault.TypeLogin)
		}
	case fyne.KeyF:
		if u.main != nil && len(u.dialogs) == 0 {
			u.win.Canvas().Focus(u.main.search)
		}
	case fyne.KeyB:
		u.copyShownField("username")
	default:
		return false
	}
	return true
}

// copyShownField copies the field key of the item the main screen shows, as its copy
// button would; nothing happens while a dialog is open or when the item has no such
// field.
func (u *UI) copyShownField(key string) {
	if u.main == nil || u.main.detail == nil || len(u.dialogs) != 0 {
		return
	}
	if r := u.main.detail.row(key); r != nil {
		u.copyValue(r.value)
	}
}

// reloadUI rebuilds the current screen, after a language or theme change.
func (u *UI) reloadUI() {
	u.showStage()
}

// afterVaultSwap shows the vault that took the old one's place, keeping the dialog
// that reports it (showStage would close it).
func (u *UI) afterVaultSwap() {
	if u.main != nil {
		u.main.reload()
		return
	}
	u.showStage()
}

// afterConnect continues after the account windows' Continue: the vault links now
// when it is unlocked, or the account's vault is offered over the create screen
// (appcore.Controller.AfterConnect decides).
func (u *UI) afterConnect() {
	u.ctrl.AfterConnect(func() {
		if u.create != nil {
			showDownload(u)
		}
	})
}
