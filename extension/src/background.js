// The extension's background: one connection to Valv for the whole browser profile,
// the answers to the content scripts and the popup, the Ctrl+Shift+L command, the
// save offer waiting for the next page after a form was submitted (in memory only,
// for two minutes, never in storage), and the origins of other sites' frames with a
// login form in each tab, which the popup offers to allow. The per-site settings
// themselves live in the app.
/* global BROWSER_FAMILY */
import { Valv } from "./native.js";

const api = globalThis.browser ?? globalThis.chrome;
const ports = new Set(); // open menus and popups, told of every state change
const valv = new Valv(BROWSER_FAMILY, (state) => {
  for (const p of ports) p.postMessage({ kind: "state", state });
});
const offers = new Map(); // tab id → {url, username, password, state, ref, until}
const OFFER_MS = 2 * 60 * 1000;
const frameForms = new Map(); // tab id → {top: the top page's address, origins: frames of other origins with a login form}
const originOf = (u) => {
  try {
    return new URL(u).origin;
  } catch {
    return "";
  }
};

api.runtime.onConnect.addListener((port) => {
  if (port.name !== "valv-state") return;
  ports.add(port);
  port.onDisconnect.addListener(() => ports.delete(port));
  port.postMessage({ kind: "state", state: valv.state });
});

// where says which page a message is about: the sending frame and, for a sub-frame,
// the tab's top page, as the browser reports them (not as the page claims). The popup
// speaks for the active tab, or for the tab its address names (popup.html?tab=N).
async function where(msg, sender) {
  // The extension's own pages (the popup, also when opened in a tab) speak for a tab.
  if (sender.tab && sender.url && !sender.url.startsWith(api.runtime.getURL(""))) {
    return { tabId: sender.tab.id, frameId: sender.frameId, url: sender.url, topUrl: sender.frameId === 0 ? "" : sender.tab.url || "" };
  }
  const [tab] = Number.isInteger(msg.tabId) ? [await api.tabs.get(msg.tabId)] : await api.tabs.query({ active: true, currentWindow: true });
  return { tabId: tab && tab.id, frameId: 0, url: (tab && tab.url) || "", topUrl: "", popup: true };
}

const failed = (e) => ({ error: (e && e.code) || "failed", state: valv.state });

async function handle(msg, sender) {
  const w = await where(msg, sender);
  switch (msg.kind) {
    case "state":
      try {
        await valv.open();
      } catch {
        // the state says why
      }
      return { state: valv.state };
    case "find": {
      const r = await valv.request("find", { url: w.url, topUrl: w.topUrl });
      return { logins: r.logins || [], state: valv.state };
    }
    case "fill": {
      const r = await valv.request("fill", { url: w.url, topUrl: w.topUrl, ref: msg.ref });
      const creds = { username: r.username || "", password: r.password || "", totp: r.totp || "" };
      if (w.popup) {
        // From the popup: the top frame of the tab it speaks for fills.
        await api.tabs.sendMessage(w.tabId, { kind: "put", ...creds }, { frameId: 0 });
        return { ok: true };
      }
      return creds;
    }
    case "load-fill": {
      const r = await valv.request("load-fill", { url: w.url, topUrl: w.topUrl });
      return { username: r.username || "", password: r.password || "", totp: r.totp || "" };
    }
    case "site":
      return site(w);
    case "set-site": {
      if (w.topUrl) return { error: "no-match" };
      const fields = { url: w.url };
      if (typeof msg.fillOnLoad === "boolean") fields.fillOnLoad = msg.fillOnLoad;
      if (typeof msg.allowFrame === "string") fields.allowFrame = msg.allowFrame;
      await valv.request("set-site", fields);
      return site(w);
    }
    case "frame-form": {
      const o = originOf(w.url);
      if (w.topUrl && o && o !== originOf(w.topUrl)) {
        let f = frameForms.get(w.tabId);
        if (!f || f.top !== w.topUrl) frameForms.set(w.tabId, (f = { top: w.topUrl, origins: new Set() }));
        f.origins.add(o);
      }
      return {};
    }
    case "pair":
      return { code: await valv.pair() };
    case "unlock":
      await valv.request("unlock");
      return { state: valv.state };
    case "retry":
      valv.hello = null;
      try {
        await valv.open();
      } catch {
        // the state says why
      }
      return { state: valv.state };
    case "generate": {
      const r = await valv.request("generate");
      return { password: r.password };
    }
    case "submitted":
      return submitted(msg, w);
    case "offer": {
      const o = offers.get(w.tabId);
      if (!o || o.until < Date.now()) return {};
      return { offer: { state: o.state, username: o.username } };
    }
    case "answer-offer":
      return answerOffer(msg, w);
  }
  return { error: "bad-request" };
}

// submitted asks Valv whether a submitted user name and password are new or changed,
// and keeps the offer for this tab so the page after the submit can show it.
async function submitted(msg, w) {
  if (!msg.password) return {};
  const r = await valv.request("check", { url: w.url, topUrl: w.topUrl, username: msg.username || "", password: msg.password });
  if (r.state !== "new" && r.state !== "changed") {
    offers.delete(w.tabId);
    return {};
  }
  const o = { url: w.url, topUrl: w.topUrl, username: msg.username || "", password: msg.password, state: r.state, ref: r.ref || "", until: Date.now() + OFFER_MS };
  offers.set(w.tabId, o);
  return { offer: { state: o.state, username: o.username } };
}

// site is the settings of the page's site, for the popup and the top frame's menu, with
// the frames of other origins in the tab that could be allowed.
async function site(w) {
  if (w.topUrl) return {};
  const r = await valv.request("site", { url: w.url });
  const frames = r.frames || [];
  const f = frameForms.get(w.tabId);
  const candidates = f && f.top === w.url ? [...f.origins].filter((o) => !frames.includes(o)) : [];
  return { site: { fillOnLoad: !!r.fillOnLoad, frames, candidates } };
}

async function answerOffer(msg, w) {
  const o = offers.get(w.tabId);
  offers.delete(w.tabId);
  if (!o || !msg.accept || o.until < Date.now()) return {};
  if (o.state === "new") {
    await valv.request("save", { url: o.url, topUrl: o.topUrl, username: o.username, password: o.password });
  } else {
    await valv.request("update", { url: o.url, topUrl: o.topUrl, ref: o.ref, password: o.password });
  }
  return { saved: o.state };
}

api.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  if (sender.id !== api.runtime.id || !msg || typeof msg.kind !== "string") return false;
  handle(msg, sender).then(sendResponse, (e) => sendResponse(failed(e)));
  return true; // answered asynchronously
});

api.tabs.onRemoved.addListener((tabId) => {
  offers.delete(tabId);
  frameForms.delete(tabId);
});

api.commands.onCommand.addListener(async (command) => {
  if (command !== "fill-best") return;
  const [tab] = await api.tabs.query({ active: true, currentWindow: true });
  if (!tab) return;
  // Every frame gets it; only the one that has the focus acts.
  api.tabs.sendMessage(tab.id, { kind: "fill-best" }).catch(() => {});
});
