package appcore

import "testing"

func TestCheckNewPassword(t *testing.T) {
	const strong = "violet Harbour 73 lantern quietly"
	for _, c := range []struct {
		pw, again string
		weakOK    bool
		want      NewPasswordProblem
	}{
		{"", "", true, NewPasswordEmpty},
		{strong, strong + "x", true, NewPasswordMismatch},
		{"abc", "abc", false, NewPasswordWeak},
		{"abc", "abd", false, NewPasswordMismatch}, // a typo is said before the weakness
		{"abc", "abc", true, NewPasswordOK},
		{strong, strong, false, NewPasswordOK},
	} {
		if got := CheckNewPassword([]byte(c.pw), []byte(c.again), c.weakOK); got != c.want {
			t.Errorf("CheckNewPassword(%q, %q, %v) = %d, want %d", c.pw, c.again, c.weakOK, got, c.want)
		}
	}
}
