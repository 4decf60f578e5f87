package cloud

import (
	"net/http"
	"testing"
)

// TestRootSendsBrowserToPortal: the server's bare address, typed into a browser, leads
// to the web portal; every other unknown path is still the API's JSON 404.
func TestRootSendsBrowserToPortal(t *testing.T) {
	e := newEnv(t)
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, tc := range []struct {
		path, location string
		status         int
	}{
		{"/", "/portal/", http.StatusFound},
		{"/nothing-here", "", http.StatusNotFound},
	} {
		resp, err := c.Get(e.base + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		if err := resp.Body.Close(); err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != tc.status || resp.Header.Get("Location") != tc.location {
			t.Errorf("GET %s: %d to %q, want %d to %q", tc.path, resp.StatusCode, resp.Header.Get("Location"), tc.status, tc.location)
		}
	}
}
