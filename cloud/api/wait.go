package api

import "time"

// PathVaultWait is the live-sync endpoint, a long poll: GET ?since=N&epoch=E answers at
// once with the vault's VaultState when its latest change is not N or its key epoch
// not E (epoch 0: not compared), else when that happens, or after VaultWaitHold with
// the unchanged state. The client then pulls, and asks again with what it was told.
const PathVaultWait = "/v1/vault/wait"

// VaultWaitHold is the longest the server holds a wait: below the client's request
// timeout and the usual proxy read timeouts (nginx: 60 s).
const VaultWaitHold = 20 * time.Second

// VaultState is a wait's answer. An account without a cloud vault (none yet, or
// wiped) answers Exists false with the epoch of the last one.
type VaultState struct {
	Exists       bool   `json:"exists"`
	KeyEpoch     uint64 `json:"key_epoch"`
	LatestChange uint64 `json:"latest_change"`
}
