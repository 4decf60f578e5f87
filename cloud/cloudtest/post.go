package cloudtest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/valvpm/valv/cloud/api"
)

// Post sends body as JSON to path with the access token (none when ""), as another
// device or the website would, decodes a 2xx answer into out (unless nil) and fails
// the test on any other answer.
func (e *Env) Post(t testing.TB, path, token string, body, out any) {
	t.Helper()
	raw, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, e.URL+path, bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", api.ContentTypeJSON)
	if token != "" {
		req.Header.Set(api.HeaderAuthorize, "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if out != nil && resp.StatusCode/100 == 2 {
		err = json.NewDecoder(resp.Body).Decode(out)
	}
	if cerr := resp.Body.Close(); err == nil {
		err = cerr
	}
	if err != nil || resp.StatusCode/100 != 2 {
		t.Fatalf("POST %s: %s, %v", path, resp.Status, err)
	}
}

// SignIn opens a session of email with its password, as another device would, and
// returns its access token.
func (e *Env) SignIn(t testing.TB, email, password string) string {
	t.Helper()
	var in api.SignInResponse
	e.Post(t, api.PathSessions, "", api.SignInRequest{Email: email, Password: password}, &in)
	if in.Session == nil {
		t.Fatalf("signing in %s needs another step", email)
	}
	return in.Session.AccessToken
}
