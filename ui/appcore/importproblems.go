package appcore

import (
	"strings"

	"github.com/valvpm/valv/vault/transfer"
)

// ProblemMessage is one line of the import summary: where in the file (line or entry),
// the entry's title when it has one, and why it was left out or changed. Only a
// parser's own detail (a JSON or CSV syntax error) stays in English, in parentheses.
func ProblemMessage(p transfer.Problem) Message {
	where := Message{Key: "transfer.line", Args: map[string]any{"Line": p.Line}}
	if p.Line == 0 {
		where = Message{Key: "transfer.entry", Args: map[string]any{"Entry": p.Entry}}
	}
	args := map[string]any{"Where": where, "Reason": problemReason(p)}
	if p.Title != "" {
		args["Title"] = p.Title
		return Message{Key: "transfer.problemTitled", Args: args}
	}
	return Message{Key: "transfer.problem", Args: args}
}

// problemReason says why an entry was left out or changed, by the problem's kind.
func problemReason(p transfer.Problem) Message {
	switch p.Kind {
	case transfer.KindColumns:
		return Message{Key: "transfer.reason.columns", Args: map[string]any{"Got": p.Got, "Want": p.Want}}
	case transfer.KindUnreadable:
		// The parser's detail ("the value of "name" should be a string") helps find it.
		return Message{Key: "transfer.reason.other", Args: map[string]any{"Detail": strings.TrimPrefix(p.Reason, "the item cannot be read: ")}}
	case transfer.KindNotUTF8:
		return Message{Key: "transfer.reason.notUTF8"}
	case transfer.KindField:
		return FieldMessage(p.Field, p.FieldCode)
	case transfer.KindCardAsNote:
		return Message{Key: "transfer.reason.cardAsNote"}
	case transfer.KindExpiryAsField:
		return Message{Key: "transfer.reason.expiryAsField"}
	}
	return Message{Key: "transfer.reason.other", Args: map[string]any{"Detail": p.Reason}}
}
