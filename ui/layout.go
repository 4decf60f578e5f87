package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"

	"github.com/valvpm/valv/assets"
)

// centred puts a column of objects in the middle of the window at a readable width.
func centred(objs ...fyne.CanvasObject) fyne.CanvasObject {
	return container.NewCenter(container.New(fixedWidth(420), container.NewVBox(objs...)))
}

// fixedWidth lays its objects out at a fixed width, with the height that wrapped text
// needs at that width (a wrapped label only knows its height once it knows its width).
type fixedWidth float32

// MinSize sizes each object to the fixed width first, so wrapped labels measure right.
func (w fixedWidth) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	for _, o := range objs {
		o.Resize(fyne.NewSize(float32(w), o.MinSize().Height))
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(float32(w), h)
}

// Layout gives every object the full size.
func (w fixedWidth) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

// logo is the app icon at a friendly size.
func logo() fyne.CanvasObject {
	img := canvas.NewImageFromResource(assets.Logo)
	img.FillMode = canvas.ImageFillContain
	img.SetMinSize(fyne.NewSize(72, 72))
	return container.NewCenter(img)
}

// relayout lays the window out again after a message appeared or disappeared, so the
// centred column grows to make room for it.
func relayout(o fyne.CanvasObject) {
	if c := fyne.CurrentApp().Driver().CanvasForObject(o); c != nil && c.Content() != nil {
		c.Content().Refresh()
	}
}
