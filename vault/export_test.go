package vault

// Hooks for the external benchmarks in bench_test.go, which measure unlocking without
// the deliberately slow KDF.

// VaultKeyForTest derives and unwraps the vault key (the KDF part of Unlock).
func (v *Vault) VaultKeyForTest(password []byte) ([]byte, error) { return v.header.unwrap(password) }

// UnlockWithKeyForTest is Unlock after the KDF: decrypt, decode and index every item.
func (v *Vault) UnlockWithKeyForTest(key []byte) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	idx, damaged, err := v.load(key)
	if err != nil {
		return err
	}
	v.key, v.idx, v.damaged = key, idx, damaged
	return nil
}
