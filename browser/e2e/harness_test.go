package e2e

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/valvpm/valv/browser/browsertest"
	"github.com/valvpm/valv/browser/hostinstall"
	"github.com/valvpm/valv/internal/testenv"
)

// env is one browser with the extension, one app and the page servers.
type env struct {
	app     *browsertest.App
	ctx     context.Context // the browser's first tab
	browser context.Context
}

// repoRoot is the module's root folder (this package is browser/e2e).
func repoRoot(t testing.TB) string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("no caller information")
	}
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// buildHost builds the real native host into dir.
func buildHost(t testing.TB, dir string) string {
	out := filepath.Join(dir, "valv-browser-host")
	cmd := exec.Command("go", "build", "-o", out, "./cmd/valv-browser-host")
	cmd.Dir = repoRoot(t)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building valv-browser-host: %v\n%s", err, b)
	}
	return out
}

// listen starts a page server on a loopback port.
func listen(t testing.TB, tlsOn bool) *httptest.Server {
	s := httptest.NewUnstartedServer(pages())
	if tlsOn {
		s.StartTLS()
	} else {
		s.Start()
	}
	t.Cleanup(s.Close)
	return s
}

func port(s *httptest.Server) string {
	_, p, _ := net.SplitHostPort(s.Listener.Addr().String())
	return p
}

// start sets everything up: a vault, the app's server in a private runtime folder, the
// host built and its manifest installed in a throw-away home, pages on https and http,
// and Chromium with the extension.
func start(t testing.TB) *env {
	var app *browsertest.App
	e := launch(t, func(socket string) { app = browsertest.Start(t, socket) })
	e.app = app
	return e
}

// launch is start with the app's side left to serve, which must answer on socket
// before it returns.
func launch(t testing.TB, serve func(socket string)) *env {
	chromium := testenv.LookPath(t, "chromium")
	ext := filepath.Join(repoRoot(t), "extension", "dist", "chromium")
	if _, err := os.Stat(filepath.Join(ext, "manifest.json")); err != nil {
		testenv.Unavailable(t, "the extension is not built (make extension)")
	}
	// Unix socket paths are short (108 bytes): a short private folder for the runtime dir.
	rt, err := os.MkdirTemp("", "valv-rt-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(rt) })
	serve(filepath.Join(rt, "valv", "browser.sock"))

	home := t.TempDir()
	cfg := filepath.Join(home, ".config")
	host := buildHost(t, t.TempDir())
	if _, err := hostinstall.Install(hostinstall.Options{Home: home, ConfigDir: cfg}, []hostinstall.Browser{hostinstall.Chromium}, host); err != nil {
		t.Fatal(err)
	}
	secure, plain := listen(t, true), listen(t, false)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("headless", "new"),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("no-default-browser-check", true),
		// A fresh profile in the default place for this XDG_CONFIG_HOME, where Chromium
		// also reads the per-user host manifests that the install wrote.
		chromedp.UserDataDir(filepath.Join(cfg, "chromium")),
		chromedp.Flag("load-extension", ext), chromedp.Flag("disable-extensions-except", ext),
		chromedp.Flag("enable-unsafe-extension-debugging", true),
		// Every *.test name is this computer: https on 443 and http on 80 land on the
		// two test servers, so a look-alike host and the http twin of a page are real.
		chromedp.Flag("host-resolver-rules", fmt.Sprintf("MAP *.test:443 127.0.0.1:%s, MAP *.test:80 127.0.0.1:%s", port(secure), port(plain))),
		chromedp.Flag("ignore-certificate-errors", true),
		// http pages stay http (no automatic upgrade to https), as on a site without TLS.
		chromedp.Flag("disable-features", "HttpsUpgrades,HttpsFirstBalancedModeAutoEnable"),
		chromedp.WindowSize(1000, 800),
		chromedp.Env("HOME="+home, "XDG_CONFIG_HOME="+cfg, "XDG_RUNTIME_DIR="+rt),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelA)
	bctx, cancelB := chromedp.NewContext(actx)
	t.Cleanup(cancelB)
	if err := chromedp.Do(bctx); err != nil {
		testenv.Unavailable(t, "chromium does not start: "+err.Error())
	}
	return &env{ctx: bctx, browser: bctx}
}

