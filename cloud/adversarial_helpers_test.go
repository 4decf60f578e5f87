package cloud

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sync"
	"testing"

	"github.com/valvpm/valv/cloud/api"
)

// The adversarial suite (adversarial_*_test.go, one file per theme) performs each
// attack of the security review against the real handler on a real loopback listener,
// or against the real binary, and checks that it no longer succeeds. These are its
// shared pieces.

// kdf is a header's Argon2id settings.
type kdf struct{ m, t uint32 }

var floorKDF = kdf{api.KDFMinMemoryKiB, api.KDFMinTime}

// headerBytes builds a version-1 vault header as docs/vault-format.md lays it out
// (written here byte by byte, independent of the server's parser). The wrapped key is
// derived from seed, so two headers of one vault differ when their seeds do.
func headerBytes(id [16]byte, epoch, generation uint32, k kdf, threads uint8, seed string) []byte {
	h := make([]byte, 0, api.VaultHeaderSize)
	h = append(h, api.VaultHeaderMagic...)
	h = append(h, api.VaultHeaderVersion)
	h = append(h, id[:]...)
	h = binary.BigEndian.AppendUint32(h, epoch)
	h = binary.BigEndian.AppendUint32(h, generation)
	h = append(h, api.VaultKDFArgon2id)
	h = binary.BigEndian.AppendUint32(h, k.m)
	h = binary.BigEndian.AppendUint32(h, k.t)
	h = append(h, threads, api.KDFSaltSize)
	salt := sha256.Sum256([]byte("salt " + seed))
	h = append(h, salt[:api.KDFSaltSize]...)
	h = append(h, api.VaultWrappedKeySize)
	h = append(h, wrappedKey(seed)...)
	sum := sha256.Sum256(h)
	return append(h, sum[:8]...)
}

func wrappedKey(seed string) []byte {
	a := sha256.Sum256([]byte("wrapped a " + seed))
	b := sha256.Sum256([]byte("wrapped b " + seed))
	c := sha256.Sum256([]byte("wrapped c " + seed))
	return append(append(a[:], b[:]...), c[:8]...)
}

// vaultID turns a readable name into a vault ID.
func vaultID(name string) [16]byte {
	var id [16]byte
	sum := sha256.Sum256([]byte("vault " + name))
	copy(id[:], sum[:])
	return id
}

// wireHeader wraps header bytes as a client sends them.
func wireHeader(raw []byte) api.VaultHeader {
	kdfJSON, _ := json.Marshal(api.VaultKDF{Format: api.VaultKDFFormat, Header: raw})
	id := raw[api.VaultHeaderIDAt : api.VaultHeaderIDAt+16]
	return api.VaultHeader{VaultID: hex.EncodeToString(id), KeyEpoch: uint64(binary.BigEndian.Uint32(raw[api.VaultHeaderEpochAt:])),
		KDF: kdfJSON, WrappedKey: raw[api.VaultHeaderWrappedAt+1 : api.VaultHeaderSumAt]}
}

// testHeader is a well-formed header at the KDF floor for vault name at epoch.
func testHeader(name string, epoch uint64) api.VaultHeader {
	return wireHeader(headerBytes(vaultID(name), uint32(epoch), 0, floorKDF, api.KDFMinThreads, name))
}

// rewrapped is the header after a master-password change: same vault and epoch, next
// generation, another wrapped key.
func rewrapped(name string, epoch uint64) api.VaultHeader {
	return wireHeader(headerBytes(vaultID(name), uint32(epoch), 1, floorKDF, api.KDFMinThreads, name+" rewrapped"))
}

// signUp creates an account with a password and returns the sign-up answer as it is:
// on a server that proves e-mail addresses the account is not verified yet.
func (e *env) signUp(email, password string) *api.Session {
	e.t.Helper()
	var s api.Session
	e.must("POST", api.PathAccounts, "", api.CreateAccountRequest{Email: email, Password: password, AcceptTerms: true, Region: "eu"}, &s)
	return &s
}

