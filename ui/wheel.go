package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// rowsPerNotch is how far one mouse-wheel notch moves a list: about three rows, as file
// managers and browsers scroll, rather than Fyne's fixed step of a third of one of the
// item list's two-line rows.
const rowsPerNotch = 3

// wheelRows lays a catcher of mouse-wheel events over list, whose rows each measure
// row (as the list's template does), so that a notch moves rowsPerNotch rows. The
// catcher takes only wheel events: taps, hover and drags still reach the list and its
// scroll bar beneath, because Fyne hands each event to the top-most object that
// handles that kind.
func wheelRows(list *widget.List, row fyne.CanvasObject) fyne.CanvasObject {
	w := &wheelCatcher{list: list, row: row}
	w.ExtendBaseWidget(w)
	return container.NewStack(list, w)
}

// wheelCatcher turns wheel notches into rows of its list.
type wheelCatcher struct {
	widget.BaseWidget
	list *widget.List
	row  fyne.CanvasObject // a row as the list's template builds it, for its height
}

// Scrolled moves the list by rowsPerNotch rows a notch (wheelDistance).
func (w *wheelCatcher) Scrolled(ev *fyne.ScrollEvent) {
	// The list pads every row by the theme's padding (widget.List's layout).
	rowHeight := w.row.MinSize().Height + theme.Padding()
	w.list.ScrollToOffset(w.list.GetScrollOffset() - wheelDistance(ev.Scrolled.DY, rowHeight))
}

// CreateRenderer draws nothing: the catcher is invisible.
func (w *wheelCatcher) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewWithoutLayout())
}
