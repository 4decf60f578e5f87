package ui

import (
	"image/color"
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// SecretEntry is a one-line entry for master passwords that keeps no copies of what was
// typed. Fyne's widget.Entry rebuilds a string on every keystroke and keeps an undo
// history, so a password would linger in many immutable strings. SecretEntry keeps the
// text in one []rune, renders only bullets, has no undo, no selection, no copy, and
// Wipe zeroes the buffer in place.
type SecretEntry struct {
	widget.BaseWidget

	// PlaceHolder is shown while the entry is empty.
	PlaceHolder string
	// OnChanged is called after each edit. It does not get the text: call Len, or Bytes
	// when the value is really needed (and wipe that copy).
	OnChanged func()
	// OnSubmitted is called when Enter is pressed.
	OnSubmitted func()
	// OnEscape is called when Esc is pressed (the window closes the open dialog).
	OnEscape func()
	// OnShortcut gets the shortcuts other than Paste (the app's Ctrl+L…); nil drops them.
	OnShortcut func(fyne.Shortcut)
	// Revealed draws the text instead of bullets (the editor's eye button). Drawing it
	// builds a string of the text, as showing any text does; it is only done while the
	// person asked to see it.
	Revealed bool

	buf     []rune
	focused bool
}

// NewSecretEntry returns an empty secret entry.
func NewSecretEntry() *SecretEntry {
	e := &SecretEntry{}
	e.ExtendBaseWidget(e)
	return e
}

// Len returns how many characters were typed.
func (e *SecretEntry) Len() int { return len(e.buf) }

// Bytes returns the UTF-8 encoding of the text in a new slice. The caller owns it and
// should wipe it once used.
func (e *SecretEntry) Bytes() []byte {
	n := 0
	for _, r := range e.buf {
		n += utf8.RuneLen(r)
	}
	b := make([]byte, 0, n)
	for _, r := range e.buf {
		b = utf8.AppendRune(b, r)
	}
	return b
}

// Wipe zeroes and empties the buffer.
func (e *SecretEntry) Wipe() {
	for i := range e.buf {
		e.buf[i] = 0
	}
	e.buf = e.buf[:0]
	e.Refresh()
}

// SetText replaces the content; it exists for tests and is not used with real
// passwords by the app.
func (e *SecretEntry) SetText(s string) {
	e.Wipe()
	for _, r := range s {
		e.insert(r)
	}
	e.changed()
}

func (e *SecretEntry) insert(r rune) {
	if len(e.buf) == cap(e.buf) {
		// Grow by hand so the old backing array can be wiped, not left to the GC.
		nb := make([]rune, len(e.buf), 2*cap(e.buf)+16)
		copy(nb, e.buf)
		for i := range e.buf {
			e.buf[i] = 0
		}
		e.buf = nb
	}
	e.buf = append(e.buf, r)
}

func (e *SecretEntry) changed() {
	e.Refresh()
	if e.OnChanged != nil {
		e.OnChanged()
	}
}

// TypedRune appends a character.
func (e *SecretEntry) TypedRune(r rune) {
	if r < 0x20 || r == 0x7f {
		return // control characters cannot be typed back reliably
	}
	e.insert(r)
	e.changed()
}

// TypedKey handles Backspace, Enter and Esc.
func (e *SecretEntry) TypedKey(k *fyne.KeyEvent) {
	switch k.Name {
	case fyne.KeyBackspace:
		if n := len(e.buf); n > 0 {
			e.buf[n-1] = 0
			e.buf = e.buf[:n-1]
			e.changed()
		}
	case fyne.KeyReturn, fyne.KeyEnter:
		if e.OnSubmitted != nil {
			e.OnSubmitted()
		}
	case fyne.KeyEscape:
		if e.OnEscape != nil {
			e.OnEscape()
		}
	}
}

// TypedShortcut pastes the clipboard's text at the end (a password copied from
// elsewhere); other shortcuts go to OnShortcut. There is no copy or cut: the text never
// leaves the entry but through Bytes.
func (e *SecretEntry) TypedShortcut(s fyne.Shortcut) {
	p, ok := s.(*fyne.ShortcutPaste)
	if !ok {
		if e.OnShortcut != nil {
			e.OnShortcut(s)
		}
		return
	}
	if p.Clipboard == nil {
		return
	}
	n := 0
	for _, r := range p.Clipboard.Content() {
		if r < 0x20 || r == 0x7f {
			continue // a line break or tab pasted with it is no part of the secret
		}
		e.insert(r)
		n++
	}
	if n > 0 {
		e.changed()
	}
}

// SetRevealed shows the text in clear, or as bullets again.
func (e *SecretEntry) SetRevealed(on bool) {
	e.Revealed = on
	e.Refresh()
}

// FocusGained shows the focus border.
func (e *SecretEntry) FocusGained() { e.focused = true; e.Refresh() }

// FocusLost hides the focus border.
func (e *SecretEntry) FocusLost() { e.focused = false; e.Refresh() }

// Tapped focuses the entry.
func (e *SecretEntry) Tapped(*fyne.PointEvent) {
	if c := fyne.CurrentApp().Driver().CanvasForObject(e); c != nil {
		c.Focus(e)
	}
}

// MinSize is one entry line wide enough for a long password's bullets.
func (e *SecretEntry) MinSize() fyne.Size {
	e.ExtendBaseWidget(e)
	return e.BaseWidget.MinSize()
}

// CreateRenderer draws a background, a border, the bullets (or the placeholder) and a
// cursor when focused.
func (e *SecretEntry) CreateRenderer() fyne.WidgetRenderer {
	bg := canvas.NewRectangle(color.Transparent)
	text := canvas.NewText("", color.Black)
	cursor := canvas.NewRectangle(color.Black)
	r := &secretRenderer{e: e, bg: bg, text: text, cursor: cursor}
	r.Refresh()
	return r
}

type secretRenderer struct {
	e      *SecretEntry
	bg     *canvas.Rectangle
	text   *canvas.Text
	cursor *canvas.Rectangle
}

func (r *secretRenderer) Layout(size fyne.Size) {
	r.bg.Resize(size)
	pad := theme.InnerPadding()
	if r.e.Len() > 0 {
		r.text.Text = r.shown(size.Width - 2*pad)
	}
	ts := r.text.MinSize()
	r.text.Move(fyne.NewPos(pad, (size.Height-ts.Height)/2))
	r.text.Resize(fyne.NewSize(size.Width-2*pad, ts.Height))
	x := pad
	if r.e.Len() > 0 {
		x += ts.Width
	}
	r.cursor.Move(fyne.NewPos(x, (size.Height-ts.Height)/2))
	r.cursor.Resize(fyne.NewSize(theme.InputBorderSize(), ts.Height))
}

// shown is what the box of width avail shows of the text: as many bullets as fit, or
// revealed, the end of the text (where typing goes on) after an ellipsis when all of it
// does not fit. Bullets are the only string built from the content unless the person
// asked to see it, and they tell nothing but the length, which the screen shows anyway.
func (r *secretRenderer) shown(avail float32) string {
	buf := r.e.buf
	size, style := r.text.TextSize, fyne.TextStyle{}
	if !r.e.Revealed {
		n := len(buf)
		if w := fyne.MeasureText("•", size, style).Width; avail > 0 && w > 0 {
			n = min(n, int(avail/w))
		}
		return strings.Repeat("•", n)
	}
	all := string(buf)
	w := fyne.MeasureText(all, size, style).Width
	if avail <= 0 || w <= avail {
		return all
	}
	// Fyne caches a measure per text, so measuring tail after tail would leave each in
	// its cache: guess the tail from the mean width instead, two characters short.
	k := int(float32(len(buf))*(avail-fyne.MeasureText("…", size, style).Width)/w) - 2
	return "…" + string(buf[len(buf)-max(k, 0):])
}

func (r *secretRenderer) MinSize() fyne.Size {
	ts := fyne.MeasureText("M", theme.TextSize(), fyne.TextStyle{})
	pad := theme.InnerPadding()
	return fyne.NewSize(ts.Width*12+2*pad, ts.Height+2*pad)
}

func (r *secretRenderer) Refresh() {
	th := r.e.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	r.bg.FillColor = th.Color(theme.ColorNameInputBackground, v)
	r.bg.CornerRadius = th.Size(theme.SizeNameInputRadius)
	r.bg.StrokeWidth = th.Size(theme.SizeNameInputBorder)
	if r.e.focused {
		r.bg.StrokeColor = th.Color(theme.ColorNamePrimary, v)
	} else {
		r.bg.StrokeColor = th.Color(theme.ColorNameInputBorder, v)
	}
	r.text.TextSize = th.Size(theme.SizeNameText)
	if r.e.Len() > 0 {
		r.text.Color = th.Color(theme.ColorNameForeground, v) // Layout sets the text
	} else {
		r.text.Text = r.e.PlaceHolder
		r.text.Color = th.Color(theme.ColorNamePlaceHolder, v)
	}
	r.cursor.FillColor = th.Color(theme.ColorNamePrimary, v)
	r.cursor.Hidden = !r.e.focused
	r.Layout(r.e.Size())
	r.bg.Refresh()
	r.text.Refresh()
	r.cursor.Refresh()
}

func (r *secretRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.bg, r.text, r.cursor}
}

func (r *secretRenderer) Destroy() {}
