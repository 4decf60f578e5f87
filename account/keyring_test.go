package account

import (
	"errors"
	"testing"

	"github.com/valvpm/valv/cloud/cloudtest"
	"github.com/zalando/go-keyring"
)

// TestKeyringUnavailable: with no working keyring the app still signs in, keeps the
// session for this run, and says why it will not be remembered.
func TestKeyringUnavailable(t *testing.T) {
	keyring.MockInitWithError(errors.New("org.freedesktop.secrets was not provided by any .service files"))
	t.Cleanup(keyring.MockInit)
	env := cloudtest.Start(t)
	store := &KeyringStore{}
	c, err := New(env.URL, Options{Store: store, ShareSignIn: true, Now: env.Clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	st, err := c.NewFlow("").CreateAccount(bg, CreateForm{Email: "nokeyring@example.com", Password: goodPassword, Confirm: goodPassword, Region: "eu"})
	if err != nil || st.Step != StepConnected {
		t.Fatalf("create without keyring: %v at %s", err, st.Step)
	}
	if !errors.Is(store.Warning(), ErrKeyringUnavailable) {
		t.Errorf("warning = %v", store.Warning())
	}
	if _, err := c.Account(bg); err != nil {
		t.Errorf("session unusable without keyring: %v", err)
	}
	// Within this run a second client (another window) shares the in-memory session.
	c2, _ := New(env.URL, Options{Store: store, Now: env.Clock.Now})
	if !c2.SignedIn() {
		t.Error("in-memory session not shared within the run")
	}
}

func TestKeyringMock(t *testing.T) {
	keyring.MockInit()
	k := &KeyringStore{App: "valv-cli"}
	if s, err := k.Load("h"); s != nil || err != nil {
		t.Fatalf("empty keyring: %v %v", s, err)
	}
	k.Save("h", &StoredSession{Email: "e", RefreshToken: "t"})
	if s, _ := (&KeyringStore{}).Load("h"); s != nil {
		t.Error("the desktop app saw valv-cli's session")
	}
	if s, _ := k.Load("h"); s == nil || s.RefreshToken != "t" {
		t.Errorf("load = %+v", s)
	}
	// A damaged entry reads as no session.
	keyring.Set(KeyringService, "valv-cli session h", "{garbage")
	if s, _ := k.Load("h"); s != nil {
		t.Errorf("garbage entry = %+v", s)
	}
}
