package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// A frame of another site is a target of its own, where chromedp's element queries
// do not run; these helpers read it through the protocol's DOM and JavaScript instead.

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
	if n == nil {
		return false
	}
	if n.LocalName == host {
		for _, r := range n.ShadowRoots {
			if hasAttr(r, attr, val) {
				return true
			}
		}
	}
	for _, c := range slices.Concat(n.Children, n.ShadowRoots) {
		if findInShadow(c, host, attr, val) {
			return true
		}
	}
	return false
}

func hasAttr(n *cdp.Node, attr, val string) bool {
	for i := 0; i+1 < len(n.Attributes); i += 2 {
		if n.Attributes[i] == attr && n.Attributes[i+1] == val {
			return true
		}
	}
	for _, c := range n.Children {
		if hasAttr(c, attr, val) {
			return true
		}
	}
	return false
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
