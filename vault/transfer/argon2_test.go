package transfer

import (
	"bytes"
	"encoding/hex"
	"testing"

	"golang.org/x/crypto/argon2"
)

// TestArgon2Vectors: RFC 9106's test vectors for Argon2d and Argon2id (5.1, 5.3).
func TestArgon2Vectors(t *testing.T) {
	pw, salt := bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 16)
	secret, ad := bytes.Repeat([]byte{3}, 8), bytes.Repeat([]byte{4}, 12)
	for _, c := range []struct {
		mode int
		want string
	}{
		{argon2d, "512b391b6f1162975371d30919734294f868e3be3984f3c1a13a4db9fabe4acb"},
		{argon2id, "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659"},
	} {
		got := hex.EncodeToString(argon2Key(c.mode, pw, salt, secret, ad, 3, 32, 4, 32))
		if got != c.want {
			t.Errorf("mode %d: %s, want %s", c.mode, got, c.want)
		}
	}
}

// TestArgon2idMatchesXCrypto: without a secret or associated data, our Argon2id is
// x/crypto's, at costs that exercise several address blocks, lanes and passes.
func TestArgon2idMatchesXCrypto(t *testing.T) {
	for _, c := range []struct {
		time, mem uint32
		threads   uint8
	}{{1, 64, 1}, {2, 1024, 2}, {3, 600, 3}, {1, 8, 1}} {
		want := argon2.IDKey([]byte("mật khẩu"), []byte("saltsaltsalt"), c.time, c.mem, c.threads, 32)
		got := argon2Key(argon2id, []byte("mật khẩu"), []byte("saltsaltsalt"), nil, nil, c.time, c.mem, c.threads, 32)
		if !bytes.Equal(got, want) {
			t.Errorf("%+v: differs from x/crypto", c)
		}
	}
}
