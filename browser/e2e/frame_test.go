package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/dom"
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
// element with attribute attr=val, reading the frame's DOM as DevTools does.
func frameShadowHas(t *testing.T, fctx context.Context, host, attr, val string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(fctx, 20*time.Second)
	defer cancel()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	depth, pierce := int64(-1), true
	for {
		res, err := chromedp.Call(ctx, dom.GetDocument, dom.GetDocumentParams{Depth: &depth, Pierce: &pierce})
		if err == nil && findInShadow(res.Root, host, attr, val) {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("frame: no %s[%s=%q] (%v)", host, attr, val, err)
		case <-tick.C:
		}
	}
}

func findInShadow(n *cdp.Node, host, attr, val string) bool {
	return shadowNode(n, host, attr, val) != nil
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

// frameEval evaluates expression in the frame.
func frameEval[T any](t *testing.T, fctx context.Context, expression string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(fctx, 10*time.Second)
	defer cancel()
	byValue := true
	res, err := chromedp.Call(ctx, runtime.Evaluate, runtime.EvaluateParams{Expression: expression, ReturnByValue: &byValue})
	if err == nil && res.ExceptionDetails != nil {
		err = errors.New(res.ExceptionDetails.Text)
	}
	var v T
	if err == nil {
		err = json.Unmarshal([]byte(res.Result.Value), &v)
	}
	if err != nil {
		t.Fatalf("frame: %s: %v", expression, err)
	}
	return v
}
