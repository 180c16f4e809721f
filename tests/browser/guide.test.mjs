// Opens the built guide (target/guide, from scripts/guide) in Debian's
// headless Chromium, served by a small static server here: the index, one
// chapter with its code, and the search. Screenshots: guide-*.png.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { browser, shots } from "./lib.mjs";

const book = process.env.GUIDE_DIR ?? "../../target/guide";
const types = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".json": "application/json",
  ".svg": "image/svg+xml", ".woff2": "font/woff2", ".woff": "font/woff", ".ttf": "font/ttf", ".png": "image/png" };
let server;
let base;

before(async () => {
  server = createServer(async (req, res) => {
    let path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname)).replace(/^(\.\.[/\\])+/, "");
    if (path.endsWith("/")) path += "index.html";
    try {
      const body = await readFile(join(book, path));
      res.writeHead(200, { "content-type": types[extname(path)] ?? "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end("not found");
    }
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  base = `http://127.0.0.1:${server.address().port}`;
});

after(() => server.close());

async function open(path) {
  const b = await browser();
  const page = await b.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(`${base}${path}`);
  return { b, page, errors };
}

test("guide: the index lists every chapter", async () => {
  const { b, page, errors } = await open("/");
  try {
    await page.waitForSelector("#mdbook-sidebar, .sidebar", { timeout: 20000 });
    const chapters = await page.locator(".chapter li a, .chapter-item a").count();
    assert.ok(chapters >= 35, `only ${chapters} chapters in the sidebar`);
    assert.match(await page.textContent("main"), /Every snippet is tested/);
    await page.screenshot({ path: `${shots}/guide-index.png` });
    assert.deepEqual(errors, []);
  } finally {
    await b.close();
  }
});

test("guide: a chapter shows FastAPI and ferroapi side by side, highlighted", async () => {
  const { b, page, errors } = await open("/dependencies.html");
  try {
    await page.waitForSelector("code.language-rust", { timeout: 20000 });
    const rust = await page.locator("code.language-rust").allTextContents();
    const python = await page.locator("code.language-python").allTextContents();
    assert.ok(rust.some((c) => c.includes("#[dependency]")), "no Rust dependency shown");
    assert.ok(python.some((c) => c.includes("Depends(")), "no FastAPI snippet shown");
    assert.ok(rust.every((c) => !c.includes("ANCHOR")), "anchor comments leaked into the page");
    assert.ok(await page.locator("code.language-rust .hljs-keyword").count() > 0, "no syntax highlighting");
    await page.screenshot({ path: `${shots}/guide-chapter.png`, fullPage: false });
    assert.deepEqual(errors, []);
  } finally {
    await b.close();
  }
});

test("guide: search finds a chapter", async () => {
  const { b, page, errors } = await open("/");
  try {
    await page.keyboard.press("s");
    const input = page.locator("#mdbook-searchbar, #searchbar");
    await input.waitFor({ state: "visible", timeout: 20000 });
    await input.pressSequentially("SecurityScopes", { delay: 20 });
    await page.waitForSelector("#mdbook-searchresults li, #searchresults li", { timeout: 20000 });
    const hits = await page.locator("#mdbook-searchresults li a, #searchresults li a").allTextContents();
    assert.ok(hits.some((h) => /scopes/i.test(h)), `search hits: ${hits.join(" | ")}`);
    await page.screenshot({ path: `${shots}/guide-search.png` });
    assert.deepEqual(errors, []);
  } finally {
    await b.close();
  }
});
