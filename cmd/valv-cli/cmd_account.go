package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/valvpm/valv/account"
	"github.com/valvpm/valv/cloud/api"
	"github.com/valvpm/valv/internal/secret"
)

// The Valv Account commands. valv-cli keeps its own session in the OS keyring (service
// "Valv", user "valv-cli session <host>") and writes the family-wide sign-in entry, so
// the desktop app can offer to connect to the same account (PRODUCT.md §1.1).

// accountFlags are the flags of the account commands.
type accountFlags struct {
	server     string
	email      string
	region     string
	marketing  bool
	acceptData bool
	licence    string
}

func (a *accountFlags) declareServer(fs *flag.FlagSet) {
	fs.StringVar(&a.server, "server", "", "the Valv Cloud address (default: $"+account.CloudURLEnv+", else the server of the last sign-in)")
}

// client makes the account client for the chosen server.
func (e *env) accountClient(a *accountFlags) (*account.Client, error) {
	server := a.server
	if server == "" {
		server = os.Getenv(account.CloudURLEnv)
	}
	if server == "" {
		if fe := account.ReadFamilyEntry(); fe != nil {
			server = fe.Server
		}
	}
	if server == "" {
		return nil, fmt.Errorf("no Valv Cloud address: give --server URL or set %s", account.CloudURLEnv)
	}
	e.keyring = &account.KeyringStore{App: "valv-cli"}
	return account.New(server, account.Options{
		Store:       e.keyring,
		ClientName:  account.ClientName("valv-cli"),
		ShareSignIn: true,
	})
}

// signedInClient is accountClient for a command that needs a signed-in account.
func (e *env) signedInClient(a *accountFlags) (*account.Client, error) {
	c, err := e.accountClient(a)
	if err != nil {
		return nil, err
	}
	if !c.SignedIn() {
		return nil, fmt.Errorf("%w; sign in with: valv-cli login --email E", account.ErrNotSignedIn)
	}
	return c, nil
}

func accountContext() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), 5*time.Minute)
}

func init() {
	var lf accountFlags
	register(&command{
		name: "login", args: "--email E [--server URL] [--password-stdin]", readsSecrets: true,
		summary: "sign in to a Valv Account (captcha and SMS code are asked for when needed)",
		flags: func(fs *flag.FlagSet, e *env) {
			lf.declareServer(fs)
			fs.StringVar(&lf.email, "email", "", "the account's e-mail address")
			fs.BoolVar(&lf.acceptData, "accept-data-provision", false, "accept your region's statement on data provision when it asks (Accept and connect)")
			fs.StringVar(&lf.licence, "licence", "", "the subscription to use when several qualify: its plan (e.g. family) or ID")
		},
		run: func(e *env, args []string) error {
			if len(args) > 0 || lf.email == "" {
				return usagef("login needs --email and no arguments")
			}
			return e.login(&lf)
		},
	})

	var sf accountFlags
	register(&command{
		name: "signup", args: "--email E [--region R] [--marketing] [--server URL] [--password-stdin]", readsSecrets: true,
		summary: "create a Valv Account and sign in to it",
		flags: func(fs *flag.FlagSet, e *env) {
			sf.declareServer(fs)
			fs.StringVar(&sf.email, "email", "", "the e-mail address of the new account")
			fs.StringVar(&sf.region, "region", "other", "your region (eu, us, ru, other, … as the server lists)")
			fs.BoolVar(&sf.marketing, "marketing", false, "agree to receive news and offers by e-mail (can be withdrawn any time)")
			fs.BoolVar(&sf.acceptData, "accept-data-provision", false, "accept your region's statement on data provision when it asks (Accept and connect)")
		},
		run: func(e *env, args []string) error {
			if len(args) > 0 || sf.email == "" {
				return usagef("signup needs --email and no arguments")
			}
			return e.signup(&sf)
		},
	})

	var of accountFlags
	register(&command{
		name: "logout", args: "[--server URL]", summary: "sign out of the Valv Account (the local vault stays)",
		flags: func(fs *flag.FlagSet, e *env) { of.declareServer(fs) },
		run: func(e *env, args []string) error {
			c, err := e.accountClient(&of)
			if err != nil {
				return err
			}
			if !c.SignedIn() {
				fmt.Fprintln(e.stdout, "Not signed in.")
				return nil
			}
			email := c.Email()
			ctx, cancel := accountContext()
			defer cancel()
			if err := c.SignOut(ctx); err != nil {
				fmt.Fprintf(e.stderr, "valv-cli: warning: the server could not be told (%v); this computer is signed out anyway\n", err)
			}
			if fe := account.ReadFamilyEntry(); fe != nil && fe.Email == email && fe.Server == c.BaseURL() {
				if err := account.DeleteFamilyEntry(); err != nil {
					return err
				}
			}
			fmt.Fprintf(e.stdout, "Signed out of %s.\n", email)
			return nil
		},
	})

	var wf accountFlags
	register(&command{
		name: "whoami", args: "[--server URL] [--json]", summary: "show the signed-in Valv Account and its plan",
		flags: func(fs *flag.FlagSet, e *env) { wf.declareServer(fs); e.jsonFlag(fs) },
		run: func(e *env, args []string) error {
			c, err := e.accountClient(&wf)
			if err != nil {
				return err
			}
			if !c.SignedIn() {
				return account.ErrNotSignedIn
			}
			ctx, cancel := accountContext()
			defer cancel()
			a, err := c.Account(ctx)
			if err != nil {
				return err
			}
			if e.jsonOut {
				return e.printJSON(map[string]any{"email": a.Email, "server": c.BaseURL(), "region": a.Region, "plan": a.Entitlements.Plan,
					"two_step": a.TwoStep, "has_password": a.HasPassword})
			}
			fmt.Fprintf(e.stdout, "Signed in as %s at %s\nPlan:      %s\nRegion:    %s\nTwo-step:  %s\n",
				a.Email, c.BaseURL(), a.Entitlements.Plan, a.Region, yesNo(a.TwoStep))
			if !a.HasPassword {
				fmt.Fprintln(e.stdout, "This account signs in with a provider and has no Valv Account password yet; choose one on the Valv Account website.")
			}
			return nil
		},
	})
}

