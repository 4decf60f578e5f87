package ui

import (
	"bytes"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/valvpm/valv/assets"
	"github.com/valvpm/valv/ui/appcore"
	"github.com/valvpm/valv/vault"
)

// centred puts a column of objects in the middle of the window at a readable width.
func centred(objs ...fyne.CanvasObject) fyne.CanvasObject {
	return container.NewCenter(container.New(fixedWidth(420), container.NewVBox(objs...)))
}

// fixedWidth lays its objects out at a fixed width, with the height that wrapped text
// needs at that width (a wrapped label only knows its height once it knows its width).
type fixedWidth float32

// MinSize sizes each object to the fixed width first, so wrapped labels measure right.
func (w fixedWidth) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	for _, o := range objs {
		o.Resize(fyne.NewSize(float32(w), o.MinSize().Height))
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(float32(w), h)
}

// Layout gives every object the full size.
func (w fixedWidth) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

// logo is the app icon at a friendly size.
func logo() fyne.CanvasObject {
	img := canvas.NewImageFromResource(assets.Icon)
	img.FillMode = canvas.ImageFillContain
	img.SetMinSize(fyne.NewSize(72, 72))
	return container.NewCenter(img)
}

// welcomeScreen is the first start: what a Valv Account is, Sign in, Create account,
// and how to go on without one (PRODUCT.md §1, §1.5).
type welcomeScreen struct {
	u       *UI
	signIn  *widget.Button
	create  *widget.Button
	offline *widget.Button
}

func newWelcomeScreen(u *UI) *welcomeScreen { return &welcomeScreen{u: u} }

func (s *welcomeScreen) loadUI() fyne.CanvasObject {
	s.signIn = s.u.button(T("welcome.signIn"), theme.LoginIcon(), func() { s.u.startAccount(false, "") })
	s.signIn.Importance = widget.HighImportance
	s.create = s.u.button(T("welcome.createAccount"), theme.ContentAddIcon(), func() { s.u.startAccount(true, "") })
	s.offline = s.u.button(T("welcome.runOffline"), theme.NavigateNextIcon(), s.runOffline)
	s.offline.Importance = widget.LowImportance
	return centred(
		logo(),
		heading(T("welcome.title")),
		paragraph(T("welcome.account")),
		layout.NewSpacer(),
		container.NewGridWithColumns(2, s.signIn, s.create),
		paragraph(T("welcome.offlineNote")),
		s.offline,
	)
}

func (s *welcomeScreen) runOffline() {
	if err := s.u.ctrl.RunOffline(); err != nil {
		fyne.LogError("saving settings", err)
	}
	s.u.showStage()
}

// passwordPair is a new master password typed twice, with its strength meter and the
// explicit confirmation a weak one needs. The create screen and Change master password
// share it.
type passwordPair struct {
	u         *UI
	pw1, pw2  *SecretEntry
	meter     *strengthMeter
	weakOK    *widget.Check
	message   *widget.Label
	lastScore int
}

func newPasswordPair(u *UI, first, second string) *passwordPair {
	p := &passwordPair{u: u, lastScore: -1}
	p.pw1 = u.newSecretEntry(first)
	p.pw2 = u.newSecretEntry(second)
	p.meter = newStrengthMeter()
	p.weakOK = widget.NewCheck(T("create.weakConfirm"), nil)
	p.weakOK.Hide()
	p.message = errorLabel()
	p.pw1.OnChanged = p.changed
	p.pw2.OnChanged = func() { u.ctrl.Touch(); p.message.Hide() }
	p.pw1.OnSubmitted = func() { u.win.Canvas().Focus(p.pw2) }
	p.meter.update(vault.Strength{}, false)
	return p
}

// changed updates the meter. vault.EstimateStrength takes a string, so one short-lived
// copy is made per keystroke here; the entry itself keeps none.
func (p *passwordPair) changed() {
	p.u.ctrl.Touch()
	p.message.Hide()
	if p.pw1.Len() == 0 {
		p.meter.update(vault.Strength{}, false)
		p.weakOK.Hide()
		return
	}
	b := p.pw1.Bytes()
	st := vault.EstimateStrength(string(b))
	appcore.Wipe(b)
	p.meter.update(st, true)
	if st.Score != p.lastScore {
		p.lastScore = st.Score
		p.weakOK.SetChecked(false)
	}
	if isWeak(st) {
		p.weakOK.Show()
	} else {
		p.weakOK.Hide()
	}
}

