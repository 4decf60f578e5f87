package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/valvpm/valv/ui/appcore"
)

// ringSize is the countdown ring's diameter; ringHole how much of it is cut out.
const (
	ringSize = 26
	ringHole = 0.55
	// soonSeconds is when the ring turns to the warning colour: too little time to
	// type the code in.
	soonSeconds = 5
)

// codeView is an item's authenticator code in its detail pane: the code in two groups,
// a ring that empties as the period runs out, the seconds left, and Copy code. The
// code changes when the period turns (appcore.AuthTicker wakes it on the app's clock).
type codeView struct {
	u      *UI
	ticker *appcore.AuthTicker

	code  *widget.Label
	left  *widget.Label
	track *canvas.Arc
	ring  *canvas.Arc
	copy  *widget.Button
	ui    fyne.CanvasObject
}

// newCodeView builds the view of what a TOTP field holds and starts its ticker; it
// returns nil when Valv cannot make codes from the field (an imported key Validate
// would refuse), so the pane shows the field as it is instead.
func newCodeView(u *UI, field string) *codeView {
	v := &codeView{u: u}
	caption := widget.NewLabelWithStyle(T("totp.code"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	caption.SizeName = theme.SizeNameCaptionText
	v.code = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true, Monospace: true})
	v.code.SizeName = theme.SizeNameSubHeadingText
	v.left = widget.NewLabel("")
	v.left.SizeName = theme.SizeNameCaptionText
	v.track = canvas.NewArc(0, 360, ringHole, theme.Color(theme.ColorNameInputBorder))
	v.ring = canvas.NewArc(0, 360, ringHole, theme.Color(theme.ColorNamePrimary))
	ring := container.NewGridWrap(fyne.NewSquareSize(ringSize), container.NewStack(v.track, v.ring))
	v.copy = u.button(T("totp.copy"), theme.ContentCopyIcon(), v.doCopy)
	v.ui = container.NewBorder(nil, nil, nil, container.NewCenter(container.NewHBox(container.NewCenter(ring), v.copy)),
		container.New(layout.NewCustomPaddedVBoxLayout(-12), caption, v.code, v.left))

	t, err := u.ctrl.WatchCode(field, v.show)
	if err != nil {
		return nil
	}
	v.ticker = t
	u.setCodeView(v)
	return v
}

// show puts one moment's code on screen.
func (v *codeView) show(c appcore.AuthCode) {
	v.code.SetText(c.Grouped)
	v.left.SetText(T("totp.remaining", map[string]any{"Seconds": c.Seconds}))
	v.ring.EndAngle = float32(360 * c.Left)
	v.ring.FillColor = theme.Color(theme.ColorNamePrimary)
	if c.Seconds <= soonSeconds {
		v.ring.FillColor = theme.Color(theme.ColorNameWarning)
	}
	v.ring.Refresh()
}

func (v *codeView) doCopy() { v.ticker.Copy() }

func (v *codeView) stop() { v.ticker.Stop() }

// setCodeView makes v the one code on show, stopping the one before: only the detail
// pane shows a code, and a pane that is replaced (another item, a language switch)
// must not keep its timer. nil stops the code on show.
func (u *UI) setCodeView(v *codeView) {
	if u.code != nil && u.code != v {
		u.code.stop()
	}
	u.code = v
}
