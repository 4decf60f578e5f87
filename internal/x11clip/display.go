package x11clip

import (
	"bufio"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// ErrNoDisplay means no X server could be reached through $DISPLAY.
var ErrNoDisplay = errors.New("no X display")

// ParseDisplay splits an X display name, [host]:number[.screen].
func ParseDisplay(d string) (host, num string, ok bool) {
	i := strings.LastIndexByte(d, ':')
	if i < 0 {
		return "", "", false
	}
	host, num = d[:i], d[i+1:]
	num, _, _ = strings.Cut(num, ".")
	if _, err := strconv.Atoi(num); err != nil {
		return "", "", false
	}
	return host, num, true
}

// Addresses are the network addresses (network, address) display may be reached at,
// in the order to try: for a local display the socket file, then Linux's abstract
// name; for host:N the TCP port 6000+N.
func Addresses(display string) ([][2]string, bool) {
	host, num, ok := ParseDisplay(display)
	if !ok {
		return nil, false
	}
	if host == "" || host == "unix" {
		sock := "/tmp/.X11-unix/X" + num
		return [][2]string{{"unix", sock}, {"unix", "@" + sock}}, true
	}
	n, _ := strconv.Atoi(num)
	return [][2]string{{"tcp", net.JoinHostPort(host, strconv.Itoa(6000+n))}}, true
}

// dial connects to display, returning the connection and the display number.
func dial(display string) (net.Conn, string, error) {
	addrs, ok := Addresses(display)
	if !ok {
		return nil, "", ErrNoDisplay
	}
	_, num, _ := ParseDisplay(display)
	for _, a := range addrs {
		if c, err := net.DialTimeout(a[0], a[1], 3*time.Second); err == nil {
			return c, num, nil
		}
	}
	return nil, "", ErrNoDisplay
}

// authEntry is one record of an Xauthority file.
type authEntry struct {
	family       uint16
	address, num string
	name         string
	data         []byte
}

// familyLocal and familyWild are the Xauthority families that match a local display.
const (
	familyLocal = 256
	familyWild  = 65535
)

// readAuthority parses an Xauthority file: records of a big-endian family, then
// address, display number, auth name and data, each a big-endian 16-bit length and
// bytes. It stops at the first record that is cut short.
func readAuthority(r io.Reader) []authEntry {
	br := bufio.NewReader(r)
	field := func() ([]byte, bool) {
		var n [2]byte
		if _, err := io.ReadFull(br, n[:]); err != nil {
			return nil, false
		}
		b := make([]byte, binary.BigEndian.Uint16(n[:]))
		_, err := io.ReadFull(br, b)
		return b, err == nil
	}
	var out []authEntry
	for {
		var fam [2]byte
		if _, err := io.ReadFull(br, fam[:]); err != nil {
			return out
		}
		addr, ok1 := field()
		num, ok2 := field()
		name, ok3 := field()
		data, ok4 := field()
		if !ok1 || !ok2 || !ok3 || !ok4 {
			return out
		}
		out = append(out, authEntry{binary.BigEndian.Uint16(fam[:]), string(addr), string(num), string(name), data})
	}
}

// cookie finds the MIT-MAGIC-COOKIE-1 for local display num in $XAUTHORITY (or
// ~/.Xauthority); none when there is no such file or entry, which servers without
// access control (Xvfb by default) accept.
func cookie(num string) (name string, data []byte) {
	path := os.Getenv("XAUTHORITY")
	if path == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", nil
		}
		path = filepath.Join(home, ".Xauthority")
	}
	f, err := os.Open(path)
	if err != nil {
		return "", nil
	}
	defer f.Close() // read-only: nothing to lose on close
	host, _ := os.Hostname()
	for _, e := range readAuthority(f) {
		if e.name != "MIT-MAGIC-COOKIE-1" || (e.num != num && e.num != "") {
			continue
		}
		if e.family == familyWild || e.family == familyLocal && e.address == host {
			return e.name, e.data
		}
	}
	return "", nil
}