// isWeak is the threshold below which a master password needs explicit confirmation.
func isWeak(st vault.Strength) bool { return st.Score < 3 }

func (p *passwordPair) fail(msg string) {
	p.message.SetText(msg)
	p.message.Importance = widget.DangerImportance
	p.message.Show()
	relayout(p.message)
}

// relayout lays the window out again after a message appeared or disappeared, so the
// centred column grows to make room for it.
func relayout(o fyne.CanvasObject) {
	if c := fyne.CurrentApp().Driver().CanvasForObject(o); c != nil && c.Content() != nil {
		c.Content().Refresh()
	}
}

// take returns the new password when both fields agree and a weak one was confirmed;
// otherwise it shows why and returns nil. The caller owns (and wipes) the result.
func (p *passwordPair) take() []byte {
	if p.pw1.Len() == 0 {
		p.fail(T("create.empty"))
		return nil
	}
	a, b := p.pw1.Bytes(), p.pw2.Bytes()
	same := bytes.Equal(a, b)
	appcore.Wipe(b)
	if !same {
		appcore.Wipe(a)
		p.fail(T("create.mismatch"))
		return nil
	}
	st := vault.EstimateStrength(string(a))
	if isWeak(st) && !p.weakOK.Checked {
		appcore.Wipe(a)
		p.weakOK.Show()
		p.fail(T("create.weakNeedsConfirm"))
		return nil
	}
	return a
}

func (p *passwordPair) wipe() {
	p.pw1.Wipe()
	p.pw2.Wipe()
}

func (p *passwordPair) objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{p.pw1, p.meter.loadUI(), p.pw2, p.weakOK}
}

// createScreen asks for a new master password and creates the vault in the background.
type createScreen struct {
	u        *UI
	pair     *passwordPair
	progress *widget.ProgressBarInfinite
	submit   *widget.Button
}

func newCreateScreen(u *UI) *createScreen { return &createScreen{u: u} }

func (s *createScreen) loadUI() fyne.CanvasObject {
	s.pair = newPasswordPair(s.u, T("create.password"), T("create.repeat"))
	s.pair.pw2.OnSubmitted = s.doCreate
	s.progress = busyBar()
	s.submit = s.u.button(T("create.submit"), theme.ConfirmIcon(), s.doCreate)
	s.submit.Importance = widget.HighImportance
	objs := []fyne.CanvasObject{logo(), heading(T("create.title")), paragraph(T("create.explain"))}
	objs = append(objs, s.pair.objects()...)
	objs = append(objs, s.pair.message, s.progress, s.submit)
	return centred(objs...)
}

func (s *createScreen) doCreate() {
	if s.u.ctrl.Busy() {
		return
	}
	pw := s.pair.take()
	if pw == nil {
		return
	}
	s.busy(true)
	s.u.ctrl.Create(pw, func(err error) {
		if s.u.create != s {
			return // the window moved on
		}
		s.busy(false)
		if err != nil {
			s.pair.fail(errorText(err))
			return
		}
		s.pair.wipe()
		s.u.showStage()
	})
}

func (s *createScreen) busy(on bool) {
	if on {
		s.submit.Disable()
		s.progress.Show()
		s.progress.Start()
		s.pair.message.SetText(T("create.working"))
		s.pair.message.Importance = widget.MediumImportance
		s.pair.message.Show()
		return
	}
	s.submit.Enable()
	s.progress.Stop()
	s.progress.Hide()
	s.pair.message.Hide()
}

// strengthMeter is a bar of four segments, the strength's name and the hints.
type strengthMeter struct {
	segments [4]*canvas.Rectangle
	label    *widget.Label
	hints    *widget.Label
}

func newStrengthMeter() *strengthMeter {
	m := &strengthMeter{label: widget.NewLabel(""), hints: widget.NewLabel("")}
	m.hints.Wrapping = fyne.TextWrapWord
	m.hints.SizeName = theme.SizeNameCaptionText
	for i := range m.segments {
		r := canvas.NewRectangle(theme.Color(theme.ColorNameDisabled))
		r.CornerRadius = 2
		r.SetMinSize(fyne.NewSize(40, 6))
		m.segments[i] = r
	}
	return m
}

