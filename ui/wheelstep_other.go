//go:build !darwin

package ui

// wheelNotch is the distance that Fyne's desktop driver reports for one notch of a
// mouse wheel (its scrollSpeed outside macOS).
const wheelNotch = 25

// wheelDistance turns a wheel delta into the distance the list moves: rowsPerNotch rows
// of the given height a notch.
func wheelDistance(dy, rowHeight float32) float32 {
	return dy / wheelNotch * rowsPerNotch * rowHeight
}
