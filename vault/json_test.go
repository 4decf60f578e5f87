package vault

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestJSONRoundTrip(t *testing.T) {
	for _, it := range sampleItems() {
		it.ID = newID()
		it.Created, it.Modified = t0, t0
		it.History = []PastPassword{{"old-secret", t0}}
		if it.Type != TypeLogin && it.Type != TypeApp {
			it.History = nil
		}
		b, err := json.Marshal(it)
		if err != nil {
			t.Fatal(err)
		}
		var back Item
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		sameContent(t, &back, it)
		if back.ID != it.ID || !back.Created.Equal(t0) {
			t.Errorf("id/time lost: %s", b)
		}
	}
}

func TestRedacted(t *testing.T) {
	for _, it := range sampleItems() {
		it.History = []PastPassword{{"old-secret", t0}}
		b, _ := json.Marshal(it.Redacted())
		for _, secret := range []string{it.Password, it.CVC, it.PIN, it.TOTP, "old-secret", "4111 1111 1111 1111"} {
			if secret != "" && strings.Contains(string(b), secret) {
				t.Errorf("%s: redacted JSON contains %q", it.Type, secret)
			}
		}
	}
	if got := MaskCardNumber("4111 1111 1111 1234"); got != "•••• 1234" {
		t.Errorf("mask = %q", got)
	}
}
