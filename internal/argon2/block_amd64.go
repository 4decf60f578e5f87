//go:build amd64 && !purego

package argon2

import "golang.org/x/sys/cpu"

// useAVX2 selects processBlockAVX2, which runs BlaMka on four words at a time.
var useAVX2 = cpu.X86.HasAVX2

// processBlockAVX2 is processBlockGo in AVX2 assembly (block_amd64.s), with q as its
// work area: it sets out = G(x, y), or out ^= G(x, y) when xor. out may be x or y.
//
//go:noescape
func processBlockAVX2(out, x, y, q *block, xor bool)
