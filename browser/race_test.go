package browser_test

import (
	"sync"
	"sync/atomic"
	"testing"

	"github.com/valvpm/valv/browser"
	"github.com/valvpm/valv/browser/browsertest"
	"github.com/valvpm/valv/vault"
)

// TestFillRacingLock: fills asked for while the vault locks get the whole password or
// "locked", never the zero bytes the lock wipes the vault's copy to.
func TestFillRacingLock(t *testing.T) {
	app := browsertest.Start(t, socketPath(t))
	const pw = "Racing-Lock-Password-77"
	it, err := app.Vault.Add(&vault.Item{Type: vault.TypeLogin, Title: "Bank", URLs: []string{"https://bank.example"}, Username: "ann", Password: pw})
	if err != nil {
		t.Fatal(err)
	}
	ref := it.ID.String()
	var clients []*browser.Client
	for range 4 {
		c := connect(t, app, nil)
		if !pair(t, app, c, true) {
			t.Fatal("pairing refused")
		}
		clients = append(clients, c)
	}
	fill := browser.Request{Action: browser.ActionFill, URL: "https://bank.example/login", Ref: ref}
	for round := range 10 {
		var wrong atomic.Int32
		var filled atomic.Int64
		started := make(chan struct{})
		var once sync.Once
		var wg sync.WaitGroup
		for _, c := range clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					r, err := c.Do(fill)
					if err == nil && r.Error == browser.CodeLocked {
						return
					}
					if err != nil || r.Error != "" || r.Password != pw || r.Username != "ann" {
						wrong.Add(1)
						return
					}
					if filled.Add(1) >= 8 {
						once.Do(func() { close(started) })
					}
				}
			}()
		}
		<-started
		app.Vault.Lock()
		wg.Wait()
		if n := wrong.Load(); n != 0 {
			t.Fatalf("round %d: %d fills racing the lock got something other than the password or \"locked\"", round, n)
		}
		if err := app.Vault.Unlock([]byte(browsertest.Password)); err != nil {
			t.Fatal(err)
		}
	}
}
