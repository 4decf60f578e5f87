package transfer

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/valvpm/valv/vault"
)

// TestProblemKinds: every problem and notice says what it is, with its details, so the
// app can say it in the person's language.
func TestProblemKinds(t *testing.T) {
	v := newTestVault(t)
	csv := "name,url,username,password\nShort,https://a.example\nOK,https://b.example,u,p\n"
	p, err := Prepare(v, []byte(csv), ImportOptions{Format: FormatChrome})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Problems) != 1 || p.Problems[0].Kind != KindColumns || p.Problems[0].Got != 2 || p.Problems[0].Want != 4 || p.Problems[0].Line != 2 {
		t.Errorf("columns problem = %+v", p.Problems)
	}
	json := `{"format":"valv-export","version":1,"items":[
		{"type":"card","title":"Bad card","number":"4111 1111 1111 1112"},
		{"type":"login","title":"Steam","username":"u","totp":"steam://ABCDEFGH"},
		{"type":"note","title":"Note with a password","password":"x"}]}`
	p, err = Prepare(v, []byte(json), ImportOptions{Format: FormatValvJSON})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Notices) != 2 || p.Notices[0].Kind != KindCardAsNote || p.Notices[0].Title != "Bad card" ||
		p.Notices[1].Kind != KindTOTPAsField || p.Notices[1].Title != "Steam" {
		t.Errorf("notices = %+v", p.Notices)
	}
	// The unreadable secret is kept, word for word, in a field of the imported login.
	if len(p.Items) != 2 || p.Items[1].TOTP != "" || !slices.Equal(p.Items[1].Fields, []vault.Field{{Name: "TOTP", Value: "steam://ABCDEFGH"}}) {
		t.Errorf("items = %+v", p.Items)
	}
	if len(p.Problems) != 1 || p.Problems[0].Kind != KindField || p.Problems[0].Field != "password" || p.Problems[0].FieldCode != vault.FieldNotApplicable {
		t.Errorf("problems = %+v", p.Problems)
	}
}

// TestFormatLabels: every importable format has a name in each of the app's languages,
// under the key LabelKey gives, so File → Import can list it.
func TestFormatLabels(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "assets", "translations", "*.json"))
	if err != nil || len(files) < 4 {
		t.Fatalf("translation files: %v, %v", files, err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]string
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, f := range Formats {
			if strings.TrimSpace(m[f.LabelKey()]) == "" {
				t.Errorf("%s has no %s", filepath.Base(name), f.LabelKey())
			}
		}
	}
}
