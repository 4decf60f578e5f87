package breach

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
)

// ErrList means the input is not a Have I Been Pwned SHA-1 list; the wrapping error
// names the line and what is wrong with it.
var ErrList = errors.New("the file is not a Have I Been Pwned SHA-1 list")

// Shard sizing: a line of the list is about 44 bytes ("SHA1HEX:COUNT\r\n"), and a shard
// of up to 4 million keys keeps the builder's memory under about 150 MB.
const (
	hibpLineBytes   = 44
	shardTargetKeys = 1 << 22
	// DefaultShardBits is used when the list's size is not known in advance: 256
	// shards, right for the full list.
	DefaultShardBits = 8
)

// ShardBitsFor is the shard count (as bits) for a list of size bytes: the fewest
// shards that keep each under shardTargetKeys, so a small list makes a small file.
func ShardBitsFor(size int64) uint {
	if size <= 0 {
		return DefaultShardBits
	}
	lines := size / hibpLineBytes
	b := uint(0)
	for b < MaxShardBits && lines>>b > shardTargetKeys {
		b++
	}
	return b
}

// BuildHIBP reads a Pwned Passwords SHA-1 list — lines of SHA1HEX:COUNT, upper- or
// lower-case, sorted by hash as the downloader writes them — and writes a filter of
// every hash in it to w. Blank lines and lines with a count of 0 are skipped. A list
// out of order is refused (sorting it with `sort` first fixes that), as is any line
// that is not a hash; the error names the line. w may hold a partial file after an
// error: write to a temporary file and rename it on success.
func BuildHIBP(w io.Writer, r io.Reader, shardBits uint) (keys uint64, err error) {
	b, err := newWriter(w, shardBits)
	if err != nil {
		return 0, err
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 4096), 4096)
	line := 0
	for sc.Scan() {
		line++
		k, ok, err := parseHIBPLine(sc.Bytes())
		if err != nil {
			return 0, fmt.Errorf("%w: line %d %s", ErrList, line, err)
		}
		if !ok {
			continue
		}
		if err := b.add(k); errors.Is(err, errUnsorted) {
			return 0, fmt.Errorf("%w: line %d is out of order (the list must be sorted by hash; sort it first)", ErrList, line)
		} else if err != nil {
			return 0, err
		}
	}
	if err := sc.Err(); errors.Is(err, bufio.ErrTooLong) {
		return 0, fmt.Errorf("%w: line %d is far too long", ErrList, line+1)
	} else if err != nil {
		return 0, fmt.Errorf("reading the list: %w", err)
	}
	if line == 0 {
		return 0, fmt.Errorf("%w: it is empty", ErrList)
	}
	if err := b.close(); err != nil {
		return 0, err
	}
	return b.total, nil
}

// parseHIBPLine reads "SHA1HEX:COUNT" (or a bare SHA1HEX); ok is false for a line to
// skip. The error is a phrase that follows "line N".
func parseHIBPLine(l []byte) (k uint64, ok bool, err error) {
	l = bytes.TrimSpace(l)
	if len(l) == 0 {
		return 0, false, nil
	}
	h, count, hasCount := bytes.Cut(l, []byte(":"))
	if len(h) != 2*20 {
		return 0, false, errors.New("does not start with a 40-digit SHA-1 hash")
	}
	var sum [20]byte
	if _, err := hex.Decode(sum[:], h); err != nil {
		return 0, false, errors.New("has a hash with characters that are not hex digits")
	}
	if hasCount {
		n, ok := parseCount(count)
		if !ok {
			return 0, false, errors.New("has a count that is not a whole number")
		}
		if n == 0 {
			return 0, false, nil
		}
	}
	return key(sum), true, nil
}

// parseCount reads the decimal count after a hash; counts above a billion are capped
// (only zero and non-zero matter here).
func parseCount(b []byte) (n int, ok bool) {
	if len(b) == 0 {
		return 0, false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		if n < 1e9 {
			n = n*10 + int(c-'0')
		}
	}
	return n, true
}
