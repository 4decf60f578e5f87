package vault

import (
	"errors"
	"strings"
	"testing"
)

// TestTOTPRefusedAtInput: a malformed authenticator secret is refused when the item is
// added or edited, with the reason, and nothing of that item is saved.
func TestTOTPRefusedAtInput(t *testing.T) {
	v := newTestVault(t)
	good, err := v.Add(&Item{Type: TypeLogin, Title: "Bank", TOTP: "otpauth://totp/Bank?secret=JBSWY3DPEHPK3PXP&digits=8"})
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"JBSWY3DPA", "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=12", "not a secret!"} {
		_, err := v.Add(&Item{Type: TypeApp, Title: "App", TOTP: bad})
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != "totp" || fe.Code != FieldTOTP || !errors.Is(err, ErrInvalidItem) {
			t.Errorf("Add %q: %v, want a totp FieldError", bad, err)
			continue
		}
		if !strings.Contains(fe.Error(), "authenticator") || strings.Contains(fe.Error(), "JBSWY3DPEHPK3PXP") {
			t.Errorf("Add %q: %q", bad, fe.Error())
		}
		edit := good.Clone()
		edit.Title, edit.TOTP = "Bank (changed)", bad
		if _, err := v.Update(edit); !errors.As(err, &fe) || fe.Code != FieldTOTP {
			t.Errorf("Update %q: %v", bad, err)
		}
	}
	if all, err := v.List(Filter{}); err != nil || len(all) != 1 {
		t.Fatalf("%d items stored (%v), want only the valid one", len(all), err)
	}
	if got, _ := v.Get(good.ID); got.Title != "Bank" || got.TOTP != good.TOTP {
		t.Fatalf("a refused edit changed the item: %+v", got)
	}
}
