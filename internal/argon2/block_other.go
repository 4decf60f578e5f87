//go:build !amd64 || purego

package argon2

const useAVX2 = false

func processBlockAVX2(out, x, y, q *block, xor bool) { processBlockGo(out, x, y, q, xor) }
