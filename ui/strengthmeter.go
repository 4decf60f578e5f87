package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/valvpm/valv/vault"
)

// strengthMeter is a bar of four segments, the strength's name and the hints.
type strengthMeter struct {
	segments [4]*canvas.Rectangle
	label    *widget.Label
	hints    *widget.Label
}

func newStrengthMeter() *strengthMeter {
	m := &strengthMeter{label: widget.NewLabel(""), hints: widget.NewLabel("")}
	m.hints.Wrapping = fyne.TextWrapWord
	m.hints.SizeName = theme.SizeNameCaptionText
	for i := range m.segments {
		r := canvas.NewRectangle(theme.Color(theme.ColorNameDisabled))
		r.CornerRadius = 2
		r.SetMinSize(fyne.NewSize(40, 6))
		m.segments[i] = r
	}
	return m
}

func (m *strengthMeter) loadUI() fyne.CanvasObject {
	bar := container.NewGridWithColumns(4, m.segments[0], m.segments[1], m.segments[2], m.segments[3])
	// Spacers keep the bar thin and centred beside the label instead of as tall as it.
	thin := container.NewVBox(layout.NewSpacer(), bar, layout.NewSpacer())
	return container.NewVBox(container.NewBorder(nil, nil, nil, m.label, thin), m.hints)
}

func (m *strengthMeter) update(st vault.Strength, typed bool) {
	colour := theme.Color(theme.ColorNameError)
	switch {
	case st.Score >= 3:
		colour = theme.Color(theme.ColorNameSuccess)
	case st.Score == 2:
		colour = theme.Color(theme.ColorNameWarning)
	}
	for i, r := range m.segments {
		if typed && i < max(st.Score, 1) {
			r.FillColor = colour
		} else {
			r.FillColor = theme.Color(theme.ColorNameDisabled)
		}
		r.Refresh()
	}
	if !typed {
		m.label.SetText(T("strength.none"))
		m.hints.SetText(T("create.rules"))
		return
	}
	m.label.SetText(strengthName(st.Score))
	text := ""
	for _, h := range st.Hints {
		if text != "" {
			text += "\n"
		}
		text += T("hint.bullet", map[string]any{"Hint": hintText(h)})
	}
	if text == "" {
		text = T("hint.none")
	}
	m.hints.SetText(text)
}
