// The content script: a Valv mark in every login field, the menu it opens, filling
// when the person picks a login (on page load only where the person turned that on
// for the site, and only the one matching login), Generate password on
// new-password fields, and Save to Valv / Update password after a submit. Everything
// the page could see is a mark; the menu and the offer live in closed shadow roots.
import { scan, setValue, visible, isOTP } from "./fields.js";
import { render, PANEL_CSS, markIcon } from "./panel.js";
import { t } from "./i18n.js";

const api = globalThis.browser ?? globalThis.chrome;
const MARK = 18;
const marks = new Map(); // field → {host, group}
let groups = [];
let menu = null; // {host, root, field, group, port, model, pendingFill}
let offerShown = null;

const ask = (msg) => api.runtime.sendMessage(msg).catch(() => ({ error: "not-running" }));

function shadowHost(tag, css) {
  const host = document.createElement(tag);
  host.style.cssText = "position:absolute;z-index:2147483647;margin:0;padding:0;border:0;";
  const root = host.attachShadow({ mode: "closed" });
  const style = document.createElement("style");
  style.textContent = css;
  root.append(style);
  const body = document.createElement("div");
  root.append(body);
  (document.body || document.documentElement).append(host);
  return { host, body };
}

// place puts host at the field's right edge (mark) or under it (menu), in page
// coordinates so scrolling moves it with the page.
function place(host, field, under) {
  const r = field.getBoundingClientRect();
  if (under) {
    host.style.left = `${r.left + scrollX}px`;
    host.style.top = `${r.bottom + scrollY + 4}px`;
  } else {
    host.style.left = `${r.right + scrollX - MARK - 6}px`;
    host.style.top = `${r.top + scrollY + (r.height - MARK) / 2}px`;
  }
}

function addMark(field, group) {
  const { host, body } = shadowHost(
    "valv-mark",
    `:host{all:initial}button{all:initial;display:block;width:${MARK}px;height:${MARK}px;cursor:pointer}svg{width:${MARK}px;height:${MARK}px}`,
  );
  const b = document.createElement("button");
  b.type = "button";
  b.title = t("markTitle");
  b.setAttribute("aria-label", t("markTitle"));
  b.append(markIcon());
  b.addEventListener("mousedown", (e) => e.preventDefault()); // keep the field's focus
  b.addEventListener("click", (e) => {
    e.preventDefault();
    e.stopPropagation();
    openMenu(field, group);
  });
  body.append(b);
  place(host, field, false);
  marks.set(field, { host, group });
}

function rescan() {
  groups = scan(document);
  const wanted = new Map();
  for (const g of groups) {
    for (const f of [g.username, ...g.passwords, g.otp]) if (f) wanted.set(f, g);
  }
  for (const [f, m] of marks) {
    if (!wanted.has(f) || !visible(f)) {
      m.host.remove();
      marks.delete(f);
    }
  }
  for (const [f, g] of wanted) {
    if (marks.has(f)) {
      marks.get(f).group = g;
      place(marks.get(f).host, f, false);
    } else {
      addMark(f, g);
    }
  }
  checkLoad();
}

// The first time the page shows a login form, Valv is asked whether to fill it on
// load; the app answers only for a site where the person turned that on. A frame of
// another site also tells the background it has a form, so the popup can offer to
// allow that frame's origin. The marks then say the check is done.
let loadChecked = false;
function checkLoad() {
  if (loadChecked || !groups.length) return;
  loadChecked = true;
  if (window !== window.top) ask({ kind: "frame-form" });
  ask({ kind: "load-fill" }).then((r) => {
    if (!r.error && (r.username || r.password)) put(groups[0], r);
    for (const m of marks.values()) m.host.setAttribute("data-load", "checked");
  });
}

let rescanTimer = 0;
function soon() {
  clearTimeout(rescanTimer);
  rescanTimer = setTimeout(rescan, 60);
}

// The menu.

function closeMenu() {
  if (!menu) return;
  menu.port.disconnect();
  menu.host.remove();
  menu = null;
}

