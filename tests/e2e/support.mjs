// tests/e2e/support.mjs — what every browser test shares: the binaries under test, starting
// `trellis serve` and reading its URL, launching Debian's Chromium through playwright-core with
// the flags this machine needs, and the axe-core and phone-width checks. Not a test file itself
// (node --test runs only *.test.mjs here).
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
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

// Collects the page's script errors and console errors (not failed resource loads, which the
// tests check by status) into the returned array.
export function collectErrors(page) {
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) errors.push(m.text());
  });
  return errors;
}

// Signs in through the sign-in form and waits for the dashboard.
export async function signIn(page, baseUrl, email, password) {
  await page.goto(baseUrl + "/login");
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(baseUrl + "/dashboard");
}

// Seeds the demo partnership (`trellis demo --no-serve`) into a fresh temp dir named after
// `prefix` and serves it on a free port: { dir, db, stdout, server, baseUrl }. `serveArgs` are
// added to `trellis serve`. The caller removes `dir` and stops `server`.
export async function serveDemo(prefix, serveArgs = []) {
  assert.ok(existsSync(trellis), `no trellis binary at ${trellis} (set TRELLIS_BIN)`);
  assert.ok(existsSync(chromiumPath), `no Chromium at ${chromiumPath}: apt-get install chromium`);
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  const db = path.join(dir, "trellis.db");
  const demo = spawnSync(trellis, ["demo", "--db", db, "--no-serve"], {
    encoding: "utf8",
    cwd: root,
    timeout: 180000,
  });
  assert.equal(demo.status, 0, `trellis demo failed: ${demo.stderr}`);
  const { child, url } = await startServer(["--db", db, "--listen", "127.0.0.1:0", ...serveArgs]);
  return { dir, db, stdout: demo.stdout, server: child, baseUrl: url };
}
