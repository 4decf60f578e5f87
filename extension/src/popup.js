// The toolbar popup: the same panel as the in-page menu, for the active tab's page.
import { render, PANEL_CSS } from "./panel.js";

const api = globalThis.browser ?? globalThis.chrome;
const style = document.createElement("style");
style.textContent = PANEL_CSS.replace(":host { all: initial; }", "");
document.head.append(style);
const root = document.getElementById("root");
// The tab the popup speaks for: the active one, or the one popup.html?tab=N names.
const tab = Number(new URLSearchParams(location.search).get("tab"));
const tabId = Number.isInteger(tab) && tab > 0 ? tab : undefined;
const ask = (msg) => api.runtime.sendMessage({ ...msg, tabId }).catch(() => ({ error: "not-running" }));
let model = { state: "connecting" };

const handlers = {
  fill: async (ref) => {
    const r = await ask({ kind: "fill", ref });
    if (r.error) {
      model = { ...model, error: r.error };
      draw();
    } else {
      window.close();
    }
  },
  pair: () => ask({ kind: "pair" }),
  unlock: () => ask({ kind: "unlock" }),
  retry: () => ask({ kind: "retry" }).then(load),
  generate: () => {},
  fillOnLoad: (on) => ask({ kind: "set-site", fillOnLoad: on }).then(load),
  allowFrame: (origin) => ask({ kind: "set-site", allowFrame: origin }).then(load),
};

function draw() {
  render(root, model, handlers);
}

async function load() {
  const r = await ask({ kind: "find" });
  if (r.error && r.error !== "no-match") {
    model = { state: r.state ? r.state.name : r.error, code: r.state && r.state.code };
    if (model.state === "ready") model = { state: "ready", error: r.error };
  } else {
    model = { state: "ready", logins: r.logins || [], error: r.error };
    const s = await ask({ kind: "site" });
    if (s.site) model.site = s.site;
  }
  draw();
}

const port = api.runtime.connect({ name: "valv-state" });
port.onMessage.addListener((msg) => {
  if (msg.kind !== "state") return;
  if (msg.state.name === "ready" && model.state !== "ready") return load();
  if (msg.state.name !== "ready") {
    model = { state: msg.state.name, code: msg.state.code };
    draw();
  }
});
draw();
load();
