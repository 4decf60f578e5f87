package x11clip

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// Core protocol numbers used here (X Window System Protocol, X11R7).
const (
	opCreateWindow      = 1
	opChangeProperty    = 18
	opInternAtom        = 16
	opSetSelectionOwner = 22
	opGetSelectionOwner = 23
	opSendEvent         = 25

	evSelectionClear   = 29
	evSelectionRequest = 30
	evSelectionNotify  = 31

	atomNone   = 0
	atomATOM   = 4
	atomSTRING = 31

	classInputOnly = 2
)

var le = binary.LittleEndian

// errSetup means the X server refused the connection or sent a reply this client
// cannot read.
var errSetup = errors.New("the X server refused the connection")

// setupRequest is the connection's first message: little-endian byte order, protocol
// 11.0 and the authorization, if any.
func setupRequest(authName string, authData []byte) []byte {
	b := []byte{'l', 0}
	b = le.AppendUint16(b, 11)
	b = le.AppendUint16(b, 0)
	b = le.AppendUint16(b, uint16(len(authName)))
	b = le.AppendUint16(b, uint16(len(authData)))
	b = append(b, 0, 0)
	b = append(b, authName...)
	b = append(b, make([]byte, pad(len(authName)))...)
	b = append(b, authData...)
	return append(b, make([]byte, pad(len(authData)))...)
}

// setup is what this client needs of the server's connection reply.
type setup struct {
	idBase, idMask uint32
	maxRequest     int // in bytes
	root           uint32
}

// readSetup reads the server's reply to setupRequest.
func readSetup(r io.Reader) (setup, error) {
	var head [8]byte
	if _, err := io.ReadFull(r, head[:]); err != nil {
		return setup{}, fmt.Errorf("%w: %v", errSetup, err)
	}
	body := make([]byte, int(le.Uint16(head[6:]))*4)
	if _, err := io.ReadFull(r, body); err != nil {
		return setup{}, fmt.Errorf("%w: %v", errSetup, err)
	}
	if head[0] != 1 {
		reason := body[:min(int(head[1]), len(body))]
		return setup{}, fmt.Errorf("%w: %q", errSetup, reason)
	}
	return parseSetup(body)
}

// parseSetup reads a successful connection reply after its 8-byte head: resource IDs,
// the largest request, and the first screen's root window.
func parseSetup(b []byte) (setup, error) {
	if len(b) < 32 {
		return setup{}, fmt.Errorf("%w: a connection reply of %d bytes", errSetup, len(b))
	}
	s := setup{idBase: le.Uint32(b[4:]), idMask: le.Uint32(b[8:]), maxRequest: int(le.Uint16(b[18:])) * 4}
	vendor, screens, formats := int(le.Uint16(b[16:])), int(b[20]), int(b[21])
	off := 32 + vendor + pad(vendor) + 8*formats
	if screens == 0 || off+40 > len(b) || s.idMask == 0 || s.maxRequest < 64 {
		return setup{}, fmt.Errorf("%w: no usable screen in the connection reply", errSetup)
	}
	s.root = le.Uint32(b[off:])
	return s, nil
}

// pad is how many bytes bring n to a multiple of 4.
func pad(n int) int { return (4 - n%4) % 4 }

// request starts a request: opcode, the byte after it, and the length in 4-byte units
// of a request of size bytes (head included, padding added by finish).
func request(op, data byte, size int) []byte {
	b := make([]byte, 4, size+pad(size))
	b[0], b[1] = op, data
	le.PutUint16(b[2:], uint16((size+pad(size))/4))
	return b
}

// finish pads b to a multiple of 4 bytes.
func finish(b []byte) []byte { return append(b, make([]byte, pad(len(b)))...) }

func internAtom(name string) []byte {
	b := request(opInternAtom, 0, 8+len(name))
	b = le.AppendUint16(b, uint16(len(name)))
	b = append(b, 0, 0)
	return finish(append(b, name...))
}

func createWindow(id, parent uint32) []byte {
	b := request(opCreateWindow, 0, 32)
	b = le.AppendUint32(b, id)
	b = le.AppendUint32(b, parent)
	b = append(b, 0, 0, 0, 0) // x, y
	b = le.AppendUint16(b, 1) // width
	b = le.AppendUint16(b, 1) // height
	b = le.AppendUint16(b, 0) // border
	b = le.AppendUint16(b, classInputOnly)
	b = le.AppendUint32(b, 0)    // visual: CopyFromParent
	return le.AppendUint32(b, 0) // no attributes
}

func setSelectionOwner(owner, selection uint32) []byte {
	b := request(opSetSelectionOwner, 0, 16)
	b = le.AppendUint32(b, owner)
	b = le.AppendUint32(b, selection)
	return le.AppendUint32(b, 0) // CurrentTime, as GLFW does
}

func getSelectionOwner(selection uint32) []byte {
	return le.AppendUint32(request(opGetSelectionOwner, 0, 8), selection)
}

// changeProperty replaces property on window with data of the given type, in items
// of format bits (8 or 32).
func changeProperty(window, property, typ uint32, format byte, data []byte) []byte {
	b := request(opChangeProperty, 0, 24+len(data))
	b = le.AppendUint32(b, window)
	b = le.AppendUint32(b, property)
	b = le.AppendUint32(b, typ)
	b = append(b, format, 0, 0, 0)
	b = le.AppendUint32(b, uint32(len(data)/(int(format)/8)))
	return finish(append(b, data...))
}

// selectionNotify tells requestor that its SelectionRequest is answered (property
// atomNone: refused).
func selectionNotify(req selectionRequest, property uint32) []byte {
	b := request(opSendEvent, 0, 44)
	b = le.AppendUint32(b, req.requestor)
	b = le.AppendUint32(b, 0) // event mask: to the window's owner only
	b = append(b, evSelectionNotify, 0, 0, 0)
	b = le.AppendUint32(b, req.time)
	b = le.AppendUint32(b, req.requestor)
	b = le.AppendUint32(b, req.selection)
	b = le.AppendUint32(b, req.target)
	b = le.AppendUint32(b, property)
	return append(b, make([]byte, 8)...)
}

// selectionRequest is another client asking for the selection in some target.
type selectionRequest struct {
	time, owner, requestor, selection, target, property uint32
}

func parseSelectionRequest(ev []byte) selectionRequest {
	return selectionRequest{
		time: le.Uint32(ev[4:]), owner: le.Uint32(ev[8:]), requestor: le.Uint32(ev[12:]),
		selection: le.Uint32(ev[16:]), target: le.Uint32(ev[20:]), property: le.Uint32(ev[24:]),
	}
}
