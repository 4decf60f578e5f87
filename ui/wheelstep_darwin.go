//go:build darwin

package ui

// wheelNotch is the distance that Fyne's desktop driver reports for one notch of a
// mouse wheel on macOS (its scrollSpeed there).
const wheelNotch = 10

// wheelDistance passes macOS's deltas on unchanged: the system already scales them to
// its own scroll-speed setting, and a trackpad scrolls continuously, so rows a notch
// would make it race.
func wheelDistance(dy, _ float32) float32 { return dy }
