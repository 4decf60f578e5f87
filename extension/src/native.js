// The extension's side of the protocol with the Valv app (browser/protocol.go in the
// Go module): a native messaging port to valv-browser-host, which relays to the app.
// The extension's key pair is the only thing kept in storage; every request about
// logins is sealed with nacl/box to the app's key and bound to the connection's session.
import nacl from "tweetnacl";

export const HOST = "io.github.valvpm.valv";
const api = globalThis.browser ?? globalThis.chrome;
const enc = new TextEncoder();
const dec = new TextDecoder();

export const b64 = (u8) => {
  let s = "";
  for (const c of u8) s += String.fromCharCode(c);
  return btoa(s);
};
export const unb64 = (s) => Uint8Array.from(atob(s || ""), (c) => c.charCodeAt(0));
const same = (a, b) => a && b && a.length === b.length && a.every((x, i) => x === b[i]);

// pairingCode is the six digits both sides show: SHA-256 over a label, both public
// keys and the session (browser/crypto.go PairingCode), "123 456".
export async function pairingCode(appKey, extKey, session) {
  const label = enc.encode("valv/browser-pairing/v1");
  const buf = new Uint8Array(label.length + appKey.length + extKey.length + session.length);
  buf.set(label, 0);
  buf.set(appKey, label.length);
  buf.set(extKey, label.length + appKey.length);
  buf.set(session, label.length + appKey.length + extKey.length);
  const h = new Uint8Array(await crypto.subtle.digest("SHA-256", buf));
  let n = 0n;
  for (let i = 0; i < 8; i++) n = (n << 8n) | BigInt(h[i]);
  const s = (n % 1000000n).toString().padStart(6, "0");
  return s.slice(0, 3) + " " + s.slice(3);
}

// States the extension shows, by name: connecting, no-host (host not installed),
// not-running, unpaired, pairing (with code), refused, key-changed, locked, ready.
export class Valv {
  constructor(family, onState) {
    this.family = family;
    this.onState = onState;
    this.state = { name: "connecting" };
    this.port = null;
    this.hello = null; // the app's hello on the current connection
    this.waiting = []; // callbacks for the next hello or pair answer or error
    this.pending = new Map(); // request id → {resolve, reject}
    this.nextId = 0;
    this.keys = null;
  }

  setState(s) {
    this.state = s;
    this.onState(s);
  }

  // loadKeys reads (or first makes) the key pair once, however many callers ask at once.
  loadKeys() {
    if (!this.loading) this.loading = this.readKeys();
    return this.loading;
  }

  async readKeys() {
    const st = await api.storage.local.get(["extPublic", "extSecret", "appKey"]);
    if (st.extPublic && st.extSecret) {
      this.keys = { publicKey: unb64(st.extPublic), secretKey: unb64(st.extSecret) };
    } else {
      this.keys = nacl.box.keyPair();
      await api.storage.local.set({ extPublic: b64(this.keys.publicKey), extSecret: b64(this.keys.secretKey) });
    }
    this.pinned = st.appKey ? unb64(st.appKey) : null;
    return this.keys;
  }

  // open starts the host if needed and says hello; it resolves with the app's hello,
  // or rejects with {code} when the host is missing or Valv does not answer. Callers
  // at the same time share one hello.
  open() {
    if (this.hello) return Promise.resolve(this.hello);
    if (!this.opening) this.opening = this.sayHello().finally(() => (this.opening = null));
    return this.opening;
  }

  async sayHello() {
    const keys = await this.loadKeys();
    if (!this.port) {
      let port;
      try {
        port = api.runtime.connectNative(HOST);
      } catch {
        this.setState({ name: "no-host" });
        throw { code: "no-host" };
      }
      this.port = port;
      port.onMessage.addListener((m) => this.receive(m));
      port.onDisconnect.addListener(() => this.disconnected(port));
    }
    return new Promise((resolve, reject) => {
      this.waiting.push({ type: "hello", resolve, reject });
      this.port.postMessage({ type: "hello", key: b64(keys.publicKey) });
    });
  }

  disconnected(port) {
    if (this.port !== port) return;
    const why = (api.runtime.lastError && api.runtime.lastError.message) || "";
    this.port = null;
    this.hello = null;
    // A host that cannot be started at all (no manifest, or one that does not allow
    // this extension) is a missing install; one that started and ended is "not running".
    const code = /not found|forbidden|not allowed|no such native/i.test(why) ? "no-host" : "not-running";
    this.failAll(code);
    this.setState({ name: code });
  }

  failAll(code) {
    for (const w of this.waiting.splice(0)) w.reject({ code });
    for (const p of this.pending.values()) p.reject({ code });
    this.pending.clear();
  }

  receive(m) {
    if (!m || typeof m !== "object") return;
    switch (m.type) {
      case "hello":
        return this.gotHello(m);
      case "pair":
        return this.gotPair(m);
      case "msg":
        return this.gotMsg(m);
      case "status":
        return this.gotStatus(m);
      case "error":
        return this.gotError(m);
    }
  }

