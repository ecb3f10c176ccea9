// tests/e2e/support.mjs — what every browser test shares: the binaries under test, seeding a
// partnership with the CLI, a local SMTP server (Debian's python3-aiosmtpd writing a maildir),
// starting `trellis serve` and reading its URL, launching Debian's Chromium through
// playwright-core with the flags this machine needs, and the axe-core and phone-width checks.
// Not a test file itself (node --test runs only *.test.mjs here).
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { connect, createServer } from "node:net";
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

// Runs `trellis ARGS…` (with `input` on stdin) and fails unless it succeeds.
export function runTrellis(args, input) {
  const r = spawnSync(trellis, args, { input, encoding: "utf8" });
  assert.equal(r.status, 0, `trellis ${args.join(" ")} failed: ${r.stderr}`);
}

// A TCP port on 127.0.0.1 that nothing listens on right now.
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Waits until something accepts connections on `port` of 127.0.0.1 (up to 10 s).
async function waitForPort(port) {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise((resolve) => {
      const c = connect(port, "127.0.0.1");
      c.once("connect", () => { c.destroy(); resolve(true); });
      c.once("error", () => resolve(false));
    });
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`nothing listens on ${port}`);
}

// Seeds a fresh database in a new temp dir named after `prefix`, with the CLI as an operator
// would: the admin account (which creates the partnership), one organisation, the people (CSV
// lines under the header name,email,organisation,level,function,line_manager_email), the
// integrated-care framework, and member accounts linked to people ({ email, name, person }, the
// person's email). Every account has `password`. Returns { dir, db }; the caller removes dir.
export function seedPartnership(prefix, { partnership, admin, password, organisation, people,
  members = [] }) {
  assert.ok(existsSync(trellis), `no trellis binary at ${trellis} (set TRELLIS_BIN)`);
  assert.ok(existsSync(chromiumPath), `no Chromium at ${chromiumPath}: apt-get install chromium`);
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  const db = path.join(dir, "trellis.db");
  runTrellis(["--db", db, "user", "add", "--email", admin.email, "--name", admin.name, "--role",
    "admin", "--partnership", partnership, "--password-stdin"], password + "\n");
  runTrellis(["--db", db, "org", "add", organisation.name, "--sector", organisation.sector,
    "--partnership", partnership]);
  const csv = path.join(dir, "people.csv");
  writeFileSync(csv, "name,email,organisation,level,function,line_manager_email\n" +
    people.map((line) => line + "\n").join(""));
  runTrellis(["--db", db, "people", "import", csv, "--partnership", partnership]);
  runTrellis(["--db", db, "framework", "import", path.join(root, "frameworks", "integrated-care.json")]);
  for (const m of members) {
    runTrellis(["--db", db, "user", "add", "--email", m.email, "--name", m.name, "--role", "member",
      "--partnership", partnership, "--person", m.person, "--password-stdin"], password + "\n");
  }
  return { dir, db };
}

// Starts a local SMTP server (python3-aiosmtpd, Mailbox handler) on a free port, delivering
// into `dir`/maildir. Returns { child, port, smtpArgs, waitForMessage }: smtpArgs are the
// `trellis serve` flags that send through it; waitForMessage(match) resolves with the first
// delivered message whose text `match`es, waiting up to 10 s. The caller stops `child`.
export async function startSmtp(dir) {
  const maildir = path.join(dir, "maildir");
  const port = await freePort();
  const child = spawn("/usr/bin/python3", ["-m", "aiosmtpd", "-n", "-l", `127.0.0.1:${port}`,
    "-c", "aiosmtpd.handlers.Mailbox", maildir], { stdio: ["ignore", "ignore", "pipe"] });
  await waitForPort(port);
  async function waitForMessage(match) {
    for (let i = 0; i < 100; i++) {
      for (const sub of ["new", "cur"]) {
        const d = path.join(maildir, sub);
        if (!existsSync(d)) continue;
        for (const f of readdirSync(d)) {
          const text = readFileSync(path.join(d, f), "utf8");
          if (match(text)) return text;
        }
      }
      await sleep(100);
    }
    throw new Error("no matching message arrived in the maildir");
  }
  const smtpArgs = ["--smtp-host", "127.0.0.1", "--smtp-port", String(port),
    "--smtp-from", "trellis@test.example"];
  return { child, port, smtpArgs, waitForMessage };
}
