package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"github.com/valvpm/valv/ui/appcore"
)

// forcedVariant is Fyne's default theme pinned to light or dark, for the Settings choice
// that overrides the system's appearance.
type forcedVariant struct {
	fyne.Theme
	variant fyne.ThemeVariant
}

// Color returns the default theme's colour for the pinned variant.
func (f forcedVariant) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return f.Theme.Color(n, f.variant)
}

// applyTheme sets the app's theme from the Settings value.
func applyTheme(a fyne.App, name string) {
	switch name {
	case appcore.ThemeLight:
		a.Settings().SetTheme(forcedVariant{theme.DefaultTheme(), theme.VariantLight})
	case appcore.ThemeDark:
		a.Settings().SetTheme(forcedVariant{theme.DefaultTheme(), theme.VariantDark})
	default:
		a.Settings().SetTheme(theme.DefaultTheme())
	}
}
