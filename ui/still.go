package ui

import (
	"sync"
	"weak"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// Still reports whether nothing in the window moves by itself: no busy bar runs and no
// text field, whose cursor blinks, has the focus. The desktop app lets its event loop
// sleep while it holds (cmd/valv). Call it on the UI goroutine.
func (u *UI) Still() bool {
	if f := u.win.Canvas().Focused(); f != nil {
		if _, text := f.(interface{ SelectedText() string }); text {
			return false
		}
	}
	return !busyBars.running(u.win.Canvas())
}

// busyBars are the progress bars busyBar made, held weakly so a closed screen's bar
// is not kept alive by the list.
var busyBars barList

type barList struct {
	mu   sync.Mutex
	bars []weak.Pointer[widget.ProgressBarInfinite]
}

func (l *barList) add(p *widget.ProgressBarInfinite) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.bars = append(l.bars, weak.Make(p))
}

// running reports whether a bar on canvas c animates, forgetting the bars that are gone.
func (l *barList) running(c fyne.Canvas) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	live := l.bars[:0]
	moving := false
	for _, w := range l.bars {
		p := w.Value()
		if p == nil {
			continue
		}
		live = append(live, w)
		moving = moving || p.Running() && fyne.CurrentApp().Driver().CanvasForObject(p) == c
	}
	clear(l.bars[len(live):])
	l.bars = live
	return moving
}
