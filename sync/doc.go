// Package cloudsync is Valv's sync engine: it moves sealed items between the local
// vault and the account's cloud vault. (The folder is sync/, but the package is named
// cloudsync so it never reads as the standard library's sync; import it as
// "github.com/valvpm/valv/sync" and refer to it as cloudsync.)
//
// Only the vault header and sealed items cross the network, exactly as stored; the
// engine holds no key. Every step is offline-first and crash-safe: local changes are
// saved before they are pushed, pulled items are applied together with the cursor in
// one vault transaction, and an interrupted sync simply runs again.
//
// What the engine checks of the server (a malicious server must not hurt the vault):
// KDF parameters within bounds (vault.ParseHeader), a header of another vault or an
// older epoch or generation (refused), a change counter lower than one already seen
// (a rolled-back vault, refused), and items that fail to authenticate (refused, the
// whole batch). In each case the local vault is left as it was.
package cloudsync