  take(type) {
    const i = this.waiting.findIndex((w) => w.type === type);
    return i < 0 ? null : this.waiting.splice(i, 1)[0];
  }

  gotHello(m) {
    const w = this.take("hello");
    const appKey = unb64(m.key);
    this.hello = { appKey, session: unb64(m.session), paired: !!m.paired, locked: !!m.locked };
    if (m.paired && this.pinned && !same(this.pinned, appKey)) {
      // Valv answers with another key than the one approved: another program, or Valv
      // reinstalled. Nothing is sent to it until the person pairs again.
      this.hello.paired = false;
      this.setState({ name: "key-changed" });
    } else if (!m.paired) {
      this.setState({ name: this.state.name === "refused" ? "refused" : "unpaired" });
    } else {
      if (!this.pinned) this.pin(appKey);
      this.setState({ name: m.locked ? "locked" : "ready" });
    }
    if (w) w.resolve(this.hello);
  }

  pin(appKey) {
    this.pinned = appKey;
    api.storage.local.set({ appKey: b64(appKey) });
  }

  gotStatus(m) {
    if (!this.hello) return;
    this.hello.locked = !!m.locked;
    if (this.hello.paired) this.setState({ name: m.locked ? "locked" : "ready" });
  }

  gotError(m) {
    const code = m.code || "failed";
    if (code === "not-running") {
      this.hello = null;
      this.failAll(code);
      this.setState({ name: "not-running" });
      return;
    }
    if (code === "not-paired") {
      if (this.hello) this.hello.paired = false;
      this.failAll(code);
      this.setState({ name: "unpaired" });
      return;
    }
    // A refusal without a request ID (busy, bad request): it answers the oldest wait.
    const w = this.waiting.shift();
    if (w) return w.reject({ code, message: m.message });
    const first = this.pending.keys().next();
    if (!first.done) {
      const p = this.pending.get(first.value);
      this.pending.delete(first.value);
      p.reject({ code, message: m.message });
    }
  }

  open_(m) {
    const plain = nacl.box.open(unb64(m.box), unb64(m.nonce), this.hello.appKey, this.keys.secretKey);
    if (!plain) return null;
    try {
      return JSON.parse(dec.decode(plain));
    } catch {
      return null;
    }
  }

  seal(obj) {
    const nonce = nacl.randomBytes(24);
    const box = nacl.box(enc.encode(JSON.stringify(obj)), nonce, this.hello.appKey, this.keys.secretKey);
    return { nonce: b64(nonce), box: b64(box) };
  }

  // pair asks Valv to pair this browser; it resolves with the code to show at once,
  // and the state moves on to ready or refused when the person answers.
  async pair() {
    const hello = await this.open();
    const info = api.runtime.getPlatformInfo ? await api.runtime.getPlatformInfo() : { os: "" };
    const os = { linux: "Linux", mac: "macOS", win: "Windows" }[info.os] || info.os;
    const name = os ? `${this.family} on ${os}` : this.family;
    const code = await pairingCode(hello.appKey, this.keys.publicKey, hello.session);
    this.setState({ name: "pairing", code });
    const answer = new Promise((resolve, reject) => this.waiting.push({ type: "pair", resolve, reject }));
    this.port.postMessage({ type: "pair", ...this.seal({ session: b64(hello.session), name }) });
    answer.then(
      (ok) => this.setState({ name: ok ? (this.hello.locked ? "locked" : "ready") : "refused" }),
      (e) => this.setState({ name: e.code === "busy" ? "busy" : this.state.name === "pairing" ? "unpaired" : this.state.name }),
    );
    return code;
  }

  gotPair(m) {
    const w = this.take("pair");
    const a = this.hello && this.open_(m);
    if (!w) return;
    if (!a || !same(unb64(a.session), this.hello.session)) return w.reject({ code: "bad-request" });
    if (a.approved) {
      this.hello.paired = true;
      this.pin(this.hello.appKey);
    }
    w.resolve(!!a.approved);
  }

  // request sends one sealed request and resolves with the app's answer. Errors are
  // {code}: locked, not-paired, not-running, no-host, no-match, …
  async request(action, fields = {}) {
    const hello = await this.open();
    if (!hello.paired) throw { code: this.state.name === "key-changed" ? "key-changed" : "not-paired" };
    const id = ++this.nextId;
    const p = new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
    this.port.postMessage({ type: "msg", ...this.seal({ id, session: b64(hello.session), action, ...fields }) });
    const r = await p;
    if (r.error) {
      if (r.error === "locked" && this.hello) {
        this.hello.locked = true;
        this.setState({ name: "locked" });
      }
      throw { code: r.error, message: r.message };
    }
    return r;
  }

  gotMsg(m) {
    const r = this.hello && this.open_(m);
    if (!r || !same(unb64(r.session), this.hello.session)) return; // not for this connection
    const p = this.pending.get(r.id);
    if (!p) return;
    this.pending.delete(r.id);
    p.resolve(r);
  }
}
