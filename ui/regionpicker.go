package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/valvpm/valv/account"
)

// regionPicker is the region Select of the sign-in and create windows, listing the
// server's regions by their names in the person's language; on Sign in it also holds
// the region's quick sign-in buttons.
type regionPicker struct {
	f           *accountFlow
	sel         *widget.Select
	providerBox *fyne.Container           // nil without quick sign-in
	providers   map[string]*widget.Button // by provider ID, for tests
}

func newRegionPicker(f *accountFlow, quick bool) *regionPicker {
	r := &regionPicker{f: f, sel: widget.NewSelect(nil, nil), providers: map[string]*widget.Button{}}
	r.sel.PlaceHolder = T("account.region")
	if quick {
		r.providerBox = container.NewGridWithColumns(3)
	}
	return r
}

// row is the picker with its label.
func (r *regionPicker) row() fyne.CanvasObject {
	return container.NewBorder(nil, nil, widget.NewLabel(T("account.region")), nil, r.sel)
}

// fill lists the regions once they arrived, the chosen one selected.
func (r *regionPicker) fill() {
	regions := r.f.core.Regions()
	var names []string
	chosen := ""
	for _, reg := range regions {
		names = append(names, regionName(reg))
		if reg.Code == r.f.core.Region() {
			chosen = regionName(reg)
		}
	}
	r.sel.OnChanged = nil
	r.sel.SetOptions(names)
	r.sel.SetSelected(chosen)
	r.sel.OnChanged = func(string) {
		if i := r.sel.SelectedIndex(); i >= 0 && i < len(regions) {
			r.f.core.SetRegion(regions[i].Code)
			r.fillProviders()
		}
	}
	r.fillProviders()
}

// fillProviders shows the quick sign-in buttons of the chosen region.
func (r *regionPicker) fillProviders() {
	if r.providerBox == nil {
		return
	}
	r.providerBox.Objects = nil
	r.providers = map[string]*widget.Button{}
	for _, p := range r.f.core.Providers() {
		b := r.f.u.button(providerName(p), nil, func() { r.f.core.Quick(p, r.f.emailTyped()) })
		r.providers[p] = b
		r.f.act(b)
		r.providerBox.Objects = append(r.providerBox.Objects, b)
	}
	r.providerBox.Refresh()
	relayout(r.providerBox)
}

// regionName is a region's name in the person's language (the server's English name
// for a region Valv does not know).
func regionName(r account.Region) string {
	switch r.Code {
	case "eu", "us", "ru", "other":
		return T("region." + r.Code)
	}
	return r.Name
}

// providerName is a quick sign-in provider's brand name (the same in every language).
func providerName(p string) string {
	switch p {
	case "google":
		return "Google"
	case "facebook":
		return "Facebook"
	case "apple":
		return "Apple"
	case "yandex":
		return "Yandex"
	case "vk":
		return "VK"
	}
	return p
}
