package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

// A frame of another site is a target of its own, where chromedp's element queries
// do not run; these helpers read it through the protocol's DOM and JavaScript instead.

// frameTarget attaches to the frame of another site whose address starts with prefix,
// for the rest of the test.
func frameTarget(t *testing.T, ctx context.Context, prefix string) context.Context {
	t.Helper()
	targets, err := chromedp.Targets(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var frame target.ID
	for _, i := range targets {
		if i.Type == "iframe" && strings.HasPrefix(i.URL, prefix) {
			frame = i.TargetID
		}
	}
	if frame == "" {
		t.Fatalf("no frame target among %d targets", len(targets))
	}
	fctx, cancel := chromedp.NewContext(ctx, chromedp.WithTargetID(frame), chromedp.WithDetachOnCancel())
	t.Cleanup(cancel)
	// The first run attaches to the frame for fctx's lifetime (a shorter-lived
	// context there would detach it again).
	if err := chromedp.Do(fctx); err != nil {
		t.Fatal(err)
	}
	return fctx
}

// frameShadowHas waits until the closed shadow root of host in the frame holds an
// element with attribute attr=val, reading the frame's DOM as DevTools does, and
// returns that element.
func frameShadowHas(t *testing.T, fctx context.Context, host, attr, val string) *cdp.Node {
	t.Helper()
	var found *cdp.Node
	waitFor(t, fctx, fmt.Sprintf("%s[%s=%q] in the frame", host, attr, val), func(ctx context.Context) (bool, error) {
		var err error
		found, err = findShadow(ctx, host, attr, val)
		return err == nil, err
	})
	return found
}

// findShadow is the element with attr=val in the shadow root of host in the frame now,
// or an error that says what host shows instead.
func findShadow(ctx context.Context, host, attr, val string) (*cdp.Node, error) {
	depth, pierce := int64(-1), true
	res, err := chromedp.Call(ctx, dom.GetDocument, dom.GetDocumentParams{Depth: &depth, Pierce: &pierce})
	if err != nil {
		return nil, err
	}
	n := shadowNode(res.Root, host, attr, val)
	if n == nil {
		return nil, fmt.Errorf("%s shows %v", host, shown(res.Root, host))
	}
	return n, nil
}

// shown lists the data-state and data-message values inside the shadow roots of the
// host elements under n.
func shown(n *cdp.Node, host string) []string {
	var out []string
	var walk func(n *cdp.Node, in bool)
	walk = func(n *cdp.Node, in bool) {
		for i := 0; in && i+1 < len(n.Attributes); i += 2 {
			if a := n.Attributes[i]; a == "data-state" || a == "data-message" {
				out = append(out, a+"="+n.Attributes[i+1])
			}
		}
		for _, r := range n.ShadowRoots {
			walk(r, in || n.LocalName == host)
		}
		for _, c := range n.Children {
			walk(c, in)
		}
	}
	walk(n, false)
	return out
}

// waitFor polls cond in the frame until it holds, for at most 20 seconds.
func waitFor(t *testing.T, fctx context.Context, what string, cond func(context.Context) (bool, error)) {
	t.Helper()
	ctx, cancel := context.WithTimeout(fctx, 20*time.Second)
	defer cancel()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	// The last answer that was not the wait's own deadline says what was there instead.
	var last error
	for {
		ok, err := cond(ctx)
		if err == nil && ok {
			return
		}
		if err != nil && ctx.Err() == nil {
			last = err
		}
		select {
		case <-ctx.Done():
			t.Fatalf("no %s within 20 s (last: %v)", what, last)
		case <-tick.C:
		}
	}
}

// shadowNode is the element with attr=val inside the shadow root of a host element
// under n, or nil.
func shadowNode(n *cdp.Node, host, attr, val string) *cdp.Node {
	if n == nil {
		return nil
	}
	if n.LocalName == host {
		for _, r := range n.ShadowRoots {
			if m := withAttr(r, attr, val); m != nil {
				return m
			}
		}
	}
	for _, c := range slices.Concat(n.Children, n.ShadowRoots) {
		if m := shadowNode(c, host, attr, val); m != nil {
			return m
		}
	}
	return nil
}

func withAttr(n *cdp.Node, attr, val string) *cdp.Node {
	for i := 0; i+1 < len(n.Attributes); i += 2 {
		if n.Attributes[i] == attr && n.Attributes[i+1] == val {
			return n
		}
	}
	for _, c := range n.Children {
		if m := withAttr(c, attr, val); m != nil {
			return m
		}
	}
	return nil
}

// evalIn evaluates expression in the target of ctx through the protocol.
func evalIn[T any](ctx context.Context, expression string) (T, error) {
	var v T
	byValue := true
	res, err := chromedp.Call(ctx, runtime.Evaluate, runtime.EvaluateParams{Expression: expression, ReturnByValue: &byValue})
	if err == nil && res.ExceptionDetails != nil {
		err = errors.New(res.ExceptionDetails.Text)
	}
	if err == nil {
		err = json.Unmarshal([]byte(res.Result.Value), &v)
	}
	return v, err
}

// openFramed shows the page at url, which frames a login page whose address starts
// with framePrefix, and attaches to that frame once its content script asked Valv
// about the form (its marks say so), so the frame has also told the extension that it
// holds a login form.
func openFramed(t *testing.T, ctx context.Context, url, framePrefix string) context.Context {
	t.Helper()
	step(t, ctx, "framing page", chromedp.Navigate(url))
	// Navigate waits for the load event, which waits for the frame.
	if ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.innerLoaded === true`)); err != nil || !ok {
		t.Fatalf("the frame did not load (%v)", err)
	}
	fctx := frameTarget(t, ctx, framePrefix)
	waitFor(t, fctx, "checked mark in the frame", func(ctx context.Context) (bool, error) {
		return evalIn[bool](ctx, `document.querySelector('valv-mark[data-load="checked"]') !== null`)
	})
	return fctx
}

// openFrameMenu clicks the Valv mark of the framed form's user name field, where the
// mark is drawn (not where it should be beside the field: on a loaded machine the
// click could come before the mark took its place, and miss).
func openFrameMenu(t *testing.T, ctx, fctx context.Context) {
	t.Helper()
	clickFrameShadow(t, ctx, fctx, "valv-mark", "aria-label", "Fill with Valv")
}

// clickFrameShadow clicks the element with attr=val in the shadow root of host in the
// frame, where it shows in the top page, as a person would: the frame is a page of its
// own (another site, another process), and the click goes to the top page's place of
// it. Right after such a frame loads, Chromium can still route input at that place to
// the top page's <iframe> element (seen: the framing page got the mousedown, the frame
// nothing), as the frame's process has not yet sent where its content lies. So the
// pointer first moves there, again on each poll, until the frame itself sees host
// under it; only then does the click go.
func clickFrameShadow(t *testing.T, ctx, fctx context.Context, host, attr, val string) {
	t.Helper()
	box, err := chromedp.Run(ctx, chromedp.Dimensions(chromedp.CSS("#inner")))
	if err != nil {
		t.Fatal(err)
	}
	var x, y float64
	waitFor(t, fctx, fmt.Sprintf("the pointer over the frame's %s[%s=%q]", host, attr, val), func(fc context.Context) (bool, error) {
		// Found again on each poll: the menu redraws its panel when the app answers,
		// and a node found before that has no box any more.
		n, err := findShadow(fc, host, attr, val)
		if err != nil {
			return false, err
		}
		res, err := chromedp.Call(fc, dom.GetBoxModel, dom.GetBoxModelParams{BackendNodeID: n.BackendNodeID})
		if err != nil {
			return false, fmt.Errorf("where is it: %w", err)
		}
		q := res.Model.Border
		x, y = box.Content[0]+(q[0]+q[2])/2, box.Content[1]+(q[1]+q[5])/2
		if err := chromedp.Do(ctx, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, x, y)); err != nil {
			return false, err
		}
		return evalIn[bool](fc, fmt.Sprintf("document.querySelector(%q) !== null", host+":hover"))
	})
	step(t, ctx, "click in the frame", chromedp.MouseClickXY(x, y))
}

// framedValues is what the framed form's fields hold, joined: the framed page tells
// the top page (pages of two sites talk only by messages).
func framedValues(t *testing.T, ctx context.Context) string {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](`askFrame()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("asking the frame for its fields: %v", err)
	}
	return v
}
