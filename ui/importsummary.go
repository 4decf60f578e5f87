package ui

import (
	"path/filepath"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/valvpm/valv/ui/appcore"
	"github.com/valvpm/valv/vault"
	"github.com/valvpm/valv/vault/transfer"
)

// maxShownProblems caps the lines the summary lists per kind; a file with thousands of
// unreadable rows would otherwise build thousands of labels. The count stays exact.
const maxShownProblems = 100

// showSummary is the dry run: what Import would add, skip and leave out.
func (d *importDialog) showSummary() {
	p := d.job.Plan()
	counts := p.Counts()
	total := len(p.Items)
	head := widget.NewLabelWithStyle(formatName(p.Format), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	file := widget.NewLabel(filepath.Base(d.job.Path()))
	file.Truncation = fyne.TextTruncateEllipsis
	var perType []string
	for _, t := range vault.Types {
		if n := counts[t]; n > 0 {
			perType = append(perType, T("transfer.typeCount", map[string]any{"Type": typeGroupName(t), "Count": n}))
		}
	}
	types := wrapped(strings.Join(perType, " · "))
	types.SizeName = theme.SizeNameCaptionText
	// Tight rows: the four counts read as one block, and the dialog must fit a
	// 640-pixel window together with the problem list.
	stats := container.New(layout.NewCustomPaddedVBoxLayout(-theme.Padding()*2),
		statRow(T("transfer.toImport"), total, widget.HighImportance), types,
		statRow(T("transfer.duplicates"), p.Duplicates, widget.MediumImportance),
		statRow(T("transfer.problems"), len(p.Problems), warnIfAny(len(p.Problems))),
		statRow(T("transfer.notices"), len(p.Notices), widget.MediumImportance))
	if len(perType) == 0 {
		types.Hide()
	}
	objs := []fyne.CanvasObject{container.NewBorder(nil, nil, head, nil, file), widget.NewSeparator(), stats}
	lists := container.NewVBox()
	if len(p.Problems) > 0 {
		lists.Add(widget.NewLabelWithStyle(T("transfer.problemsHead"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		addProblems(lists, p.Problems)
	}
	if len(p.Notices) > 0 {
		lists.Add(widget.NewLabelWithStyle(T("transfer.noticesHead"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		addProblems(lists, p.Notices)
	}
	if len(lists.Objects) > 0 {
		lists.Resize(fyne.NewSize(transferWidth, lists.MinSize().Height))
		scroll := container.NewVScroll(lists)
		scroll.SetMinSize(fyne.NewSize(0, min(lists.MinSize().Height, 180)))
		objs = append(objs, widget.NewSeparator(), scroll)
	}
	if total == 0 {
		objs = append(objs, wrapped(T("transfer.nothingNew")))
		d.doImport.Disable()
	} else {
		d.doImport.Enable()
	}
	d.summary = container.NewVBox(objs...)
	d.step.show(d.summary, d.cancel, d.doImport)
}

// statRow is one count of the summary: what, then the number.
func statRow(name string, n int, imp widget.Importance) fyne.CanvasObject {
	count := widget.NewLabelWithStyle(strconv.Itoa(n), fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
	count.Importance = imp
	return container.NewBorder(nil, nil, nil, count, widget.NewLabel(name))
}

// warnIfAny colours the count of unreadable entries when there are some.
func warnIfAny(n int) widget.Importance {
	if n > 0 {
		return widget.WarningImportance
	}
	return widget.MediumImportance
}

// typeGroupName is the plural name of a type, as the sidebar shows it.
func typeGroupName(t vault.Type) string {
	if c, ok := appcore.CategoryOf(t); ok {
		return categoryName(c)
	}
	return typeName(t)
}

// addProblems lists problem lines, at most maxShownProblems of them.
func addProblems(box *fyne.Container, ps []transfer.Problem) {
	for i, p := range ps {
		if i == maxShownProblems {
			box.Add(wrapped(T("transfer.more", map[string]any{"Count": len(ps) - i})))
			return
		}
		l := wrapped(problemText(p))
		l.SizeName = theme.SizeNameCaptionText
		box.Add(l)
	}
}

// problemText is one problem line in the person's language.
func problemText(p transfer.Problem) string { return say(appcore.ProblemMessage(p)) }
