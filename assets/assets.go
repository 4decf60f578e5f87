// Package assets holds what the desktop app bundles into its binary: the application
// icon, a smaller copy of it for the screens, and the translation files read by Fyne's
// lang package. Keeping them in one package lets the UI, its tests and the screenshot
// tooling load the very same bytes.
package assets

import (
	"embed"
	_ "embed" // the icon is embedded as bytes

	"fyne.io/fyne/v2"
)

//go:embed icon.png
var iconPNG []byte

// Icon is Valv's application icon (the same file FyneApp.toml names).
var Icon = fyne.NewStaticResource("icon.png", iconPNG)

//go:embed logo.png
var logoPNG []byte

// Logo is the icon as the first screens show it, 72 points wide: 216 pixels, enough
// for a 3× display. The screen keeps the decoded picture for as long as it shows, 182
// KiB at this size against 1 MiB for the 512-pixel icon. Made from icon.png with
// ImageMagick: convert icon.png -filter Lanczos -resize 216x216
// -define png:bit-depth=8 -strip PNG32:logo.png
var Logo = fyne.NewStaticResource("logo.png", logoPNG)

// Translations holds one JSON file per language under TranslationsDir, named
// <language>.json as Fyne's lang.AddTranslationsFS expects.
//
//go:embed translations/*.json
var Translations embed.FS

// TranslationsDir is the folder inside Translations that holds the language files.
const TranslationsDir = "translations"
