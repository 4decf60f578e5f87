package ui

import "github.com/valvpm/valv/vault"

// itemTitle is an item's title as the app shows it: a conflict copy, which the vault
// marks the same way in every language, is named in the person's language.
func itemTitle(title string) string {
	if original, ok := vault.ConflictCopyOf(title); ok {
		return T("item.conflictCopy", map[string]any{"Title": original})
	}
	return title
}
