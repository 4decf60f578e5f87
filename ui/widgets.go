package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// The small pieces every screen and dialog is built from: entries and buttons that
// count as activity for auto-lock and honour the app's keys, and the labels a screen
// uses for its title, text, errors and busy state.

// newEntry returns a text entry that handles Esc and Ctrl+L (a focused entry receives
// shortcuts before the window does) and counts typing as activity for auto-lock.
func (u *UI) newEntry() *entry {
	e := &entry{u: u}
	e.ExtendBaseWidget(e)
	return e
}

// entry is widget.Entry with the app's keys.
type entry struct {
	widget.Entry
	u      *UI
	onDown func() // ↓ in a one-line entry (the search box moves into its results)
}

// TypedKey closes the top dialog on Esc and otherwise behaves as widget.Entry.
func (e *entry) TypedKey(k *fyne.KeyEvent) {
	e.u.ctrl.Touch()
	switch {
	case k.Name == fyne.KeyEscape:
		e.u.closeTopDialog()
		return
	case k.Name == fyne.KeyDown && e.onDown != nil && !e.MultiLine:
		e.onDown()
		return
	}
	e.Entry.TypedKey(k)
}

// AcceptsTab is false even for a multi-line entry (Notes): Tab moves the focus on, as
// people expect of a form; a tab character has no place in a password manager's fields.
func (e *entry) AcceptsTab() bool { return false }

// TypedShortcut gives the app's shortcuts (Ctrl+L…) precedence over widget.Entry, which
// would otherwise swallow them while it has the focus.
func (e *entry) TypedShortcut(s fyne.Shortcut) {
	if e.u.shortcut(s) {
		return
	}
	e.Entry.TypedShortcut(s)
}

// newSecretEntry returns a master-password entry wired to Esc and activity.
func (u *UI) newSecretEntry(placeholder string) *SecretEntry {
	e := NewSecretEntry()
	e.PlaceHolder = placeholder
	e.OnEscape = u.closeTopDialog
	return e
}

// button is a widget.Button whose taps count as activity for auto-lock.
func (u *UI) button(label string, icon fyne.Resource, tapped func()) *widget.Button {
	return widget.NewButtonWithIcon(label, icon, func() {
		u.ctrl.Touch()
		tapped()
	})
}

// heading is a large bold title.
func heading(s string) *widget.Label {
	l := widget.NewLabelWithStyle(s, fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameSubHeadingText
	return l
}

// paragraph is wrapped, centred body text.
func paragraph(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.Wrapping = fyne.TextWrapWord
	l.Alignment = fyne.TextAlignCenter
	return l
}

// errorLabel is a hidden, wrapped label in the error colour: where a screen or dialog
// says what went wrong.
func errorLabel() *widget.Label {
	l := wrapped("")
	l.Importance = widget.DangerImportance
	l.Hide()
	return l
}

// busyBar is a hidden, stopped progress bar shown while a background step runs.
func busyBar() *widget.ProgressBarInfinite {
	p := widget.NewProgressBarInfinite()
	p.Stop()
	p.Hide()
	busyBars.add(p)
	return p
}

// wrapped is left-aligned body text that wraps at the dialog's width.
func wrapped(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// ofWidth lays obj out width wide and as tall as its content needs at that width, but
// at least minHeight. A wrapped label's height depends on its width, so the fixed cell
// of a GridWrap clipped a long sentence (a long file name in Remove file) under the
// dialog's buttons.
func ofWidth(width, minHeight float32, obj fyne.CanvasObject) *fyne.Container {
	return container.New(&widthLayout{width: width, minHeight: minHeight}, obj)
}

type widthLayout struct{ width, minHeight float32 }

func (l *widthLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	h := l.minHeight
	for _, o := range objects {
		// Lay it out at the width it gets, so a wrapped label inside knows its width
		// (a label shown since the last layout, an error, has none yet).
		size := fyne.NewSize(l.width, o.Size().Height)
		if c, ok := o.(*fyne.Container); ok && c.Layout != nil {
			c.Layout.Layout(c.Objects, size)
		}
		o.Resize(size)
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(l.width, h)
}

func (l *widthLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objects {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}
