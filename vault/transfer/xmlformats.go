package transfer

import (
	"fmt"
	"slices"
	"strings"

	"github.com/valvpm/valv/vault"
)

// KeePassX 0.4's XML export and SafeInCloud's XML export. Both call their root
// <database>; KeePassX nests <group>s of <entry>s (a comment's line breaks written as
// <br/>), SafeInCloud lists <card>s whose <field>s say by their type what they hold,
// with <label>s for folders.

func readKeePassXXML(data []byte, r *reader) error {
	root, err := parseXMLTree(data, nil)
	if err != nil {
		return fmt.Errorf("the KeePassX XML cannot be read, so nothing was imported: %w", err)
	}
	if root.name != "database" {
		return fmt.Errorf("the XML is not a KeePassX export (its root element is <%s>)", root.name)
	}
	n := 0
	var walk func(g *xnode, path []string, depth int) error
	walk = func(g *xnode, path []string, depth int) error {
		if depth > maxGroupDepth {
			return fmt.Errorf("the groups nest more than %d levels deep", maxGroupDepth)
		}
		for _, e := range g.all("entry") {
			n++
			if len(path) > 0 && path[0] == "Backup" {
				r.skip(SkipBackup) // KeePassX keeps earlier versions of entries in its Backup group
				continue
			}
			it := &vault.Item{Type: vault.TypeLogin, Folder: strings.Join(path, "/"), Title: e.value("title"),
				Username: e.value("username"), Password: e.value("password"), Notes: e.value("comment")}
			addURL(it, e.value("url"))
			if t, ok := parseTime(e.value("creation")); ok {
				it.Created = t
			}
			if t, ok := parseTime(e.value("lastmod")); ok {
				it.Modified = t
			}
			if x := strings.TrimSpace(e.value("expire")); x != "" && x != "Never" {
				it.Fields = append(it.Fields, vault.Field{Name: "Expires", Value: x})
			}
			noteIfNoLogin(it)
			r.add(0, n, it)
		}
		for _, sub := range g.all("group") {
			if err := walk(sub, append(slices.Clip(path), sub.value("title")), depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	return walk(root, nil, 0)
}

func readSafeInCloudXML(data []byte, r *reader) error {
	root, err := parseXMLTree(data, nil)
	if err != nil {
		return fmt.Errorf("the SafeInCloud XML cannot be read, so nothing was imported: %w", err)
	}
	if root.name != "database" {
		return fmt.Errorf("the XML is not a SafeInCloud export (its root element is <%s>)", root.name)
	}
	labels := map[string]string{}
	for _, l := range root.all("label") {
		labels[l.attr("id")] = l.attr("name")
	}
	for i, c := range root.all("card") {
		switch {
		case c.attr("template") == "true":
			continue // a template for new cards, not a card
		case c.attr("deleted") == "true":
			r.skip(SkipTrash)
			continue
		}
		r.add(0, i+1, safeInCloudCard(c, labels))
	}
	return nil
}

func safeInCloudCard(c *xnode, labels map[string]string) *vault.Item {
	it := &vault.Item{Type: vault.TypeLogin, Title: c.attr("title"), Notes: c.value("notes")}
	if id := c.value("label_id"); id != "" {
		it.Folder = labels[id]
	}
	it.Favourite = c.attr("star") == "true"
	card := c.attr("type") != "note" && slices.ContainsFunc(c.all("field"), func(f *xnode) bool { return f.attr("autofill") == "cc-number" })
	if card {
		it.Type = vault.TypeCard
	}
	for _, f := range c.all("field") {
		if strings.TrimSpace(f.text) == "" {
			continue
		}
		placed := false
		if card {
			placed = safeInCloudCardField(it, f)
		} else {
			placed = safeInCloudLoginField(it, f)
		}
		if !placed {
			it.Fields = append(it.Fields, vault.Field{Name: f.attr("name"), Value: f.text})
		}
	}
	if c.attr("type") == "note" {
		asNote(it)
	}
	noteIfNoLogin(it)
	return it
}

// safeInCloudCardField places a card's field by its autofill hint; false leaves it to
// be kept as an extra field (also a second value for a detail already set).
func safeInCloudCardField(it *vault.Item, f *xnode) bool {
	var dst *string
	switch {
	case f.attr("autofill") == "cc-number":
		dst = &it.Number
	case f.attr("autofill") == "cc-name":
		dst = &it.Cardholder
	case f.attr("autofill") == "cc-exp":
		dst = &it.Expiry
	case f.attr("autofill") == "cc-csc":
		dst = &it.CVC
	case f.attr("name") == "PIN":
		dst = &it.PIN
	}
	if dst == nil || *dst != "" {
		return false
	}
	*dst = f.text
	return true
}

// safeInCloudLoginField places a login's field by its type.
func safeInCloudLoginField(it *vault.Item, f *xnode) bool {
	part := map[string]string{"login": "username", "password": "password", "website": "url", "one_time_password": "totp"}[f.attr("type")]
	switch {
	case part == "username" && it.Username == "", part == "password" && it.Password == "",
		part == "url" && len(it.URLs) == 0, part == "totp" && it.TOTP == "":
		setLoginPartAs(it, part, f.attr("name"), f.text)
		return true
	}
	return false
}
