// The panel both the in-page menu and the toolbar popup show: the connection state,
// the matching logins, and the buttons for what can be done next. It builds plain DOM
// into root (a closed shadow root in pages, the popup's body), never HTML strings.
import { t } from "./i18n.js";

export const PANEL_CSS = `
:host { all: initial; }
.panel { font: 13px/1.4 system-ui, sans-serif; color: #1b1f24; background: #fff; border: 1px solid #c9ced6;
  border-radius: 8px; box-shadow: 0 4px 16px rgba(0,0,0,.18); padding: 8px; min-width: 240px; max-width: 340px; }
.head { font-weight: 600; margin: 0 0 6px; display: flex; align-items: center; gap: 6px; }
.head svg { width: 16px; height: 16px; }
p { margin: 4px 0 8px; }
button { font: inherit; display: block; width: 100%; text-align: left; border: 0; border-radius: 6px; background: #eef2f7;
  color: inherit; padding: 6px 8px; margin: 4px 0; cursor: pointer; }
button:hover, button:focus { background: #dbe6f5; outline: 2px solid #2f6fd6; outline-offset: -2px; }
button.primary { background: #2f6fd6; color: #fff; text-align: center; }
.login .title { font-weight: 600; display: block; }
.login .user { color: #58606b; display: block; }
.code { font: 600 22px/1.2 ui-monospace, monospace; letter-spacing: 2px; text-align: center; margin: 8px 0; }
kbd, code { font-family: ui-monospace, monospace; background: #eef2f7; padding: 0 3px; border-radius: 3px; }
`;

// markIcon is Valv's mark: a shield with a V, drawn as SVG elements.
export function markIcon() {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 16 16");
  svg.setAttribute("aria-hidden", "true");
  for (const [fill, d] of [
    ["#2f6fd6", "M8 1 2 3.5v4C2 11 4.6 14.2 8 15c3.4-.8 6-4 6-7.5v-4z"],
    ["#fff", "M4.6 5h1.7L8 10l1.7-5h1.7L8.9 12H7.1z"],
  ]) {
    const path = document.createElementNS(ns, "path");
    path.setAttribute("fill", fill);
    path.setAttribute("d", d);
    svg.append(path);
  }
  return svg;
}

function el(tag, attrs = {}, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "onclick") e.addEventListener("click", v);
    else e.setAttribute(k, v);
  }
  for (const k of kids) e.append(k);
  return e;
}

function button(label, action, onclick, primary = false) {
  const b = el("button", { type: "button", "data-action": action, onclick }, label);
  if (primary) b.className = "primary";
  return b;
}

// drawn is the model each root shows, as JSON.
const drawn = new WeakMap();

// render draws model into root. model: {state, code, logins, error, canGenerate, site};
// h: {fill(ref), pair(), unlock(), retry(), generate(), fillOnLoad(on), allowFrame(origin)}.
// A model the root already shows is not drawn again: that would only replace the
// buttons, and a click pressed on the old one and released on the new one is lost
// (the app's state arriving just after the logins drew the same list a second time).
export function render(root, model, h) {
  const key = JSON.stringify(model);
  if (drawn.get(root) === key) return;
  drawn.set(root, key);
  const panel = el("div", { class: "panel", "data-state": model.state, role: "dialog", "aria-label": t("extName") });
  const head = el("div", { class: "head" });
  head.append(markIcon(), t("extName"));
  panel.append(head);
  const say = (key, ...subs) => panel.append(el("p", { "data-message": key }, t(key, ...subs)));
  switch (model.state) {
    case "connecting":
      say("connecting");
      break;
    case "no-host":
      say("noHost");
      panel.append(el("p", {}, el("code", {}, "valv-cli browser install")));
      panel.append(button(t("tryAgain"), "retry", h.retry));
      break;
    case "not-running":
      say("notRunning");
      panel.append(button(t("tryAgain"), "retry", h.retry));
      break;
    case "unpaired":
    case "key-changed":
    case "refused":
      say(model.state === "refused" ? "pairRefused" : model.state === "key-changed" ? "keyChanged" : "pairIntro");
      panel.append(button(t("pairButton"), "pair", h.pair, true));
      break;
    case "pairing":
      say("pairCode");
      panel.append(el("div", { class: "code", "data-code": model.code }, model.code));
      break;
    case "busy":
      say("pairBusy");
      panel.append(button(t("tryAgain"), "retry", h.retry));
      break;
    case "locked":
      say("locked");
      panel.append(button(t("unlockButton"), "unlock", h.unlock, true));
      break;
    default:
      renderReady(panel, model, h);
      if (model.site) renderSite(panel, model.site, h);
  }
  root.replaceChildren(panel);
  const first = panel.querySelector("button");
  if (first && model.focus !== false) first.focus();
}

function renderReady(panel, model, h) {
  if (model.canGenerate) panel.append(button(t("generateButton"), "generate", h.generate, true));
  if (model.error === "no-match") {
    panel.append(el("p", { "data-message": "frameRefused" }, t("frameRefused")));
    return;
  }
  if (model.error) {
    panel.append(el("p", { "data-message": "failed" }, t("failed")));
    return;
  }
  const logins = model.logins || [];
  if (!logins.length) {
    if (!model.canGenerate) panel.append(el("p", { "data-message": "noLogins" }, t("noLogins")));
    return;
  }
  for (const l of logins) {
    const b = button("", "fill", () => h.fill(l.ref));
    b.classList.add("login");
    b.setAttribute("data-ref", l.ref);
    b.append(el("span", { class: "title" }, l.title || t("untitled")), el("span", { class: "user" }, l.username || t("noUsername")));
    panel.append(b);
  }
}

// renderSite offers the site's settings, for the page itself only (the popup and the
// top frame's menu): fill on page load, and filling in each frame of another origin
// that has a login form. site: {fillOnLoad, frames (allowed), candidates}.
function renderSite(panel, site, h) {
  const toggle = button(t(site.fillOnLoad ? "fillOnLoadOff" : "fillOnLoadOn"), "fill-on-load", () => h.fillOnLoad(!site.fillOnLoad));
  toggle.setAttribute("aria-pressed", String(!!site.fillOnLoad));
  panel.append(toggle);
  for (const origin of site.candidates || []) {
    const b = button(t("allowFrame", origin), "allow-frame", () => h.allowFrame(origin));
    b.setAttribute("data-origin", origin);
    panel.append(b);
  }
}
