//go:build amd64 && !purego

#include "textflag.h"

// Argon2's compression G (RFC 9106, section 3.5) with AVX2. A round of the
// permutation P works on sixteen words v0..v15 held as four vectors,
// A = v0..v3, B = v4..v7, C = v8..v11, D = v12..v15: the column step is then four
// G functions side by side, and the diagonal step the same after turning B, C and D
// by one, two and three lanes.

// MULADD is BlaMka's A += B + 2*lo(A)*lo(B), on four lanes at once.
#define MULADD(A, B, T) \
	VPMULUDQ B, A, T; \
	VPADDQ   B, A, A; \
	VPADDQ   T, T, T; \
	VPADDQ   T, A, A

// GB is BLAKE2b's G with MULADD in place of its additions. Y14 and Y15 hold the byte
// shuffles that rotate each word right by 24 and 16; right by 32 swaps its halves,
// right by 63 is left by 1.
#define GB(A, B, C, D, T) \
	MULADD(A, B, T); \
	VPXOR    A, D, D; \
	VPSHUFD  $0xB1, D, D; \
	MULADD(C, D, T); \
	VPXOR    C, B, B; \
	VPSHUFB  Y14, B, B; \
	MULADD(A, B, T); \
	VPXOR    A, D, D; \
	VPSHUFB  Y15, D, D; \
	MULADD(C, D, T); \
	VPXOR    C, B, B; \
	VPADDQ   B, B, T; \
	VPSRLQ   $63, B, B; \
	VPOR     T, B, B

// ROUND is P on one set of sixteen words: columns, then diagonals.
#define ROUND(A, B, C, D, T) \
	GB(A, B, C, D, T); \
	VPERMQ $0x39, B, B; \
	VPERMQ $0x4E, C, C; \
	VPERMQ $0x93, D, D; \
	GB(A, B, C, D, T); \
	VPERMQ $0x93, B, B; \
	VPERMQ $0x4E, C, C; \
	VPERMQ $0x39, D, D

// ROWS runs P on words off/8 .. off/8+15 of the block at DI, which lie side by side,
// and on the sixteen after them: two independent rounds keep the processor busy.
#define ROWS(off) \
	VMOVDQU off(DI), Y0; \
	VMOVDQU off+32(DI), Y1; \
	VMOVDQU off+64(DI), Y2; \
	VMOVDQU off+96(DI), Y3; \
	VMOVDQU off+128(DI), Y5; \
	VMOVDQU off+160(DI), Y6; \
	VMOVDQU off+192(DI), Y7; \
	VMOVDQU off+224(DI), Y8; \
	ROUND(Y0, Y1, Y2, Y3, Y4); \
	ROUND(Y5, Y6, Y7, Y8, Y9); \
	VMOVDQU Y0, off(DI); \
	VMOVDQU Y1, off+32(DI); \
	VMOVDQU Y2, off+64(DI); \
	VMOVDQU Y3, off+96(DI); \
	VMOVDQU Y5, off+128(DI); \
	VMOVDQU Y6, off+160(DI); \
	VMOVDQU Y7, off+192(DI); \
	VMOVDQU Y8, off+224(DI)

// COLS runs P on two column pairs, off/8 and off/8+2: the sixteen words of pair i
// are i, i+1, i+16, i+17, ..., i+112, i+113, so each vector is two halves 128
// bytes apart.
#define LOADHALVES(off, X, Y) \
	VMOVDQU     off(DI), X; \
	VINSERTI128 $1, off+128(DI), Y, Y

#define STOREHALVES(off, X, Y) \
	VMOVDQU      X, off(DI); \
	VEXTRACTI128 $1, Y, off+128(DI)

// COLPAIR applies M (LOADHALVES or STOREHALVES) to the four vectors of one column
// pair.
#define COLPAIR(M, off, XA, YA, XB, YB, XC, YC, XD, YD) \
	M(off, XA, YA); \
	M(off+256, XB, YB); \
	M(off+512, XC, YC); \
	M(off+768, XD, YD)

#define COLS(off) \
	COLPAIR(LOADHALVES, off, X0, Y0, X1, Y1, X2, Y2, X3, Y3); \
	COLPAIR(LOADHALVES, off+16, X5, Y5, X6, Y6, X7, Y7, X8, Y8); \
	ROUND(Y0, Y1, Y2, Y3, Y4); \
	ROUND(Y5, Y6, Y7, Y8, Y9); \
	COLPAIR(STOREHALVES, off, X0, Y0, X1, Y1, X2, Y2, X3, Y3); \
	COLPAIR(STOREHALVES, off+16, X5, Y5, X6, Y6, X7, Y7, X8, Y8)

// The byte shuffles that rotate each 64-bit word right by 24 and by 16 bits.
DATA rot24<>+0x00(SB)/8, $0x0201000706050403
DATA rot24<>+0x08(SB)/8, $0x0a09080f0e0d0c0b
DATA rot24<>+0x10(SB)/8, $0x0201000706050403
DATA rot24<>+0x18(SB)/8, $0x0a09080f0e0d0c0b
GLOBL rot24<>(SB), (NOPTR+RODATA), $32

DATA rot16<>+0x00(SB)/8, $0x0100070605040302
DATA rot16<>+0x08(SB)/8, $0x09080f0e0d0c0b0a
DATA rot16<>+0x10(SB)/8, $0x0100070605040302
DATA rot16<>+0x18(SB)/8, $0x09080f0e0d0c0b0a
GLOBL rot16<>(SB), (NOPTR+RODATA), $32

// func processBlockAVX2(out, x, y, q *block, xor bool)
TEXT ·processBlockAVX2(SB), NOSPLIT, $0-33
	MOVQ    out+0(FP), AX
	MOVQ    x+8(FP), SI
	MOVQ    y+16(FP), DX
	MOVQ    q+24(FP), DI
	MOVBLZX xor+32(FP), R8
	VMOVDQU rot24<>(SB), Y14
	VMOVDQU rot16<>(SB), Y15

	// q = x ^ y
	XORQ CX, CX
xy:
	VMOVDQU (SI)(CX*1), Y0
	VPXOR   (DX)(CX*1), Y0, Y0
	VMOVDQU Y0, (DI)(CX*1)
	ADDQ    $32, CX
	CMPQ    CX, $1024
	JB      xy

	// P on each row of sixteen words, then on each column pair.
	ROWS(0)
	ROWS(256)
	ROWS(512)
	ROWS(768)
	COLS(0)
	COLS(32)
	COLS(64)
	COLS(96)

	// out = q ^ x ^ y, or out ^= that. Each chunk of y is read before the same chunk
	// of out is written, so out may be y.
	XORQ CX, CX
final:
	VMOVDQU (DI)(CX*1), Y0
	VPXOR   (SI)(CX*1), Y0, Y0
	VPXOR   (DX)(CX*1), Y0, Y0
	TESTQ   R8, R8
	JZ      store
	VPXOR   (AX)(CX*1), Y0, Y0
store:
	VMOVDQU Y0, (AX)(CX*1)
	ADDQ    $32, CX
	CMPQ    CX, $1024
	JB      final

done:
	VZEROUPPER
	RET
