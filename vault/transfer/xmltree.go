package transfer

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// xnode is an element of a small XML tree: the XML exports Valv reads (KeePass,
// KeePassX, SafeInCloud) are records of short elements, easier to walk as a tree than
// to map onto structs, and a tree keeps the document order that KeePass's protected
// values are decrypted in.
type xnode struct {
	name  string
	attrs []xml.Attr
	text  string
	kids  []*xnode
}

// maxXMLDepth bounds nesting; real files go a few dozen levels deep, and the bound
// keeps a crafted file from exhausting the stack of whoever walks the tree.
const maxXMLDepth = 256

// parseXMLTree reads data into a tree. leaf, when set, is called for each element
// without child elements as it closes, in document order, and may change its text.
func parseXMLTree(data []byte, leaf func(n *xnode) error) (*xnode, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	var stack []*xnode
	var root *xnode
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			line, _ := d.InputPos()
			return nil, fmt.Errorf("line %d: %s", line, xmlReason(err))
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local == "br" && len(stack) > 0 {
				stack[len(stack)-1].text += "\n" // KeePassX writes line breaks in comments as <br/>
				if err := d.Skip(); err != nil {
					return nil, fmt.Errorf("%s", xmlReason(err))
				}
				continue
			}
			if len(stack) >= maxXMLDepth {
				return nil, fmt.Errorf("the elements nest more than %d levels deep", maxXMLDepth)
			}
			n := &xnode{name: t.Name.Local, attrs: t.Copy().Attr}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.kids = append(p.kids, n)
			} else if root == nil {
				root = n
			}
			stack = append(stack, n)
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text += string(t)
			}
		case xml.EndElement:
			n := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if leaf != nil && len(n.kids) == 0 {
				if err := leaf(n); err != nil {
					return nil, err
				}
			}
		}
	}
	if root == nil {
		return nil, errors.New("the file has no XML element")
	}
	return root, nil
}

// child returns the first child element called name, or nil.
func (n *xnode) child(name string) *xnode {
	if n == nil {
		return nil
	}
	for _, k := range n.kids {
		if k.name == name {
			return k
		}
	}
	return nil
}

// all returns the child elements called name.
func (n *xnode) all(name string) []*xnode {
	if n == nil {
		return nil
	}
	var out []*xnode
	for _, k := range n.kids {
		if k.name == name {
			out = append(out, k)
		}
	}
	return out
}

// value is the text of the child called name ("" when there is none).
func (n *xnode) value(name string) string {
	if c := n.child(name); c != nil {
		return c.text
	}
	return ""
}

// attr returns the attribute called name.
func (n *xnode) attr(name string) string {
	if n == nil {
		return ""
	}
	for _, a := range n.attrs {
		if strings.EqualFold(a.Name.Local, name) {
			return a.Value
		}
	}
	return ""
}

func xmlReason(err error) string {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		if strings.Contains(se.Msg, "unexpected EOF") {
			return "the file ends too early; it may have been cut short"
		}
		return se.Msg
	}
	return err.Error()
}
