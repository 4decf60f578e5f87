package appcore

import (
	"strings"

	"github.com/valvpm/valv/vault"
)

// Category is an entry of the sidebar.
type Category int

// Sidebar categories, in display order.
const (
	CatAll Category = iota
	CatLogin
	CatApp
	CatCard
	CatAddress
	CatNote
	CatDocument
	CatFavourites
)

// Categories lists the sidebar in display order.
var Categories = []Category{CatAll, CatLogin, CatApp, CatCard, CatAddress, CatNote, CatDocument, CatFavourites}

// categoryTypes are the categories that stand for one item type.
var categoryTypes = map[Category]vault.Type{
	CatLogin:    vault.TypeLogin,
	CatApp:      vault.TypeApp,
	CatCard:     vault.TypeCard,
	CatAddress:  vault.TypeAddress,
	CatNote:     vault.TypeNote,
	CatDocument: vault.TypeDocument,
}

// Filter returns the vault filter a category stands for.
func (c Category) Filter() vault.Filter {
	if t, ok := categoryTypes[c]; ok {
		return vault.Filter{Type: t}
	}
	return vault.Filter{Favourites: c == CatFavourites}
}

// CategoryOf is the category that lists only items of type t.
func CategoryOf(t vault.Type) (Category, bool) {
	for c, ct := range categoryTypes {
		if ct == t {
			return c, true
		}
	}
	return CatAll, false
}

// SetCategory selects a sidebar category and refreshes the list.
func (c *Controller) SetCategory(cat Category) {
	c.mu.Lock()
	c.category = cat
	c.mu.Unlock()
	c.refresh()
}

// Category returns the selected sidebar category.
func (c *Controller) Category() Category {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.category
}

// SetQuery filters the list by the search text (every keystroke; the vault's index
// keeps this fast at 10k items).
func (c *Controller) SetQuery(q string) {
	c.mu.Lock()
	c.query = strings.TrimSpace(q)
	c.mu.Unlock()
	c.refresh()
}

// Refresh rebuilds the visible list from the vault (after an import, for one).
func (c *Controller) Refresh() { c.refresh() }

func (c *Controller) refresh() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.items = nil
	if c.v == nil || c.v.Locked() {
		return
	}
	var items []*vault.Item
	var err error
	if c.query == "" {
		items, err = c.v.List(c.category.Filter())
	} else {
		items, err = c.v.Search(c.query, c.category.Filter())
	}
	if err == nil {
		c.items = items
	}
}

// Items returns the visible list. The items are the vault's shared read-only
// snapshots: never modify them (Clone first).
func (c *Controller) Items() []*vault.Item {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.items
}

// Item returns a private copy of the item with the given ID.
func (c *Controller) Item(id vault.ID) (*vault.Item, error) {
	v := c.vault()
	if v == nil {
		return nil, vault.ErrLocked
	}
	return v.Get(id)
}

// Save stores an edited copy: a new item when its ID is zero, else an update. It
// returns the stored item.
func (c *Controller) Save(it *vault.Item) (*vault.Item, error) {
	c.Touch()
	if err := it.Validate(); err != nil {
		return nil, err
	}
	v := c.vault()
	if v == nil {
		return nil, vault.ErrLocked
	}
	var saved *vault.Item
	var err error
	if it.ID == (vault.ID{}) {
		saved, err = v.Add(it)
	} else if err = c.readOnly(it.ID); err == nil {
		saved, err = v.Update(it)
	}
	if err != nil {
		return nil, err
	}
	c.refresh()
	return saved, nil
}

// Delete removes an item.
func (c *Controller) Delete(id vault.ID) error {
	c.Touch()
	v := c.vault()
	if v == nil {
		return vault.ErrLocked
	}
	if err := v.Delete(id); err != nil {
		return err
	}
	c.refresh()
	return nil
}
