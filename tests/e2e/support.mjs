// tests/e2e/support.mjs — what every browser test shares: the binaries under test, starting
// `trellis serve` and reading its URL, launching Debian's Chromium through playwright-core with
// the flags this machine needs, and the axe-core and phone-width checks. Not a test file itself
// (node --test runs only *.test.mjs here).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, "..", "..");
const require = createRequire(import.meta.url);
export const trellis = process.env.TRELLIS_BIN || path.join(root, "build", "trellis");
export const chromiumPath = process.env.CHROMIUM_BIN || "/usr/bin/chromium";
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const { chromium } = require("playwright-core");

// Starts `trellis serve ARGS…` and resolves with { child, url }, the URL read from the
// "serving http://…" line it prints once listening.
export function startServer(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(trellis, ["serve", ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    const timer = setTimeout(() => reject(new Error(`trellis serve did not start: ${err}`)), 15000);
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const m = out.match(/serving (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1] });
      }
    });
    child.stderr.on("data", (chunk) => (err += chunk));
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`trellis serve exited ${code}: ${err}`));
    });
  });
}

// Debian's Chromium, headless, with the flags this sandboxed, offline machine needs.
export function launchBrowser() {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
}

// Sends SIGTERM to a child process (if still running) and waits for it to exit.
export async function stopProcess(child) {
  if (!child || child.exitCode !== null) return;
  const stopped = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await stopped;
}

// Runs axe-core on the page and fails with a readable list of violations. axe is evaluated
// through the DevTools protocol rather than page.addScriptTag: our CSP (script-src 'self')
// rightly blocks the inline <script> addScriptTag would insert, and the tests keep the CSP on
// so that a page breaking it fails too.
export async function assertAccessible(page, label) {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(" ")).slice(0, 5),
    }));
  });
  assert.deepEqual(violations, [], `${label}: axe found ${JSON.stringify(violations, null, 2)}`);
}

// No horizontal scrolling on a phone: the page fits the viewport's width.
export async function assertFitsWidth(page, label) {
  const { scroll, width } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    width: window.innerWidth,
  }));
  assert.ok(scroll <= width, `${label}: page is ${scroll}px wide in a ${width}px viewport`);
}
