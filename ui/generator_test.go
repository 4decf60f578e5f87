package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/valvpm/valv/vault"
)

// TestGeneratorStrengthFromMethod: the generator says what its method gives — five
// words with random capitals about 70 bits, not the ~200 their letters suggest; eight
// digits without the look-alikes 0 and 1 (eight to choose from) 24.
func TestGeneratorStrengthFromMethod(t *testing.T) {
	ta := newTestApp(t, true)
	ta.createVault(strongPassword)
	test.Tap(ta.u.main.generator)
	g := ta.u.gen
	g.mode.SetSelected(T("gen.words"))
	g.length.SetValue(5)
	if want := T("gen.strength", map[string]any{"Strength": strengthName(3), "Bits": "70"}); g.strength.Text != want {
		t.Errorf("five words: %q, want %q", g.strength.Text, want)
	}
	g.mode.SetSelected(T("gen.characters"))
	g.lower.SetChecked(false)
	g.upper.SetChecked(false)
	g.symbols.SetChecked(false)
	g.length.SetValue(vault.MinGenLength)
	if want := T("gen.strength", map[string]any{"Strength": strengthName(0), "Bits": "24"}); g.strength.Text != want {
		t.Errorf("eight digits: %q, want %q", g.strength.Text, want)
	}
}
