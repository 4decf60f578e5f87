package cloud

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/valvpm/valv/cloud/api"
)

// TestAttackWeakHeader (Medium 5): with only a session, a header the vault would refuse
// — Argon2id below the floor or above the caps, a junk wrapped key, a broken or
// disagreeing header — is not stored, for a new vault, a master-password change or a
// replace; the header already there stays.
func TestAttackWeakHeader(t *testing.T) {
	e := newEnv(t)
	s := e.newAccount("kdf@example.com")
	tok := s.AccessToken
	id := vaultID("kdf")
	weak := func(k kdf, threads uint8) api.VaultHeader {
		return wireHeader(headerBytes(id, 1, 0, k, threads, "weak"))
	}
	for name, h := range map[string]api.VaultHeader{
		"m=8":       weak(kdf{8, 3}, 4),
		"t=1":       weak(kdf{api.KDFMinMemoryKiB, 1}, 4),
		"p=1":       weak(floorKDF, 1),
		"m=8 GiB":   weak(kdf{8 << 20, 3}, 4),
		"t=1000":    weak(kdf{api.KDFMinMemoryKiB, 1000}, 4),
		"p=255":     weak(floorKDF, 255),
		"m=2^32-1":  weak(kdf{1<<32 - 1, 3}, 4),
		"lanes=0 t": weak(kdf{api.KDFMinMemoryKiB, 0}, 0),
	} {
		if st, ae := e.call("PUT", api.PathVault, tok, api.PutHeaderRequest{Header: h}, nil); ae == nil || ae.Code != api.CodeKDFOutOfBounds {
			t.Errorf("%s: %d %v, want kdf_out_of_bounds", name, st, ae)
		}
	}
	good := testHeader("kdf", 1)
	junk := func(edit func(h *api.VaultHeader)) api.VaultHeader {
		h := good
		edit(&h)
		return h
	}
	raw := headerBytes(vaultID("kdf"), 1, 0, floorKDF, api.KDFMinThreads, "kdf")
	broken := append([]byte(nil), raw...)
	broken[40] ^= 1 // the salt, under the checksum
	for name, h := range map[string]api.VaultHeader{
		"the review's header": junk(func(h *api.VaultHeader) {
			h.KDF = json.RawMessage(`{"alg":"argon2id","m":8,"t":1,"p":1}`)
			h.WrappedKey = []byte("junk")
		}),
		"junk wrapped key":     junk(func(h *api.VaultHeader) { h.WrappedKey = []byte("junk") }),
		"other vault ID":       junk(func(h *api.VaultHeader) { h.VaultID = "00112233445566778899aabbccddeeff" }),
		"other epoch":          junk(func(h *api.VaultHeader) { h.KeyEpoch = 2 }),
		"broken checksum":      wireHeader(broken),
		"short header":         junk(func(h *api.VaultHeader) { h.KDF, _ = json.Marshal(api.VaultKDF{Format: 1, Header: raw[:100]}) }),
		"unknown format":       junk(func(h *api.VaultHeader) { h.KDF, _ = json.Marshal(api.VaultKDF{Format: 2, Header: raw}) }),
		"not JSON of a header": junk(func(h *api.VaultHeader) { h.KDF = json.RawMessage(`[1,2,3]`) }),
	} {
		if st, ae := e.call("PUT", api.PathVault, tok, api.PutHeaderRequest{Header: h}, nil); ae == nil || ae.Code != api.CodeInvalidHeader {
			t.Errorf("%s: %d %v, want invalid_header", name, st, ae)
		}
	}
	e.must("PUT", api.PathVault, tok, api.PutHeaderRequest{Header: good}, nil)
	// A master-password change to weak settings is refused and the header stays.
	e.wantErr(400, api.CodeKDFOutOfBounds, "PUT", api.PathVault, tok, api.PutHeaderRequest{Header: wireHeader(headerBytes(vaultID("kdf"), 1, 1, kdf{8, 1}, 1, "rewrap"))})
	var h api.VaultHeader
	e.must("GET", api.PathVault, tok, nil, &h)
	if string(h.KDF) != string(good.KDF) {
		t.Fatal("the stored header changed")
	}
	// So is a replace, before its action token is spent.
	at := e.actionToken(tok, "kdf@example.com", api.ActionReplaceCloudVault)
	e.wantErr(400, api.CodeKDFOutOfBounds, "POST", api.PathVaultReplace, tok,
		api.ReplaceRequest{Header: wireHeader(headerBytes(vaultID("kdf2"), 2, 0, kdf{8, 1}, 1, "r"))}, api.HeaderActionToken, at)
	e.must("POST", api.PathVaultReplace, tok, api.ReplaceRequest{Header: testHeader("kdf2", 2)}, nil, api.HeaderActionToken, at)
}

