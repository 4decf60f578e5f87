package browser_test

import (
	"encoding/base64"
	"time"

	"github.com/valvpm/valv/vault"
)

var testNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func browserFilter() vault.Filter { return vault.Filter{Type: vault.TypeLogin} }

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }
