package e2e

import (
	"fmt"
	"html"
	"net/http"
)

// pages serves the login pages the scenarios use, the same on every host name.
func pages() http.Handler {
	mux := http.NewServeMux()
	page := func(title, body string) string {
		return `<!doctype html><html><head><meta charset="utf-8"><title>` + title + `</title>
<style>body{font:14px sans-serif;margin:20px} input{display:block;width:240px;height:28px;margin:6px 0;font-size:14px}
iframe{width:320px;height:260px;border:1px solid #888;position:absolute;left:10px;top:60px}</style></head><body>` + body + `</body></html>`
	}
	serve := func(path, title, body string) {
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, page(title, body))
		})
	}
	serve("/login", "Sign in", `<h1>Sign in</h1>
<form id="login" method="post" action="/welcome">
<input id="username" name="username" autocomplete="username" placeholder="User name">
<input id="password" name="password" type="password" autocomplete="current-password" placeholder="Password">
<button id="submit" type="submit">Sign in</button></form>
<script>
// For the benchmark: the page's own clock from the click on a login in Valv's menu
// (the event reaches the page retargeted to the menu's host) to the password field's
// input event, which the fill sends.
window.valvTimes = [];
addEventListener("message", (e) => {
  if (e.data === "values?") e.source.postMessage({ values: document.getElementById("username").value + document.getElementById("password").value }, "*");
});
document.addEventListener("click", (e) => { if (e.target.tagName === "VALV-MENU") window.clickedAt = performance.now(); }, true);
document.getElementById("password").addEventListener("input", () => {
  if (window.clickedAt) window.valvTimes.push(performance.now() - window.clickedAt);
  window.clickedAt = 0;
});
</script>`)
	serve("/step1", "Sign in: step 1", `<h1>Sign in</h1>
<form id="step1" method="get" action="/step2">
<input id="email" name="email" autocomplete="username" placeholder="User name or e-mail">
<button id="next" type="submit">Next</button></form>`)
	mux.HandleFunc("/step2", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page("Sign in: step 2", `<h1>Password for `+html.EscapeString(r.FormValue("email"))+`</h1>
<form id="step2" method="post" action="/welcome">
<input id="password" name="password" type="password" autocomplete="current-password" placeholder="Password">
<button id="submit" type="submit">Sign in</button></form>`))
	})
	serve("/late", "Sign in later", `<h1 id="ready">The form comes later</h1>
<div id="slot"></div>
<script>
function addForm() {
  const f = document.createElement("form");
  f.id = "login";
  for (const [id, type] of [["username", "text"], ["password", "password"]]) {
    const i = document.createElement("input");
    i.id = id; i.name = id; i.type = type;
    f.append(i);
  }
  document.getElementById("slot").append(f);
}
</script>`)
	serve("/signup", "Create account", `<h1>Create account</h1>
<form id="signup" method="post" action="/welcome">
<input id="username" name="username" autocomplete="username" placeholder="User name">
<input id="password" name="password" type="password" autocomplete="new-password" placeholder="Password">
<input id="confirm" name="confirm" type="password" autocomplete="new-password" placeholder="Repeat password">
<button id="submit" type="submit">Create account</button></form>`)
	// frame embeds the login page of another host, given as ?src=.
	mux.HandleFunc("/frame", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page("Framed", `<h1 id="top">Framed sign-in</h1><iframe id="inner" onload="window.innerLoaded = true" src="`+html.EscapeString(r.FormValue("src"))+`"></iframe>
<script>
function askFrame() {
  return new Promise((resolve) => {
    addEventListener("message", (e) => resolve(e.data.values), { once: true });
    document.getElementById("inner").contentWindow.postMessage("values?", "*");
  });
}
</script>`))
	})
	mux.HandleFunc("/welcome", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page("Welcome", `<h1 id="welcome">Welcome</h1>`))
	})
	return mux
}
