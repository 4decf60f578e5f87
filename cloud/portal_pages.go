package cloud

// The portal's templates. They live in Go strings (not files) so the binary is one
// file; there are no external assets, scripts or fonts: the CSP allows none.

const layoutHTML = `{{define "layout"}}<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} — Valv Account</title>
<style>
:root{--fg:#1d2330;--muted:#5b6475;--line:#d9dee7;--accent:#2456c7;--bad:#b42318;--ok:#157347;--bg:#f6f7fb}
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg)}
header{background:#fff;border-bottom:1px solid var(--line);padding:.8rem 1.5rem;display:flex;justify-content:space-between;align-items:center}
header a{color:var(--fg);text-decoration:none;font-weight:600}main{max-width:46rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.6rem;margin:.2rem 0 1rem}h2{font-size:1.15rem;margin:0 0 .6rem}
section,.card{background:#fff;border:1px solid var(--line);border-radius:10px;padding:1.2rem 1.4rem;margin-bottom:1.2rem}
label{display:block;margin:.6rem 0 .2rem;font-weight:500}label.check{font-weight:400;display:flex;gap:.5rem;align-items:flex-start}
input[type=email],input[type=password],input[type=text],input[type=tel],select{font:inherit;width:100%;padding:.5rem .6rem;border:1px solid var(--line);border-radius:6px}
button,.button{font:inherit;padding:.5rem 1rem;border-radius:6px;border:1px solid var(--accent);background:var(--accent);color:#fff;cursor:pointer;margin-top:.8rem;display:inline-block;text-decoration:none}
button.secondary,.button.secondary{background:#fff;color:var(--accent)}button.danger{background:var(--bad);border-color:var(--bad)}
.err{background:#fdecea;color:var(--bad);border:1px solid #f5c2bd;padding:.6rem .8rem;border-radius:6px;margin-bottom:1rem}
.msg{background:#e8f5ee;color:var(--ok);border:1px solid #b7e0c8;padding:.6rem .8rem;border-radius:6px;margin-bottom:1rem}
.muted{color:var(--muted);font-size:.92rem}table{width:100%;border-collapse:collapse}td,th{padding:.4rem;border-bottom:1px solid var(--line);text-align:left;font-size:.95rem}
.providers{display:flex;flex-wrap:wrap;gap:.5rem}.providers a{margin-top:0}.tag{font-size:.8rem;padding:.05rem .4rem;border-radius:4px;background:#eef2fb}
</style></head><body>
<header><a href="/portal/">Valv Account</a>{{if .Account}}<form method="post" action="/portal/signout"><input type="hidden" name="csrf" value="{{.CSRF}}"><button id="signout" class="secondary" style="margin:0">Sign out</button></form>{{end}}</header>
<main>{{if .Err}}<div class="err" id="error" role="alert">{{.Err}}</div>{{end}}{{if .Msg}}<div class="msg" id="message">{{.Msg}}</div>{{end}}
{{template "content" .}}</main></body></html>{{end}}
{{define "csrf"}}<input type="hidden" name="csrf" value="{{.CSRF}}">{{end}}
{{define "proof"}}{{if .HasPassword}}<label for="{{.ID}}_password">Password</label><input type="password" name="password" id="{{.ID}}_password" autocomplete="current-password">
<label for="{{.ID}}_email_code">Or the code we e-mailed</label>{{else}}<label for="{{.ID}}_email_code">Code we e-mailed (your account has no password)</label>{{end}}<input type="text" name="email_code" id="{{.ID}}_email_code" inputmode="numeric" autocomplete="one-time-code">{{end}}
{{define "sendcode"}}<form method="post" action="/portal/account/code"><input type="hidden" name="csrf" value="{{.CSRF}}"><input type="hidden" name="action" value="{{.Action}}"><button class="secondary" id="{{.ID}}">E-mail me a code</button></form>{{end}}
{{define "regions"}}<select name="region" id="region">{{$cur := index .Form "region"}}{{range .Regions}}<option value="{{.Code}}"{{if eq .Code $cur}} selected{{end}}>{{.Name}}</option>{{end}}</select>
<label class="check"><input type="checkbox" name="data_provision" id="data_provision"{{if index .Form "data_provision"}} checked{{end}}> <span>In regions that require it, I have read and accept the <a href="/portal/terms#data-provision">statement on data provision</a> (Accept and connect).</span></label>{{end}}`