// TestAttackMovePhoneWithSession (Medium 5): a session alone cannot set up two-step
// verification or move it to another phone: the account password, or a code e-mailed
// to the account, is needed.
func TestAttackMovePhoneWithSession(t *testing.T) {
	e := newEnv(t)
	s := e.newAccount("phone@example.com")
	e.wantErr(403, api.CodeReauthRequired, "POST", api.PathTwoStep, s.AccessToken, api.TwoStepRequest{Phone: testPhone})
	e.wantErr(403, api.CodeWrongPassword, "POST", api.PathTwoStep, s.AccessToken, api.TwoStepRequest{Phone: testPhone, Password: "Wrong-pass-1"})
	var ch api.SMSChallenge
	e.must("POST", api.PathTwoStep, s.AccessToken, api.TwoStepRequest{Phone: testPhone, Password: testPassword}, &ch)
	e.must("POST", api.PathTwoStepConfirm, s.AccessToken, api.SMSCodeRequest{ChallengeID: ch.ChallengeID, Code: e.lastCode(testPhone)}, nil)
	// Moving to the attacker's phone needs the same.
	e.wantErr(403, api.CodeReauthRequired, "POST", api.PathTwoStep, s.AccessToken, api.TwoStepRequest{Phone: "+46709999999"})
	// A code e-mailed to the account is the other way.
	at := e.actionToken(s.AccessToken, "phone@example.com", api.ActionChangeTwoStep)
	e.must("POST", api.PathTwoStep, s.AccessToken, api.TwoStepRequest{Phone: "+46709999999"}, &ch, api.HeaderActionToken, at)

	// A provider-only account has no password: only the e-mailed code will do.
	p := e.providerOnly("google", "phone.google@example.com")
	e.wantErr(403, api.CodeReauthRequired, "POST", api.PathTwoStep, p.AccessToken, api.TwoStepRequest{Phone: testPhone})
	at = e.actionToken(p.AccessToken, "phone.google@example.com", api.ActionChangeTwoStep)
	e.must("POST", api.PathTwoStep, p.AccessToken, api.TwoStepRequest{Phone: testPhone}, nil, api.HeaderActionToken, at)
}

// TestAttackFreshPasswordWipes (Medium 5): a session holder of a provider-only account
// chooses a password and tries to use it at once to clear the vault, delete the
// account or turn off two-step verification. A password chosen without the old one
// confirms nothing dangerous for 24 hours; the e-mailed code still works.
func TestAttackFreshPasswordWipes(t *testing.T) {
	e := newEnv(t)
	const email = "fresh.google@example.com"
	p := e.providerOnly("google", email)
	e.must("PUT", api.PathVault, p.AccessToken, api.PutHeaderRequest{Header: testHeader("fresh", 1)}, nil)
	e.must("POST", api.PathAccountPassword, p.AccessToken, api.PasswordRequest{NewPassword: testPassword}, nil)
	e.wantErr(403, api.CodePasswordTooNew, "POST", api.PathActionReauth, p.AccessToken, api.ReauthRequest{Action: api.ActionClearVault, Password: testPassword})
	e.wantErr(403, api.CodePasswordTooNew, "DELETE", api.PathAccount, p.AccessToken, api.DeleteAccountRequest{Password: testPassword})
	e.wantErr(403, api.CodePasswordTooNew, "POST", api.PathTwoStep, p.AccessToken, api.TwoStepRequest{Phone: testPhone, Password: testPassword})
	// The e-mailed code works meanwhile.
	e.actionToken(p.AccessToken, email, api.ActionClearVault)
	// A day later the password confirms like any other.
	e.clock.Advance(api.PasswordSettleTime + time.Minute)
	var fresh api.Session
	e.must("POST", api.PathSessionsRefresh, "", api.RefreshRequest{RefreshToken: p.RefreshToken}, &fresh)
	e.must("POST", api.PathActionReauth, fresh.AccessToken, api.ReauthRequest{Action: api.ActionClearVault, Password: testPassword}, nil)
}

// TestAttackDeleteWithSession (Medium 5): deleting a provider-only account, or turning
// off its two-step verification, needs a code e-mailed to the account; a session alone
// is not enough.
func TestAttackDeleteWithSession(t *testing.T) {
	e := newEnv(t)
	const email = "del.google@example.com"
	p := e.providerOnly("google", email)
	at := e.actionToken(p.AccessToken, email, api.ActionChangeTwoStep)
	var ch api.SMSChallenge
	e.must("POST", api.PathTwoStep, p.AccessToken, api.TwoStepRequest{Phone: testPhone}, &ch, api.HeaderActionToken, at)
	e.must("POST", api.PathTwoStepConfirm, p.AccessToken, api.SMSCodeRequest{ChallengeID: ch.ChallengeID, Code: e.lastCode(testPhone)}, nil)
	e.wantErr(403, api.CodeReauthRequired, "DELETE", api.PathTwoStep, p.AccessToken, api.DeleteAccountRequest{})
	e.wantErr(403, api.CodeReauthRequired, "DELETE", api.PathAccount, p.AccessToken, api.DeleteAccountRequest{})
	// An action token for another action does not do.
	wrong := e.actionToken(p.AccessToken, email, api.ActionClearVault)
	e.wantErr(403, api.CodeActionTokenInvalid, "DELETE", api.PathAccount, p.AccessToken, api.DeleteAccountRequest{}, api.HeaderActionToken, wrong)
	at = e.actionToken(p.AccessToken, email, api.ActionChangeTwoStep)
	e.must("DELETE", api.PathTwoStep, p.AccessToken, api.DeleteAccountRequest{}, nil, api.HeaderActionToken, at)
	at = e.actionToken(p.AccessToken, email, api.ActionDeleteAccount)
	e.must("DELETE", api.PathAccount, p.AccessToken, api.DeleteAccountRequest{}, nil, api.HeaderActionToken, at)
	e.wantErr(401, api.CodeUnauthorized, "GET", api.PathAccount, p.AccessToken, nil)
}
