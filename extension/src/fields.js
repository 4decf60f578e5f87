// Finding login fields in a page: password fields, the user name field that goes
// with each, user-name-only first steps of two-step sign-ins, new-password fields of
// sign-up and change-password forms, and one-time-code fields.

const USERISH = /user|login|email|e-mail|mail|account|ident|phone|benutzer|anv[aä]nd|pengguna|t[eê]n/i;
const NEWISH = /new|confirm|repeat|again|signup|sign-up|register|create|join/i;
const OTPISH = /otp|totp|one.?time|2fa|mfa|two.?factor|verification|auth.?code/i;
const TEXTY = new Set(["", "text", "email", "tel"]);

function label(el) {
  return [el.name, el.id, el.placeholder, el.getAttribute("aria-label"), el.autocomplete].filter(Boolean).join(" ");
}

export function visible(el) {
  if (!el.isConnected || el.disabled || el.readOnly) return false;
  const r = el.getBoundingClientRect();
  if (r.width < 8 || r.height < 8) return false;
  const s = getComputedStyle(el);
  return s.visibility !== "hidden" && s.display !== "none" && s.opacity !== "0";
}

function inputs(scope) {
  return [...scope.querySelectorAll("input")].filter(visible);
}

function isUsername(el) {
  if (!TEXTY.has(el.type)) return false;
  const ac = (el.autocomplete || "").toLowerCase();
  if (ac.includes("one-time-code")) return false;
  return ac.includes("username") || ac.includes("email") || el.type === "email" || USERISH.test(label(el));
}

export function isOTP(el) {
  if (!TEXTY.has(el.type) && el.type !== "number") return false;
  return (el.autocomplete || "").includes("one-time-code") || OTPISH.test(label(el));
}

// A form's new-password fields: marked so, or a form with two or more password fields
// that asks for a new one (sign-up, change password).
function newPasswords(form, passwords) {
  const marked = passwords.filter((p) => (p.autocomplete || "").includes("new-password"));
  if (marked.length) return marked;
  const current = passwords.filter((p) => (p.autocomplete || "").includes("current-password"));
  const formLabel = form ? [form.id, form.name, form.getAttribute("action"), form.className].join(" ") : "";
  if (passwords.length >= 2 || NEWISH.test(formLabel) || passwords.some((p) => NEWISH.test(label(p)))) {
    return passwords.filter((p) => !current.includes(p));
  }
  return [];
}

// scan returns the login groups of the document: {scope, username, passwords,
// newPasswords, otp}. A group is a form, or the whole document for fields outside any.
export function scan(doc) {
  const groups = new Map();
  const group = (el) => {
    const scope = el.form || doc;
    if (!groups.has(scope)) groups.set(scope, { scope, username: null, passwords: [], newPasswords: [], otp: null });
    return groups.get(scope);
  };
  for (const el of inputs(doc)) {
    if (el.type === "password") group(el).passwords.push(el);
  }
  for (const g of groups.values()) {
    const all = inputs(g.scope === doc ? doc : g.scope).filter((el) => g.scope !== doc || !el.form);
    const first = g.passwords[0];
    // The user name is the last user-name-like field before the first password field,
    // else the last plain text field before it.
    const before = all.filter((el) => el !== first && TEXTY.has(el.type) && first.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_PRECEDING);
    g.username = before.filter(isUsername).pop() || before.filter((el) => !isOTP(el)).pop() || null;
    g.newPasswords = newPasswords(g.scope === doc ? null : g.scope, g.passwords);
  }
  // First steps of two-step sign-ins: a form with a user name field and no password.
  for (const form of doc.forms) {
    if (groups.has(form)) continue;
    const user = inputs(form).filter(isUsername);
    if (user.length === 1 && !inputs(form).some((el) => el.type === "password")) {
      groups.set(form, { scope: form, username: user[0], passwords: [], newPasswords: [], otp: null });
    }
  }
  const otp = inputs(doc).filter(isOTP);
  if (otp.length === 1 && !groups.size) groups.set(otp[0], { scope: doc, username: null, passwords: [], newPasswords: [], otp: otp[0] });
  return [...groups.values()];
}

// setValue types a value as a person would, so the page's scripts (React and the like)
// see input and change events.
export function setValue(el, value) {
  el.focus();
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value").set;
  setter.call(el, value);
  el.dispatchEvent(new Event("input", { bubbles: true }));
  el.dispatchEvent(new Event("change", { bubbles: true }));
}
