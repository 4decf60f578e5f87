package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/valvpm/valv/vault"
)

// generator is the password generator dialog. Opened from the editor it has a Use
// button that hands the password back; opened on its own it offers Copy.
type generator struct {
	u     *UI
	use   func(string)
	opts  vault.GenOptions
	words bool
	count int // words in a passphrase

	dlg      *dialog.CustomDialog
	result   *widget.Label
	strength *widget.Label
	mode     *widget.RadioGroup
	length   *widget.Slider
	lenLabel *widget.Label
	lower    *widget.Check
	upper    *widget.Check
	digits   *widget.Check
	symbols  *widget.Check
	noLook   *widget.Check
	again    *widget.Button
	copy     *widget.Button
	accept   *widget.Button
	close    *widget.Button
	value    string
}

// showGenerator opens the generator. use is nil when it is opened on its own.
func showGenerator(u *UI, use func(string)) *generator {
	g := &generator{u: u, use: use, opts: vault.DefaultGenOptions, count: 5}
	g.dlg = dialog.NewCustomWithoutButtons(T("gen.title"), g.loadUI(), u.win)
	buttons := []fyne.CanvasObject{g.close, g.copy}
	if use != nil {
		buttons = append(buttons, g.accept)
	}
	g.dlg.SetButtons(buttons)
	g.dlg.Resize(fyne.NewSize(520, 0))
	u.gen = g
	u.showDialog(g.dlg)
	return g
}

func (g *generator) loadUI() fyne.CanvasObject {
	g.result = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Monospace: true})
	g.result.Wrapping = fyne.TextWrapBreak
	g.strength = widget.NewLabel("")
	g.strength.Alignment = fyne.TextAlignCenter
	g.strength.SizeName = theme.SizeNameCaptionText
	g.mode = widget.NewRadioGroup([]string{T("gen.characters"), T("gen.words")}, func(s string) {
		g.words = s == T("gen.words")
		g.regenerate()
	})
	g.mode.Horizontal = true
	g.length = widget.NewSlider(vault.MinGenLength, 64)
	g.length.Step = 1
	g.length.Value = float64(g.opts.Length)
	g.length.OnChanged = func(v float64) {
		if g.words {
			g.count = int(v)
		} else {
			g.opts.Length = int(v)
		}
		g.regenerate()
	}
	g.lenLabel = widget.NewLabel("")
	check := func(key string, on *bool) *widget.Check {
		c := widget.NewCheck(T(key), func(b bool) {
			*on = b
			g.regenerate()
		})
		c.Checked = *on
		return c
	}
	g.lower = check("gen.lower", &g.opts.Lower)
	g.upper = check("gen.upper", &g.opts.Upper)
	g.digits = check("gen.digits", &g.opts.Digits)
	g.symbols = check("gen.symbols", &g.opts.Symbols)
	g.noLook = check("gen.noLookAlikes", &g.opts.NoLookAlikes)
	g.again = g.u.button(T("gen.again"), theme.ViewRefreshIcon(), g.regenerate)
	g.copy = g.u.button(T("gen.copy"), theme.ContentCopyIcon(), func() { g.u.copyValue(g.value) })
	g.accept = g.u.button(T("gen.use"), theme.ConfirmIcon(), func() {
		g.use(g.value)
		g.dlg.Hide()
	})
	g.accept.Importance = widget.HighImportance
	g.close = g.u.button(T("button.close"), theme.CancelIcon(), func() { g.dlg.Hide() })
	g.mode.SetSelected(T("gen.characters"))
	return container.NewVBox(
		widget.NewCard("", "", container.NewVBox(g.result, g.strength)),
		g.mode,
		container.NewBorder(nil, nil, g.lenLabel, nil, g.length),
		container.NewGridWithColumns(2, g.lower, g.upper, g.digits, g.symbols),
		g.noLook,
		container.NewCenter(g.again),
	)
}

// regenerate makes a new password from the current options.
func (g *generator) regenerate() {
	if g.result == nil || g.noLook == nil {
		return // still building the dialog
	}
	g.u.ctrl.Touch()
	var err error
	var st vault.Strength // from how the value is drawn, not from how it looks
	if g.words {
		g.length.Min, g.length.Max = vault.MinWords, vault.MaxWords
		g.count = min(max(g.count, vault.MinWords), vault.MaxWords)
		g.length.Value = float64(g.count)
		g.lenLabel.SetText(T("gen.wordCount", map[string]any{"Count": g.count}))
		g.value, err = vault.Passphrase(g.count, "-", true)
		st = vault.PassphraseStrength(g.count, true)
		for _, c := range []*widget.Check{g.lower, g.upper, g.digits, g.symbols, g.noLook} {
			c.Disable()
		}
	} else {
		g.length.Min, g.length.Max = vault.MinGenLength, 64
		g.opts.Length = min(max(g.opts.Length, vault.MinGenLength), 64)
		g.length.Value = float64(g.opts.Length)
		g.lenLabel.SetText(T("gen.length", map[string]any{"Count": g.opts.Length}))
		for _, c := range []*widget.Check{g.lower, g.upper, g.digits, g.symbols, g.noLook} {
			c.Enable()
		}
		g.value, err = vault.Generate(g.opts)
		st = vault.PasswordStrength(g.opts)
	}
	g.length.Refresh()
	if err != nil {
		// Only possible with every character class off.
		g.value = ""
		g.result.SetText(T("gen.needClass"))
		g.strength.SetText("")
		g.copy.Disable()
		g.accept.Disable()
		return
	}
	g.copy.Enable()
	g.accept.Enable()
	g.result.SetText(g.value)
	g.strength.SetText(T("gen.strength", map[string]any{"Strength": strengthName(st.Score), "Bits": fmt.Sprintf("%.0f", st.Bits)}))
}
