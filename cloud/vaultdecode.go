package cloud

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"github.com/valvpm/valv/cloud/api"
	"github.com/valvpm/valv/cloud/store"
)

// Push and replace bodies are the only large ones. They are read as a stream: the size
// is refused from Content-Length before reading, the reader stops at the limit, and the
// items are decoded one at a time and checked as they arrive, so an oversized body is
// refused after holding at most the limit, not after holding all of it twice (raw and
// decoded) as reading it whole would.

// vaultBody opens r's body for streaming with a limit of limit bytes.
func (s *Server) vaultBody(w http.ResponseWriter, r *http.Request, limit int64) (io.Reader, error) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if err := checkJSONType(ct); err != nil {
			return nil, err
		}
	}
	if r.ContentLength > limit {
		return nil, errBodyTooLarge(limit)
	}
	return http.MaxBytesReader(w, r.Body, limit), nil
}

func errBodyTooLarge(limit int64) *apiErr {
	return errf(http.StatusRequestEntityTooLarge, api.CodeBodyTooLarge, "The request body is larger than %d bytes.", limit)
}

// streamFields decodes one JSON object from r, handing each member to the decoder for
// its name. Unknown and repeated names are refused, as is anything after the object.
func streamFields(r io.Reader, fields map[string]func(*json.Decoder) error) error {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := wantDelim(dec, '{'); err != nil {
		return err
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return streamErr(err)
		}
		name, _ := tok.(string)
		f := fields[name]
		if f == nil {
			return errf(http.StatusBadRequest, api.CodeBadRequest, "The request has an unknown field %q.", truncateForMsg(name))
		}
		if seen[name] {
			return errf(http.StatusBadRequest, api.CodeBadRequest, "The request has field %q twice.", name)
		}
		seen[name] = true
		if err := f(dec); err != nil {
			return streamErr(err)
		}
	}
	if err := wantDelim(dec, '}'); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		if err != nil {
			return streamErr(err)
		}
		return errf(http.StatusBadRequest, api.CodeBadRequest, "The request body must hold exactly one JSON object.")
	}
	return nil
}

func wantDelim(dec *json.Decoder, d json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return streamErr(err)
	}
	if tok != d {
		return errf(http.StatusBadRequest, api.CodeBadRequest, "The request body must be one JSON object.")
	}
	return nil
}

// streamErr turns what a streaming decode ran into into an API error.
func streamErr(err error) error {
	var ae *apiErr
	var mb *http.MaxBytesError
	switch {
	case errors.As(err, &ae):
		return err
	case errors.As(err, &mb):
		return errBodyTooLarge(mb.Limit)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return errf(http.StatusBadRequest, api.CodeBadRequest, "The request body ends too early.")
	}
	return badJSON(err)
}

// itemsDecoder reads the items array one element at a time into *into, refusing as
// soon as a limit is passed: more items than lim.MaxPushItems, one blob over
// lim.MaxItemBytes, or blobs together over maxBytes (then tooMuch).
func itemsDecoder(into *[]api.PushItem, lim store.Limits, maxBytes int64, tooMuch error) func(*json.Decoder) error {
	return func(dec *json.Decoder) error {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		if tok == nil { // null: no items
			return nil
		}
		if tok != json.Delim('[') {
			return errf(http.StatusBadRequest, api.CodeBadRequest, "Field \"items\" must be a list.")
		}
		*into = []api.PushItem{} // [] decodes as an empty list, as encoding/json does
		var total int64
		for dec.More() {
			if lim.MaxPushItems > 0 && len(*into) >= lim.MaxPushItems {
				return vaultErr(store.ErrTooManyItems)
			}
			var it api.PushItem
			if err := dec.Decode(&it); err != nil {
				return err
			}
			if !it.Deleted {
				if lim.MaxItemBytes > 0 && len(it.Blob) > lim.MaxItemBytes {
					return vaultErr(store.ErrItemTooLarge)
				}
				if total += int64(len(it.Blob)); maxBytes > 0 && total > maxBytes {
					return tooMuch
				}
			}
			*into = append(*into, it)
		}
		_, err = dec.Token() // the closing ]
		return err
	}
}

// decodePush streams a push body.
func decodePush(r io.Reader, lim store.Limits) (*api.PushRequest, error) {
	var req api.PushRequest
	err := streamFields(r, map[string]func(*json.Decoder) error{
		"key_epoch": func(dec *json.Decoder) error { return dec.Decode(&req.KeyEpoch) },
		"items":     itemsDecoder(&req.Items, lim, pushBytes(lim), vaultErr(store.ErrPushTooLarge)),
	})
	if err != nil {
		return nil, err
	}
	return &req, nil
}

// decodeReplace streams a replace body: the whole vault, so its blobs are bounded by
// the vault's size.
func decodeReplace(r io.Reader, lim store.Limits) (*api.ReplaceRequest, error) {
	var req api.ReplaceRequest
	err := streamFields(r, map[string]func(*json.Decoder) error{
		"header": func(dec *json.Decoder) error { return dec.Decode(&req.Header) },
		"items":  itemsDecoder(&req.Items, lim, lim.MaxVaultBytes, vaultErr(store.ErrVaultTooLarge)),
	})
	if err != nil {
		return nil, err
	}
	return &req, nil
}

// pushBytes is what the blobs of one push may take together: the limit if set, else
// what the other limits allow, else the protocol's default.
func pushBytes(lim store.Limits) int64 {
	if lim.MaxPushBytes > 0 {
		return lim.MaxPushBytes
	}
	n := int64(lim.MaxItemBytes) * int64(lim.MaxPushItems)
	if lim.MaxVaultBytes > 0 && (n == 0 || lim.MaxVaultBytes < n) {
		n = lim.MaxVaultBytes
	}
	if n == 0 {
		n = api.DefaultMaxPushBytes
	}
	return n
}

// pushBodyLimit is the most a push body may take: its blobs in base64, plus room for
// the JSON around each item.
func pushBodyLimit(lim store.Limits) int64 {
	return base64Len(pushBytes(lim)) + int64(max(lim.MaxPushItems, 1))*(store.MaxItemIDLen+96) + 64<<10
}

// replaceBodyLimit is the same for a whole vault and its header.
func replaceBodyLimit(lim store.Limits) int64 {
	n := lim.MaxVaultBytes
	if n == 0 {
		n = pushBytes(lim)
	}
	return base64Len(n) + int64(max(lim.MaxPushItems, 1))*(store.MaxItemIDLen+96) + 64<<10
}

func base64Len(n int64) int64 { return (n + 2) / 3 * 4 }