async function openMenu(field, group) {
  closeMenu();
  const { host, body } = shadowHost("valv-menu", PANEL_CSS);
  place(host, field, true);
  const port = api.runtime.connect({ name: "valv-state" });
  menu = { host, body, field, group, port, model: { state: "connecting" }, pendingFill: false };
  const m = menu;
  body.addEventListener("keydown", (e) => {
    if (e.key === "Escape") {
      closeMenu();
      field.focus();
    }
  });
  port.onMessage.addListener((msg) => {
    if (menu !== m || msg.kind !== "state") return;
    const was = m.model.state;
    m.model.code = msg.state.code;
    if (msg.state.name === "ready" && was !== "ready") {
      load(m); // unlocked or just paired: list the logins, and go on with a pending fill
    } else if (msg.state.name !== "ready") {
      m.model.state = msg.state.name;
      draw(m);
    }
  });
  draw(m);
  load(m);
}

function draw(m) {
  render(m.body, { ...m.model, canGenerate: m.group.newPasswords.length > 0 }, {
    fill: (ref) => fillRef(ref, m.group, m.field),
    pair: () => ask({ kind: "pair" }),
    unlock: () => {
      m.pendingFill = m.pendingFill || !!m.wantFill;
      ask({ kind: "unlock" });
    },
    retry: () => ask({ kind: "retry" }).then(() => load(m)),
    generate: () => generate(m.group),
    fillOnLoad: (on) => ask({ kind: "set-site", fillOnLoad: on }).then(() => load(m)),
    allowFrame: (origin) => ask({ kind: "set-site", allowFrame: origin }).then(() => load(m)),
  });
}

async function load(m) {
  const r = await ask({ kind: "find" });
  if (menu !== m) return;
  if (r.error && r.error !== "no-match") {
    m.model = { state: r.state ? r.state.name : r.error, code: r.state && r.state.code };
    if (m.model.state === "ready") m.model = { state: "ready", error: r.error };
  } else {
    m.model = { state: "ready", logins: r.logins || [], error: r.error };
    if (window === window.top) {
      const s = await ask({ kind: "site" });
      if (menu !== m) return;
      if (s.site) m.model.site = s.site;
    }
  }
  draw(m);
  if (m.pendingFill && m.model.state === "ready" && m.model.logins && m.model.logins.length) {
    m.pendingFill = false;
    fillRef(m.model.logins[0].ref, m.group, m.field);
  }
}

// Filling.

function put(group, creds) {
  if (group.username && creds.username) setValue(group.username, creds.username);
  const pw = group.passwords.filter((p) => !group.newPasswords.includes(p));
  for (const p of pw.length ? pw : group.passwords.slice(0, 1)) if (creds.password) setValue(p, creds.password);
  const otp = group.otp || [...document.querySelectorAll("input")].find((el) => visible(el) && isOTP(el));
  if (otp && creds.totp) setValue(otp, creds.totp);
}

async function fillRef(ref, group, field) {
  const r = await ask({ kind: "fill", ref });
  if (r.error) {
    if (menu) {
      menu.model = { ...menu.model, state: r.state ? r.state.name : "ready", error: r.error };
      draw(menu);
    }
    return;
  }
  closeMenu();
  put(group, r);
  (group.passwords[0] || field).focus();
}

async function generate(group) {
  const r = await ask({ kind: "generate" });
  if (r.error || !r.password) {
    if (menu) {
      menu.model = { state: r.state ? r.state.name : "ready", error: r.error };
      draw(menu);
    }
    return;
  }
  closeMenu();
  for (const p of group.newPasswords) setValue(p, r.password);
}

// Ctrl+Shift+L: the focused frame fills its best match; locked, the menu says so and
// the fill goes on after unlock.
async function fillBest() {
  if (!document.hasFocus() || !groups.length) return;
  const active = document.activeElement;
  const g = groups.find((x) => x.scope.contains && x.scope.contains(active)) || groups[0];
  const field = marks.has(active) ? active : g.username || g.passwords[0] || g.otp;
  const r = await ask({ kind: "find" });
  if (!r.error && r.logins && r.logins.length) return fillRef(r.logins[0].ref, g, field);
  await openMenu(field, g);
  if (menu) {
    menu.wantFill = true;
    menu.pendingFill = r.error === "locked";
  }
}

