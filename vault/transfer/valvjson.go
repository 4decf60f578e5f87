package transfer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/valvpm/valv/vault"
)

// Valv's JSON export is an envelope around items in the vault's one JSON schema
// (vault.Item's MarshalJSON; docs/json-format.md):
//
//	{"format": "valv-export", "version": 1, "exported": "2026-03-04T05:06:07Z", "items": [ … ]}
//
// The reader also takes a bare array of items, which is what `valv-cli ls --json`
// prints (secrets redacted there, so only useful for non-secret fields).

// valvFormatName and valvFormatVersion identify the envelope. A newer version is refused
// rather than half understood.
const (
	valvFormatName    = "valv-export"
	valvFormatVersion = 1
)

type valvEnvelope struct {
	Format   string            `json:"format"`
	Version  int               `json:"version"`
	Exported time.Time         `json:"exported"`
	Items    []json.RawMessage `json:"items"`
}

// ExportJSON encodes items as Valv's JSON export: every field of every type, folders,
// times and password history, secrets included. Items are written in the order given.
func ExportJSON(items []*vault.Item) ([]byte, error) {
	env := valvEnvelope{Format: valvFormatName, Version: valvFormatVersion, Exported: time.Now().UTC().Truncate(time.Second)}
	env.Items = make([]json.RawMessage, len(items))
	for i, it := range items {
		b, err := it.MarshalJSON()
		if err != nil {
			return nil, fmt.Errorf("item %q: %w", it.Title, err)
		}
		env.Items[i] = b
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(env); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func readValvJSON(data []byte, r *reader) error {
	var raws []json.RawMessage
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	if len(trimmed) > 0 && trimmed[0] == '[' {
		if err := json.Unmarshal(data, &raws); err != nil {
			return fmt.Errorf("the JSON cannot be read, so nothing was imported: %s", jsonReason(err))
		}
	} else {
		var env valvEnvelope
		if err := json.Unmarshal(data, &env); err != nil {
			return fmt.Errorf("the JSON cannot be read, so nothing was imported: %s", jsonReason(err))
		}
		if env.Format != valvFormatName {
			return fmt.Errorf("the JSON is not a Valv export (its format is %q)", env.Format)
		}
		if env.Version > valvFormatVersion {
			return fmt.Errorf("the export was written by a newer version of Valv (format version %d); please update", env.Version)
		}
		raws = env.Items
	}
	step := max(len(raws)/100, 1)
	for i, raw := range raws {
		if i%step == 0 {
			r.report(StageRead, i, len(raws))
		}
		var it vault.Item
		if err := json.Unmarshal(raw, &it); err != nil {
			r.problemKind(0, i+1, jsonTitle(raw), Problem{Kind: KindUnreadable, Reason: "the item cannot be read: " + jsonReason(err)})
			continue
		}
		it.ID = vault.ID{} // the vault gives every imported item a new ID
		// The schema says newest first; sorting makes a hand-edited file follow it.
		slices.SortStableFunc(it.History, func(a, b vault.PastPassword) int { return b.Replaced.Compare(a.Replaced) })
		r.add(0, i+1, &it)
	}
	r.report(StageRead, len(raws), len(raws))
	r.total = 0 // progress was reported in items, not bytes
	return nil
}

// jsonTitle digs the title out of an item that failed to decode, to name it.
func jsonTitle(raw json.RawMessage) string {
	var t struct {
		Title string `json:"title"`
	}
	_ = json.Unmarshal(raw, &t) // best effort: an empty title just names no entry
	return t.Title
}

// jsonReason makes encoding/json's errors a little friendlier.
func jsonReason(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se) && se.Error() == "unexpected end of JSON input":
		return "the file ends too early; it may have been cut short"
	case errors.As(err, &se):
		return fmt.Sprintf("%v (at byte %d)", se, se.Offset)
	case errors.As(err, &te):
		return fmt.Sprintf("the value of %q should be a %v", te.Field, te.Type)
	}
	if err.Error() == "unexpected end of JSON input" {
		return "the file ends too early; it may have been cut short"
	}
	return err.Error()
}
