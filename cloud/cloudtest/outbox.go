package cloudtest

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/valvpm/valv/cloud/api"
)

// OutboxCode returns the newest code the valv-cloud -dev at base sent to "to" (an
// e-mail address or phone number), read from its dev outbox as a developer would.
// Codes are sent before the request that asked for them answers, so it is there.
func OutboxCode(t testing.TB, base, to string) string {
	t.Helper()
	req, err := http.NewRequest("GET", base+api.PathDevOutbox, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", api.ContentTypeJSON)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var ob api.OutboxResponse
	err = json.NewDecoder(resp.Body).Decode(&ob)
	if cerr := resp.Body.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatalf("dev outbox: %v", err)
	}
	for i := len(ob.Messages) - 1; i >= 0; i-- {
		if m := ob.Messages[i]; strings.EqualFold(m.To, to) && m.Code != "" {
			return m.Code
		}
	}
	t.Fatalf("no code was sent to %s", to)
	return ""
}