// verify enters the code e-mailed for ch.
func (e *env) verify(ch *api.EmailChallenge, to string) *api.EmailVerifyResponse {
	e.t.Helper()
	var r api.EmailVerifyResponse
	e.must("POST", api.PathEmailVerify, "", api.EmailVerifyRequest{ChallengeID: ch.ChallengeID, Code: e.lastCode(to)}, &r)
	return &r
}

// quickSignIn signs in with a provider through the app flow (the fake provider vouches
// for email) and returns the session; the account must exist or be created on the way.
func (e *env) quickSignIn(provider, email string) *api.Session {
	e.t.Helper()
	c := noRedirectClient()
	back := e.oauthFlow(c, provider, email, appParams())
	if back.Path == "/portal/welcome" {
		rec := e.get(c, e.base+back.String())
		if rec.StatusCode != http.StatusOK {
			e.t.Fatalf("welcome page: %s", rec.Status)
		}
		e.t.Fatalf("quick sign-in of %s wants a new account", email)
	}
	var s api.Session
	e.must("POST", api.PathOAuthToken, "", api.OAuthTokenRequest{Code: back.Query().Get("code"), CodeVerifier: appVerifier, RedirectURI: appRedirect}, &s)
	return &s
}

// providerOnly creates an account through a first quick sign-in (no password).
func (e *env) providerOnly(provider, email string) *api.Session {
	e.t.Helper()
	c := noRedirectClient()
	back := e.oauthFlow(c, provider, email, appParams())
	if back.Path != "/portal/welcome" {
		e.t.Fatalf("first quick sign-in went to %s", back)
	}
	rec := httptest.NewRecorder()
	if err := e.srv.completePending(rec, httptest.NewRequest("POST", "/portal/welcome", nil), back.Query().Get("pending"), "eu", true, false, false); err != nil {
		e.t.Fatal(err)
	}
	u, err := url.Parse(rec.Header().Get("Location"))
	if err != nil {
		e.t.Fatal(err)
	}
	var s api.Session
	e.must("POST", api.PathOAuthToken, "", api.OAuthTokenRequest{Code: u.Query().Get("code"), CodeVerifier: appVerifier, RedirectURI: appRedirect}, &s)
	return &s
}

// actionToken gets an action token through an e-mailed code.
func (e *env) actionToken(tok, email string, action api.Action) string {
	e.t.Helper()
	e.must("POST", api.PathActionCodes, tok, api.ActionCodeRequest{Action: action}, nil)
	var at api.ActionTokenResponse
	e.must("POST", api.PathActionTokens, tok, api.ActionTokenRequest{Action: action, Code: e.lastCode(email)}, &at)
	return at.ActionToken
}

// tally counts answers by code ("ok" for success); safe for parallel requests.
type tally struct {
	mu sync.Mutex
	n  map[api.Code]int
}

func (c *tally) add(ae *api.Error, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n == nil {
		c.n = map[api.Code]int{}
	}
	switch {
	case err != nil:
		c.n["transport error"]++
	case ae == nil:
		c.n["ok"]++
	default:
		c.n[ae.Code]++
	}
}

// only fails the test when an answer had another code than those given: racing
// requests must get the rule's answers, never an internal error.
func (c *tally) only(t testing.TB, codes ...api.Code) {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	for code, n := range c.n {
		if !slices.Contains(codes, code) {
			t.Errorf("%d answer(s) %q, want only %v (%v)", n, code, codes, c.n)
		}
	}
}

func (c *tally) get(code api.Code) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[code]
}

// parallel runs n copies of fn at once (released together) and waits for them.
func parallel(n int, fn func(i int)) {
	var ready, done sync.WaitGroup
	start := make(chan struct{})
	ready.Add(n)
	done.Add(n)
	for i := range n {
		go func() {
			defer done.Done()
			ready.Done()
			<-start
			fn(i)
		}()
	}
	ready.Wait()
	close(start)
	done.Wait()
}
