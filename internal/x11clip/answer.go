package x11clip

import "github.com/valvpm/valv/internal/secret"

// answer gives a requestor the selection in the target it asked for, or refuses:
// TARGETS lists the text targets and the hint; the text targets get the text; the hint
// gets HintValue. The request buffer holding the text is wiped once written.
func (o *Owner) answer(req selectionRequest) {
	if req.property == atomNone {
		req.property = req.target // an obsolete client: ICCCM says use the target
	}
	prop := uint32(atomNone)
	o.mu.Lock()
	if o.text != nil && req.owner == o.win && req.selection == o.atoms.clipboard {
		if b := o.reply(req, o.text.Bytes()); b != nil {
			if o.send(b) == nil {
				prop = req.property
			}
			secret.Wipe(b)
		}
	}
	o.mu.Unlock()
	_ = o.send(selectionNotify(req, prop)) // a requestor that has gone needs no answer
}

// reply is the ChangeProperty that answers req with text, nil for a target Valv does
// not offer.
func (o *Owner) reply(req selectionRequest, text []byte) []byte {
	a := o.atoms
	switch req.target {
	case a.targets:
		list := []uint32{a.targets, a.utf8, a.textPlainUTF8, a.textPlain, a.text, a.hint}
		if ascii(text) {
			list = append(list, atomSTRING)
		}
		var b []byte
		for _, t := range list {
			b = le.AppendUint32(b, t)
		}
		return changeProperty(req.requestor, req.property, atomATOM, 32, b)
	case a.utf8, a.text:
		return changeProperty(req.requestor, req.property, a.utf8, 8, text)
	case a.textPlainUTF8, a.textPlain:
		return changeProperty(req.requestor, req.property, req.target, 8, text)
	case atomSTRING:
		if ascii(text) { // STRING is Latin-1: only ASCII is the same bytes
			return changeProperty(req.requestor, req.property, atomSTRING, 8, text)
		}
	case a.hint:
		return changeProperty(req.requestor, req.property, a.hint, 8, []byte(HintValue))
	}
	return nil
}

func ascii(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}