// Saving after a submit.

let lastSubmitted = "";
function submitted(scope) {
  const g = groups.find((x) => x.scope === scope) || groups.find((x) => x.scope.contains && x.scope.contains(scope));
  if (!g) return;
  const newPw = g.newPasswords.find((p) => p.value);
  const pw = newPw || g.passwords.find((p) => p.value);
  if (!pw) return;
  const username = g.username ? g.username.value : "";
  const key = username + "\u0000" + pw.value;
  if (key === lastSubmitted) return;
  lastSubmitted = key;
  ask({ kind: "submitted", username, password: pw.value }).then((r) => r.offer && showOffer(r.offer));
}

function showOffer(offer) {
  if (window !== window.top || offerShown) return;
  const { host, body } = shadowHost("valv-offer", PANEL_CSS);
  host.style.position = "fixed";
  host.style.top = "12px";
  host.style.right = "12px";
  offerShown = host;
  const panel = document.createElement("div");
  panel.className = "panel";
  panel.setAttribute("data-state", "offer-" + offer.state);
  const p = document.createElement("p");
  p.textContent = offer.state === "new" ? t("saveOffer", offer.username || t("noUsername")) : t("updateOffer", offer.username || t("noUsername"));
  const yes = document.createElement("button");
  yes.className = "primary";
  yes.setAttribute("data-action", offer.state === "new" ? "save" : "update");
  yes.textContent = offer.state === "new" ? t("saveButton") : t("updateButton");
  const no = document.createElement("button");
  no.setAttribute("data-action", "dismiss");
  no.textContent = t("notNow");
  const answer = (accept) => async () => {
    const r = await ask({ kind: "answer-offer", accept });
    if (accept && r.saved) {
      panel.replaceChildren(Object.assign(document.createElement("p"), { textContent: t("saved") }));
      panel.setAttribute("data-state", "saved");
    } else {
      host.remove();
      offerShown = null;
    }
  };
  yes.addEventListener("click", answer(true));
  no.addEventListener("click", answer(false));
  panel.append(p, yes, no);
  body.append(panel);
}

document.addEventListener("submit", (e) => submitted(e.target), true);
document.addEventListener(
  "click",
  (e) => {
    const b = e.target && e.target.closest && e.target.closest('button, input[type="submit"], [role="button"]');
    if (!b || b.closest("valv-menu")) return;
    const scope = b.form || b.closest("form") || document;
    if (b.type === "submit" || b.form || scope === document) submitted(scope);
  },
  true,
);
document.addEventListener(
  "keydown",
  (e) => {
    if (e.key === "Enter" && e.target && e.target.type === "password") submitted(e.target.form || document);
  },
  true,
);
document.addEventListener("mousedown", (e) => {
  if (menu && !e.composedPath().includes(menu.host)) closeMenu();
});

api.runtime.onMessage.addListener((msg) => {
  if (msg.kind === "put" && window === window.top) {
    const g = groups[0];
    if (g) put(g, msg);
  } else if (msg.kind === "fill-best") {
    fillBest();
  }
});

new MutationObserver((records) => {
  for (const r of records) {
    for (const n of r.addedNodes) if (n.nodeType === 1 && !n.tagName.startsWith("VALV-")) return soon();
    for (const n of r.removedNodes) if (n.nodeType === 1 && !n.tagName.startsWith("VALV-")) return soon();
    if (r.type === "attributes") return soon();
  }
}).observe(document.documentElement, { childList: true, subtree: true, attributes: true, attributeFilter: ["type", "style", "class", "hidden"] });
addEventListener("resize", soon);
rescan();
if (window === window.top) ask({ kind: "offer" }).then((r) => r.offer && showOffer(r.offer));