func (m *strengthMeter) loadUI() fyne.CanvasObject {
	bar := container.NewGridWithColumns(4, m.segments[0], m.segments[1], m.segments[2], m.segments[3])
	// Spacers keep the bar thin and centred beside the label instead of as tall as it.
	thin := container.NewVBox(layout.NewSpacer(), bar, layout.NewSpacer())
	return container.NewVBox(container.NewBorder(nil, nil, nil, m.label, thin), m.hints)
}

func (m *strengthMeter) update(st vault.Strength, typed bool) {
	colour := theme.Color(theme.ColorNameError)
	switch {
	case st.Score >= 3:
		colour = theme.Color(theme.ColorNameSuccess)
	case st.Score == 2:
		colour = theme.Color(theme.ColorNameWarning)
	}
	for i, r := range m.segments {
		if typed && i < max(st.Score, 1) {
			r.FillColor = colour
		} else {
			r.FillColor = theme.Color(theme.ColorNameDisabled)
		}
		r.Refresh()
	}
	if !typed {
		m.label.SetText(T("strength.none"))
		m.hints.SetText(T("create.rules"))
		return
	}
	m.label.SetText(strengthName(st.Score))
	text := ""
	for _, h := range st.Hints {
		if text != "" {
			text += "\n"
		}
		text += T("hint.bullet", map[string]any{"Hint": hintText(h)})
	}
	if text == "" {
		text = T("hint.none")
	}
	m.hints.SetText(text)
}

// unlockScreen asks for the master password.
type unlockScreen struct {
	u        *UI
	pw       *SecretEntry
	message  *widget.Label
	progress *widget.ProgressBarInfinite
	submit   *widget.Button
	forgot   *widget.Button // Forgot master password? (danger.go)
}

func newUnlockScreen(u *UI) *unlockScreen { return &unlockScreen{u: u} }

func (s *unlockScreen) loadUI() fyne.CanvasObject {
	s.pw = s.u.newSecretEntry(T("unlock.password"))
	s.pw.OnSubmitted = s.doUnlock
	s.pw.OnChanged = func() { s.message.Hide() }
	s.message = errorLabel()
	s.message.Alignment = fyne.TextAlignCenter
	s.progress = busyBar()
	s.submit = s.u.button(T("unlock.submit"), theme.LoginIcon(), s.doUnlock)
	s.submit.Importance = widget.HighImportance
	s.forgot = s.u.button(T("danger.forgotMaster"), theme.QuestionIcon(), func() { showDanger(s.u, appcore.DangerReset) })
	s.forgot.Importance = widget.LowImportance
	return centred(
		logo(),
		heading(T("unlock.title")),
		paragraph(T("unlock.explain")),
		s.pw,
		s.message,
		s.progress,
		s.submit,
		s.forgot,
	)
}

func (s *unlockScreen) doUnlock() {
	if s.u.ctrl.Busy() {
		return
	}
	if s.pw.Len() == 0 {
		s.message.SetText(T("unlock.empty"))
		s.message.Show()
		return
	}
	pw := s.pw.Bytes()
	s.pw.Wipe()
	s.submit.Disable()
	s.message.Hide()
	s.progress.Show()
	s.progress.Start()
	s.u.ctrl.Unlock(pw, func(err error) {
		if s.u.unlock != s {
			return
		}
		s.submit.Enable()
		s.progress.Stop()
		s.progress.Hide()
		if err != nil {
			s.message.SetText(errorText(err))
			s.message.Show()
			relayout(s.message)
			s.u.win.Canvas().Focus(s.pw)
			return
		}
		s.u.showStage()
		if n := s.u.ctrl.Damaged(); n > 0 {
			s.u.showMessage(T("damaged.title"), T("damaged.body", map[string]any{"Count": n}))
		}
	})
}

// failedScreen says in a sentence why the vault could not be opened (in use by another
// Valv window, damaged, from a newer version) and offers to try again.
type failedScreen struct {
	u     *UI
	retry *widget.Button
}

func newFailedScreen(u *UI) *failedScreen { return &failedScreen{u: u} }

func (s *failedScreen) loadUI() fyne.CanvasObject {
	s.retry = s.u.button(T("failed.retry"), theme.ViewRefreshIcon(), func() {
		s.u.ctrl.Open()
		s.u.showStage()
	})
	msg := paragraph(errorText(s.u.ctrl.OpenError()))
	msg.Importance = widget.DangerImportance
	return centred(
		logo(),
		heading(T("failed.title")),
		msg,
		paragraph(T("failed.path", map[string]any{"Path": s.u.ctrl.Path()})),
		s.retry,
	)
}