// step runs actions with a deadline, saying what failed.
func step(t testing.TB, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(tctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// value reads an input's value.
func value(t testing.TB, ctx context.Context, sel string) string {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	v, err := chromedp.Run(tctx, chromedp.Value(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("value of %s: %v", sel, err)
	}
	return v
}

var errNoShadow = errors.New("no shadow root yet")

// shadow returns the closed shadow root of the element host (valv-menu, valv-offer),
// which pages cannot reach but DevTools can.
func shadow(ctx context.Context, host string) (*chromedp.Node, error) {
	nodes, err := chromedp.Run(ctx, chromedp.Nodes(chromedp.CSS(host), chromedp.Populate(-1, true)))
	if err != nil {
		return nil, err
	}
	if len(nodes) == 0 || len(nodes[0].ShadowRoots) == 0 {
		return nil, errNoShadow
	}
	return nodes[0].ShadowRoots[0], nil
}

// inPanel waits for sel inside host's shadow root to be visible, and clicks it when
// click is set. The panel is redrawn as the state changes, so the root is looked up
// again for each try.
func inPanel(t testing.TB, ctx context.Context, host, sel string, click bool) {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	root, err := waitShadow(tctx, host)
	if err != nil {
		t.Fatalf("%s: %v", host, err)
	}
	acts := []chromedp.Action[chromedp.Void]{chromedp.WaitVisible(chromedp.CSS(sel), chromedp.FromNode(root))}
	if click {
		acts = append(acts, chromedp.Click(chromedp.CSS(sel), chromedp.FromNode(root)))
	}
	if err := chromedp.Do(tctx, acts...); err != nil {
		t.Fatalf("%s %s: %v", host, sel, err)
	}
}

// waitShadow waits for host to be in the page and have its shadow root.
func waitShadow(ctx context.Context, host string) (*chromedp.Node, error) {
	if err := chromedp.Do(ctx, chromedp.WaitReady(chromedp.CSS(host))); err != nil {
		return nil, err
	}
	return shadow(ctx, host)
}

// panelText is the text of host's panel.
func panelText(t testing.TB, ctx context.Context, host string) string {
	t.Helper()
	root, err := shadow(ctx, host)
	if err != nil {
		t.Fatalf("%s: %v", host, err)
	}
	s, err := chromedp.Run(ctx, chromedp.TextContent(chromedp.CSS(".panel"), chromedp.FromNode(root)))
	if err != nil {
		t.Fatalf("%s text: %v", host, err)
	}
	return strings.TrimSpace(s)
}

// openMenu clicks the Valv mark of the field sel (the marks are placed in page order).
func openMark(t testing.TB, ctx context.Context, field string) {
	t.Helper()
	step(t, ctx, "mark of "+field, chromedp.WaitVisible(chromedp.CSS(field)), chromedp.WaitReady(chromedp.CSS("valv-mark")),
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			// The mark sits inside the right end of its field: click there, as a person would.
			box, err := chromedp.Run(ctx, chromedp.Dimensions(chromedp.CSS(field)))
			if err != nil {
				return err
			}
			q := box.Border
			x, y := q[2]-15, (q[1]+q[5])/2
			return chromedp.Do(ctx, chromedp.MouseClickXY(x, y))
		}),
		chromedp.WaitReady(chromedp.CSS("valv-menu")))
}

// serviceWorker attaches to the extension's service worker.
func serviceWorker(t testing.TB, ctx context.Context) context.Context {
	t.Helper()
	targets, err := chromedp.Targets(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range targets {
		if i.Type == "service_worker" && strings.HasPrefix(i.URL, "chrome-extension://"+hostinstall.ChromiumExtensionID+"/") {
			sw, cancel := chromedp.NewContext(ctx, chromedp.WithTargetID(i.TargetID), chromedp.WithDetachOnCancel())
			t.Cleanup(cancel)
			if err := chromedp.Do(sw); err != nil {
				t.Fatal(err)
			}
			return sw
		}
	}
	t.Fatal("the extension's service worker is not running")
	return nil
}
