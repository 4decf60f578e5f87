// Builds the extension for both browser families into dist/chromium and dist/firefox:
// one bundle per entry point (esbuild), the static files, and a manifest made of the
// shared part plus the family's own block of manifest.json.
import * as esbuild from "esbuild";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const base = JSON.parse(readFileSync("manifest.json", "utf8"));
const families = { chromium: "Chromium", firefox: "Firefox" };

for (const [family, label] of Object.entries(families)) {
  const out = join("dist", family);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  await esbuild.build({
    entryPoints: ["src/background.js", "src/content.js", "src/popup.js"],
    bundle: true,
    format: "iife",
    target: family === "firefox" ? "firefox142" : "chrome116",
    minify: true,
    legalComments: "none",
    define: { BROWSER_FAMILY: JSON.stringify(label) },
    outdir: out,
    logLevel: "warning",
  });
  const manifest = { ...base, ...base[family] };
  for (const f of Object.keys(families)) delete manifest[f];
  writeFileSync(join(out, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
  for (const f of ["popup.html", "popup.css"]) cpSync(join("src", f), join(out, f));
  cpSync("icons", join(out, "icons"), { recursive: true });
  cpSync("_locales", join(out, "_locales"), { recursive: true });
}
