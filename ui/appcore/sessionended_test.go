package appcore

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/valvpm/valv/account"
	"github.com/valvpm/valv/cloud/api"
	"github.com/valvpm/valv/cloud/cloudtest"
)

// TestPasswordChangeEndsThisSession: the account password changed on another device
// (the website, another app) signs this app out, and what the app then says names that
// as a reason, in every language.
func TestPasswordChangeEndsThisSession(t *testing.T) {
	env := cloudtest.Start(t)
	createCloudAccount(t, env, "moved@example.com", "eu")
	acc := testAccounts(t, env)
	cl, err := acc.Client()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := cl.NewFlow("").SignIn(ctx, "moved@example.com", accountPW); err != nil {
		t.Fatal(err)
	}
	if _, err := cl.Account(ctx); err != nil {
		t.Fatalf("before the change: %v", err)
	}
	env.Post(t, api.PathAccountPassword, env.SignIn(t, "moved@example.com", accountPW),
		api.PasswordRequest{CurrentPassword: accountPW, NewPassword: accountPW + "2"}, nil)
	_, err = cl.Account(ctx)
	if !errors.Is(err, account.ErrSessionExpired) {
		t.Fatalf("after the password changed elsewhere: %v", err)
	}
	m := MessageFor(err)
	langs := translations(t)
	checkSentence(t, "a session ended by a password change", m, langs)
	if !strings.Contains(langs["en"][m.Key], "password was changed") {
		t.Errorf("the app says %q", langs["en"][m.Key])
	}
}
