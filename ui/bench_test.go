package ui

import (
	"fmt"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/valvpm/valv/ui/appcore"
	"github.com/valvpm/valv/vault"
)

// BenchmarkSearchKeystroke10k is one keystroke in the search box of a 10 000-item
// vault, through the real widgets: the query, the list refresh and its redraw.
// Run: go test -run '^$' -bench SearchKeystroke ./ui
func BenchmarkSearchKeystroke10k(b *testing.B) {
	a := test.NewTempApp(b)
	dir := b.TempDir()
	b.Setenv(vault.HomeEnv, dir)
	floor := vault.FloorKDF()
	pw := []byte(strongPassword)
	v, err := vault.Create(filepath.Join(dir, "vault.db"), pw, vault.CreateOptions{KDF: &floor})
	if err != nil {
		b.Fatal(err)
	}
	items := make([]*vault.Item, 10000)
	for i := range items {
		items[i] = &vault.Item{Type: vault.TypeLogin, Title: fmt.Sprintf("site %05d", i),
			Username: fmt.Sprintf("user%d@example.com", i), Password: "pw"}
	}
	if _, err := v.AddAll(items); err != nil {
		b.Fatal(err)
	}
	if err := v.Close(); err != nil {
		b.Fatal(err)
	}
	s := appcore.DefaultSettings()
	s.Offline = true
	ta := startTestApp(b, a, dir, s)
	ta.u.unlock.pw.SetText(strongPassword)
	test.Tap(ta.u.unlock.submit)
	if ta.u.main == nil {
		b.Fatal("did not unlock")
	}
	ta.u.win.Resize(fyne.NewSize(960, 640))
	queries := []string{"s", "si", "sit", "site", "site 0", "site 01", "site 012", "site 0123"}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ta.u.main.search.SetText(queries[i%len(queries)])
	}
	b.StopTimer()
	if err := ta.ctrl.Close(); err != nil {
		b.Fatal(err)
	}
}
