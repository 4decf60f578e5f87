package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	isecret "github.com/valvpm/valv/internal/secret"
	"github.com/valvpm/valv/ui/appcore"
	"github.com/valvpm/valv/vault"
)

// passwordPair is a new master password typed twice, with its strength meter and the
// explicit confirmation a weak one needs. The create screen and Change master password
// share it.
type passwordPair struct {
	u         *UI
	pw1, pw2  *SecretEntry
	meter     *strengthMeter
	weakOK    *widget.Check
	weakRow   *fyne.Container // weakOK and its text, which wraps at the form's width
	message   *widget.Label
	lastScore int
}

func newPasswordPair(u *UI, first, second string) *passwordPair {
	p := &passwordPair{u: u, lastScore: -1}
	p.pw1 = u.newSecretEntry(first)
	p.pw2 = u.newSecretEntry(second)
	p.meter = newStrengthMeter()
	// A check's own text never wraps and would run past the form's edge.
	p.weakOK = widget.NewCheck("", nil)
	p.weakRow = container.NewBorder(nil, nil, p.weakOK, nil, wrapped(T("create.weakConfirm")))
	p.showWeak(false)
	p.message = errorLabel()
	p.pw1.OnChanged = p.changed
	p.pw2.OnChanged = func() { u.ctrl.Touch(); p.message.Hide() }
	p.pw1.OnSubmitted = func() { u.win.Canvas().Focus(p.pw2) }
	p.meter.update(vault.Strength{}, false)
	return p
}

// changed updates the meter from a copy of the typed bytes that is wiped at once; the
// estimate itself builds no string from them.
func (p *passwordPair) changed() {
	p.u.ctrl.Touch()
	p.message.Hide()
	if p.pw1.Len() == 0 {
		p.meter.update(vault.Strength{}, false)
		p.showWeak(false)
		return
	}
	b := p.pw1.Bytes()
	st := vault.EstimateStrengthBytes(b)
	isecret.Wipe(b)
	p.meter.update(st, true)
	if st.Score != p.lastScore {
		p.lastScore = st.Score
		p.weakOK.SetChecked(false)
	}
	p.showWeak(appcore.IsWeak(st))
}

func (p *passwordPair) fail(msg string) {
	p.message.SetText(msg)
	p.message.Importance = widget.DangerImportance
	p.message.Show()
	relayout(p.message)
}

// take returns the new password when it may be used (appcore.CheckNewPassword);
// otherwise it shows why and returns nil. The caller owns (and wipes) the result.
func (p *passwordPair) take() []byte {
	a, b := p.pw1.Bytes(), p.pw2.Bytes()
	problem := appcore.CheckNewPassword(a, b, p.weakOK.Checked)
	isecret.Wipe(b)
	if problem == appcore.NewPasswordOK {
		return a
	}
	isecret.Wipe(a)
	switch problem {
	case appcore.NewPasswordEmpty:
		p.fail(T("create.empty"))
	case appcore.NewPasswordMismatch:
		p.fail(T("create.mismatch"))
	case appcore.NewPasswordWeak:
		p.showWeak(true)
		p.fail(T("create.weakNeedsConfirm"))
	}
	return nil
}

func (p *passwordPair) wipe() {
	p.pw1.Wipe()
	p.pw2.Wipe()
}

func (p *passwordPair) objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{p.pw1, p.meter.loadUI(), p.pw2, p.weakRow}
}

// showWeak shows or hides the confirmation a weak password needs.
func (p *passwordPair) showWeak(on bool) {
	if on {
		p.weakOK.Show()
		p.weakRow.Show()
	} else {
		p.weakOK.Hide()
		p.weakRow.Hide()
	}
}