var pageHTML = map[string]string{
	"error": `{{define "content"}}<h1>{{.Title}}</h1><p><a href="/portal/">Back to Valv Account</a></p>{{end}}`,

	"terms": `{{define "content"}}<h1>{{.Terms.Title}}</h1><section><p class="muted">Version {{.Terms.Version}}</p>
<p>Valv Account stores your e-mail address, your account settings and your encrypted vault so that your devices can sync.
Your vault is encrypted on your devices with your master password; Valv never receives that password or anything it could decrypt your data with.</p>
<p>You can withdraw marketing consent and delete your account at any time on this website.</p>
<h2 id="data-provision">Statement on data provision</h2><p>In some regions the law requires that you accept how account data is provided to local authorities before connecting. Where that applies, the app and this site ask you to <b>Accept and connect</b>.</p></section>{{end}}`,

	"signin": `{{define "content"}}<h1>Sign in to Valv Account</h1>
{{if .SMS}}<section><h2>Enter the code from the SMS</h2><p class="muted">{{if .SMS.PhoneHint}}We sent a 6-digit code to {{.SMS.PhoneHint}}. {{end}}It is valid for 5 minutes.</p>
<form method="post" action="/portal/signin/sms">{{template "csrf" .}}<input type="hidden" name="challenge_id" value="{{.SMS.ChallengeID}}">
<label for="code">Code</label><input type="text" name="code" id="code" inputmode="numeric" autocomplete="one-time-code" autofocus>
<button id="confirm">Confirm</button> <button class="secondary" name="resend" value="1" id="resend">Request code again</button></form>
<p class="muted">Didn't get the code? Check that your phone has mobile network, wait a little, then request the code again (possible 30 seconds after the last one).</p></section>
{{else}}<section><form method="post" action="/portal/signin">{{template "csrf" .}}
<label for="email">E-mail</label><input type="email" name="email" id="email" value="{{index .Form "email"}}" autocomplete="username" required>
<label for="password">Password</label><input type="password" name="password" id="password" autocomplete="current-password" required>
{{if .Captcha}}<label for="captcha_answer">Enter the code from the picture</label><img id="captcha" src="{{.CaptchaSrc}}" alt="Code picture" width="200" height="70">
<input type="hidden" name="captcha_id" value="{{.Captcha.ID}}"><input type="text" name="captcha_answer" id="captcha_answer" autocomplete="off" required>{{end}}
<button id="signin">Sign in</button></form>
<p class="muted">By signing in you accept the <a href="/portal/terms">Web Portal Statement</a>.</p>
<p><a href="/portal/forgot" id="forgot">Forgot your password?</a> · <a href="/portal/signup" id="signup">Create account</a></p></section>
{{if .Providers}}<section><h2>Or sign in with</h2><div class="providers">{{range .Providers}}<a class="button secondary" id="provider-{{.ID}}" href="{{.URL}}">{{.Name}}</a>{{end}}</div></section>{{end}}{{end}}{{end}}`,

	"signup": `{{define "content"}}<h1>Create a Valv Account</h1><section><form method="post" action="/portal/signup">{{template "csrf" .}}
<label for="email">E-mail</label><input type="email" name="email" id="email" value="{{index .Form "email"}}" autocomplete="username" required>
<label for="password">Password</label><input type="password" name="password" id="password" autocomplete="new-password" required>
<p class="muted">At least 8 characters, with a digit, a lowercase and an uppercase letter, and no spaces.</p>
<label for="password_confirm">Confirm password</label><input type="password" name="password_confirm" id="password_confirm" autocomplete="new-password" required>
<label for="region">Region</label>{{template "regions" .}}
<label class="check"><input type="checkbox" name="marketing" id="marketing"{{if index .Form "marketing"}} checked{{end}}> <span>Send me informational and promotional e-mail (you can withdraw this at any time).</span></label>
<button id="create">Create account</button></form>
<p class="muted">By clicking Create account you accept the <a href="/portal/terms">Web Portal Statement</a>.</p></section>{{end}}`,

	"forgot": `{{define "content"}}<h1>Forgot your password?</h1><section><p>Enter your e-mail. If it has a Valv Account, we send a link to choose a new password.
This is also how an account made with Google, Apple or another provider gets a Valv password.</p>
<form method="post" action="/portal/forgot">{{template "csrf" .}}<label for="email">E-mail</label><input type="email" name="email" id="email" value="{{index .Form "email"}}" required>
<button id="send">Send link</button></form></section>{{end}}`,

	"reset": `{{define "content"}}<h1>Choose a new password</h1><section><form method="post" action="/portal/reset">{{template "csrf" .}}
<input type="hidden" name="token" value="{{index .Form "token"}}">
<label for="password">New password</label><input type="password" name="password" id="password" autocomplete="new-password" required>
<label for="password_confirm">Confirm password</label><input type="password" name="password_confirm" id="password_confirm" autocomplete="new-password" required>
<button id="save">Save password</button></form></section>{{end}}`,

	"verify": `{{define "content"}}<h1>Enter the code we e-mailed</h1><section>
{{if .EmailCheck}}<p>{{if .EmailCheck.SentTo}}We sent a 6-digit code to {{.EmailCheck.SentTo}}. {{end}}It proves that the address is yours; until then the password works nowhere else.</p>
<form method="post" action="/portal/verify">{{template "csrf" .}}<input type="hidden" name="challenge_id" value="{{.EmailCheck.ChallengeID}}">
<label for="code">Code</label><input type="text" name="code" id="code" inputmode="numeric" autocomplete="one-time-code" autofocus>
<button id="confirm">Confirm</button> <button class="secondary" name="resend" value="1" id="resend">Request code again</button></form>
<p class="muted">No e-mail? Look in the spam folder, then request the code again (possible 30 seconds after the last one).</p>
{{else}}<p><a href="/portal/signin">Sign in again</a> to get a new code.</p>{{end}}</section>{{end}}`,

	"connect": `{{define "content"}}<h1>Accept and connect</h1><section><p>In your region you must read and accept the statement on data provision before Valv connects to your account.</p>
{{with .Statement}}<p><a href="{{.URL}}" id="statement">{{.Title}}</a></p>{{end}}
<form method="post" action="/portal/connect">{{template "csrf" .}}<input type="hidden" name="pending" value="{{.Pending}}">
<button id="accept">Accept and connect</button></form></section>{{end}}`,

	"welcome": `{{define "content"}}<h1>Welcome to Valv</h1><section><p>This is your first sign-in with this provider. Choose your region and accept the terms to create your Valv Account.
It will have no Valv password; you can choose one later on this website.</p>
<form method="post" action="/portal/welcome">{{template "csrf" .}}<input type="hidden" name="pending" value="{{.Pending}}">
<label for="region">Region</label>{{template "regions" .}}
<label class="check"><input type="checkbox" name="terms" id="terms"> <span>I accept the <a href="/portal/terms">Web Portal Statement</a>.</span></label>
<label class="check"><input type="checkbox" name="marketing" id="marketing"> <span>Send me informational and promotional e-mail.</span></label>
<button id="continue">Continue</button></form></section>{{end}}`,

	"account": `{{define "content"}}{{$csrf := .CSRF}}<h1>{{.Account.Email}}</h1>
{{if not .Account.EmailVerified}}<section id="unverified"><h2>Confirm your e-mail address</h2><p>Until you enter the code we e-mail to {{.Account.Email}}, your password works nowhere else, and anyone who signs in with a provider that confirms this address takes the account over.</p>
<form method="post" action="/portal/account/verify">{{template "csrf" .}}<button id="verify-send">E-mail me a code</button></form></section>{{end}}
<section id="profile"><h2>Region and terms</h2><p class="muted">Web Portal Statement {{.Account.TermsVersion}}{{if .Account.TermsAcceptedAt}}, accepted {{date .Account.TermsAcceptedAt}}{{end}}.</p>
<form method="post" action="/portal/account/settings">{{template "csrf" .}}{{$reg := .Account.Region}}
<label for="region">Region</label><select name="region" id="region">{{range .Regions}}<option value="{{.Code}}"{{if eq .Code $reg}} selected{{end}}>{{.Name}}</option>{{end}}</select>
<label class="check"><input type="checkbox" name="terms" id="terms"> <span>I accept the <a href="/portal/terms">Web Portal Statement</a>.</span></label>
<label class="check"><input type="checkbox" name="data_provision" id="data_provision"{{if .Account.DataProvisionAccepted}} checked{{end}}> <span>Accept and connect: I accept the statement on data provision where my region requires it.</span></label>
<button id="save-region">Save</button></form></section>

<section id="marketing-section"><h2>E-mail from Valv</h2><form method="post" action="/portal/account/settings">{{template "csrf" .}}<input type="hidden" name="marketing_form" value="1">
<label class="check"><input type="checkbox" name="marketing" id="marketing"{{if .Account.MarketingConsent}} checked{{end}}> <span>Informational and promotional e-mail</span></label>
<p class="muted" id="marketing-state">{{if .Account.MarketingConsent}}On{{else}}Off{{end}}{{if .Account.MarketingConsentAt}} since {{when .Account.MarketingConsentAt}}{{end}}.</p>
<button id="save-marketing">Save</button></form></section>

<section id="password-section"><h2>{{if .Account.HasPassword}}Password{{else}}Choose password{{end}}</h2>
{{if not .Account.HasPassword}}<p id="no-password">You sign in with {{range $i, $p := .Account.Providers}}{{if $i}}, {{end}}{{$p}}{{end}} and have no Valv password yet. The Valv app needs one to confirm some actions.</p>{{end}}
<form method="post" action="/portal/account/password">{{template "csrf" .}}
{{if .Account.HasPassword}}<label for="current_password">Current password</label><input type="password" name="current_password" id="current_password" autocomplete="current-password">{{end}}
<label for="new_password">New password</label><input type="password" name="new_password" id="new_password" autocomplete="new-password">
<label for="new_password_confirm">Confirm new password</label><input type="password" name="new_password_confirm" id="new_password_confirm" autocomplete="new-password">
<button id="save-password">{{if .Account.HasPassword}}Change password{{else}}Choose password{{end}}</button></form></section>

<section id="twostep-section"><h2>Two-step verification</h2>
{{if .Account.TwoStep}}<p id="twostep-on">On: codes go by SMS to {{.Account.PhoneHint}}.</p>
<form method="post" action="/portal/account/twostep/off">{{template "csrf" .}}{{template "proof" (proofFor . "twostep_off")}}<button class="secondary" id="twostep-off">Turn off</button></form>
{{template "sendcode" (sendCode . "change_two_step" "twostep-off-code")}}
{{else if .SMS}}<form method="post" action="/portal/account/twostep/confirm">{{template "csrf" .}}<input type="hidden" name="challenge_id" value="{{.SMS.ChallengeID}}">
<label for="sms_code">Code from the SMS{{if .SMS.PhoneHint}} sent to {{.SMS.PhoneHint}}{{end}}</label><input type="text" name="code" id="sms_code" inputmode="numeric" autocomplete="one-time-code">
<button id="twostep-confirm">Confirm</button></form>
{{else}}<p class="muted">Off. With it on, signing in also needs a code sent to your phone by SMS.</p>
<form method="post" action="/portal/account/twostep">{{template "csrf" .}}<label for="phone">Mobile phone number</label><input type="tel" name="phone" id="phone" placeholder="+46 70 123 45 67">
{{template "proof" (proofFor . "twostep")}}<button id="twostep-start">Send code</button></form>
{{template "sendcode" (sendCode . "change_two_step" "twostep-code")}}{{end}}</section>

<section id="subscriptions"><h2>Subscriptions</h2>
{{if .Subs.Licences}}<table><tr><th>Plan</th><th>Status</th><th>Password manager</th><th>Until</th></tr>
{{range .Subs.Licences}}<tr class="licence"><td>{{.PlanName}}</td><td>{{.Status}}</td><td>{{if .IncludesPasswordManager}}Included{{else}}—{{end}}</td><td>{{date .ExpiresAt}}</td></tr>{{end}}</table>
{{else}}<p class="muted">No subscription: the apps run on the Free plan.</p>{{end}}
<p class="muted">The apps use: <span class="tag" id="effective-plan">{{.Subs.Effective.Plan}}</span></p>
<form method="post" action="/portal/account/activate">{{template "csrf" .}}<label for="activation_code">Activation code</label><input type="text" name="code" id="activation_code">
<button id="activate">Activate</button></form></section>

<section id="sessions"><h2>Signed-in devices</h2><table><tr><th>Device</th><th>Address</th><th>Since</th><th></th></tr>
{{range .Sessions}}<tr class="session"><td>{{.Client}}{{if .Current}} <span class="tag">this browser</span>{{end}}</td><td>{{.IP}}</td><td>{{when .CreatedAt}}</td>
<td>{{if not .Current}}<form method="post" action="/portal/account/revoke"><input type="hidden" name="csrf" value="{{$csrf}}"><input type="hidden" name="session" value="{{.ID}}"><button class="secondary revoke" style="margin:0">Sign out</button></form>{{end}}</td></tr>{{end}}</table></section>

<section id="delete-section"><h2>Delete account</h2><p class="muted">Deletes the account, its subscriptions link and the cloud vault on every device. This cannot be undone.</p>
<form method="post" action="/portal/account/delete">{{template "csrf" .}}{{template "proof" (proofFor . "delete")}}
<button class="danger" id="delete">Delete account</button></form>
{{template "sendcode" (sendCode . "delete_account" "delete-code")}}</section>{{end}}`,
}