// ruleText says each account password rule of cloud/api in English, by its key.
var ruleText = map[string]string{
	"min-length": "at least 8 characters", "digit": "a digit", "lowercase": "a lowercase letter",
	"uppercase": "an uppercase letter", "no-spaces": "no spaces", "max-length": "at most 256 bytes",
}

func yesNo(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

// login signs in with the password typed (or read from standard input).
func (e *env) login(af *accountFlags) error {
	c, err := e.accountClient(af)
	if err != nil {
		return err
	}
	pw, err := e.readPassword("Valv Account password: ")
	if err != nil {
		return err
	}
	ctx, cancel := accountContext()
	defer cancel()
	f := c.NewFlow(af.email)
	st, err := f.SignIn(ctx, af.email, string(pw))
	secret.Wipe(pw)
	return e.finishFlow(ctx, c, f, st, err, af)
}

// signup creates the account, after checking the password rules here.
func (e *env) signup(af *accountFlags) error {
	c, err := e.accountClient(af)
	if err != nil {
		return err
	}
	pw, err := e.readNew("New Valv Account password: ", "Repeat it: ", "Valv Account password")
	if err != nil {
		return err
	}
	defer secret.Wipe(pw)
	var broken []string
	for _, r := range api.PasswordRules {
		if !r.Holds(string(pw)) {
			broken = append(broken, ruleText[r.Key])
		}
	}
	if len(broken) > 0 {
		return fmt.Errorf("the password needs %s", strings.Join(broken, ", "))
	}
	ctx, cancel := accountContext()
	defer cancel()
	if r, err := c.Regions(ctx); err == nil && r.Terms.URL != "" {
		fmt.Fprintf(e.stderr, "By creating an account you accept the %s: %s\n", r.Terms.Title, absURL(c, r.Terms.URL))
	}
	f := c.NewFlow(af.email)
	st, err := f.CreateAccount(ctx, account.CreateForm{Email: af.email, Password: string(pw), Confirm: string(pw), MarketingConsent: af.marketing, Region: af.region})
	return e.finishFlow(ctx, c, f, st, err, af)
}

// finishFlow answers whatever the sign-in flow asks next on the terminal (or from the
// following lines of standard input) until it is connected or fails.
func (e *env) finishFlow(ctx context.Context, c *account.Client, f *account.Flow, st account.State, err error, af *accountFlags) error {
	for range 10 { // each step at most a few times: a loop that never ends is a bug
		switch {
		case err == nil && st.Step == account.StepConnected:
			fmt.Fprintf(e.stdout, "Signed in as %s (plan: %s).\n", st.Email, st.PlanName)
			if w := e.keyring.Warning(); w != nil {
				fmt.Fprintln(e.stderr, "valv-cli: warning: "+w.Error())
			}
			return nil
		case st.Step == account.StepCaptcha && st.Captcha != nil:
			st, err = e.answerCaptcha(ctx, c, f, st, err)
		case st.Step == account.StepSMSCode && st.SMS != nil:
			st, err = e.answerSMS(ctx, f, st, err)
		case st.Step == account.StepVerifyEmail && st.EmailCheck != nil:
			st, err = e.verifyEmailStep(ctx, f, st, err)
		case st.Step == account.StepDataProvision && st.Statement != nil:
			fmt.Fprintf(e.stderr, "Your region needs you to accept the %s: %s\n", st.Statement.Title, absURL(c, st.Statement.URL))
			if !af.acceptData && !e.confirm("Accept and connect?") {
				return errors.New("not connected: the statement on data provision was not accepted (use --accept-data-provision)")
			}
			st, err = f.AcceptDataProvision(ctx)
		case err == nil && st.Step == account.StepChooseSubscription:
			st, err = e.chooseLicence(f, st, af.licence)
		default:
			if err == nil {
				err = errors.New("the sign-in stopped at an unexpected step")
			}
			return err
		}
		if s, ok := err.(stopError); ok {
			return s.err
		}
	}
	return errors.New("the sign-in did not finish; try again")
}

// stopError carries an error that ends the sign-in rather than being shown on its step
// (the terminal could not be read, the picture not written, no new code).
type stopError struct{ err error }

func (s stopError) Error() string { return s.err.Error() }

func stop(err error) error { return stopError{err} }

// answerCaptcha shows the picture (a file and its URL) and sends the code typed.
func (e *env) answerCaptcha(ctx context.Context, c *account.Client, f *account.Flow, st account.State, err error) (account.State, error) {
	path, werr := writeCaptcha(st.Captcha)
	if werr != nil {
		return st, stop(werr)
	}
	fmt.Fprintf(e.stderr, "%s\nThe picture is at %s (also %s).\n", message(err), path, c.CaptchaImageURL(st.Captcha))
	answer, rerr := e.readLine("Code from the picture: ")
	os.Remove(path)
	if rerr != nil {
		return st, stop(rerr)
	}
	return f.AnswerCaptcha(ctx, strings.TrimSpace(answer), "")
}

// answerSMS says why the last code failed (asking for a new one when it expired) and
// sends the code typed.
func (e *env) answerSMS(ctx context.Context, f *account.Flow, st account.State, err error) (account.State, error) {
	if err != nil {
		fmt.Fprintln(e.stderr, message(err))
		if errors.Is(err, account.ErrCodeExpired) {
			if st, err = f.ResendSMS(ctx); err != nil {
				return st, stop(err)
			}
		}
	}
	fmt.Fprintf(e.stderr, "A code was sent by SMS to %s; it is valid until %s.\n", st.SMS.PhoneHint, st.SMS.ExpiresAt.Local().Format("15:04:05"))
	code, rerr := e.readLine("SMS code: ")
	if rerr != nil {
		return st, stop(rerr)
	}
	return f.ConfirmSMS(ctx, strings.TrimSpace(code))
}

// chooseLicence picks one of several subscriptions: the one given by --licence (its
// ID, plan or plan name), else the one typed.
func (e *env) chooseLicence(f *account.Flow, st account.State, id string) (account.State, error) {
	if id == "" {
		fmt.Fprintln(e.stderr, "Several subscriptions include the password manager:")
		for _, l := range st.Licences {
			fmt.Fprintf(e.stderr, "  %s  %s (%s, until %s)\n", l.ID, l.PlanName, l.Status, l.ExpiresAt.Format("2006-01-02"))
		}
		var err error
		if id, err = e.readLine("Subscription to use (ID): "); err != nil {
			return st, stop(err)
		}
	}
	id = strings.TrimSpace(id)
	for _, l := range st.Licences {
		if strings.EqualFold(l.Plan, id) || strings.EqualFold(l.PlanName, id) {
			id = l.ID
		}
	}
	return f.ChooseLicence(id)
}

// verifyEmailStep is "Enter the code we e-mailed": an empty line asks for a new code
// (possible 30 seconds after the last).
func (e *env) verifyEmailStep(ctx context.Context, f *account.Flow, st account.State, err error) (account.State, error) {
	if err != nil {
		fmt.Fprintln(e.stderr, message(err))
	}
	fmt.Fprintf(e.stderr, "Enter the code we e-mailed to %s (valid until %s); an empty line sends a new one.\n",
		st.EmailCheck.SentTo, st.EmailCheck.ExpiresAt.Local().Format("15:04:05"))
	code, rerr := e.readLine("E-mailed code: ")
	if rerr != nil {
		return st, stop(rerr)
	}
	if code = strings.TrimSpace(code); code == "" {
		return f.ResendEmailCode(ctx) // too early: said at the next prompt, the old code still works
	}
	return f.VerifyEmail(ctx, code)
}

// writeCaptcha saves the captcha picture where a person can open it.
func writeCaptcha(c *api.Captcha) (string, error) {
	f, err := os.CreateTemp("", "valv-captcha-*.png")
	if err != nil {
		return "", err
	}
	if _, err := f.Write(c.ImagePNG); err != nil {
		return "", closeAlso(err, f)
	}
	return filepath.Clean(f.Name()), f.Close()
}

// absURL makes a server-relative link absolute.
func absURL(c *account.Client, u string) string {
	if strings.HasPrefix(u, "/") {
		return c.URL(u)
	}
	return u
}
