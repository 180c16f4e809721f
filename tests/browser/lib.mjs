// What the browser checks share: the app's address, the screenshot folder,
// Debian's headless Chromium, and the document's operations.
import { mkdirSync } from "node:fs";
import { chromium } from "playwright-core";

export const base = process.env.FERROAPI_URL ?? "http://127.0.0.1:8765";
export const shots = process.env.SCREENSHOT_DIR ?? "../../target/screenshots";
mkdirSync(shots, { recursive: true });

export async function browser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
}

export async function operations() {
  const doc = await (await fetch(`${base}/openapi.json`)).json();
  const ops = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const method of Object.keys(methods)) ops.push({ path, method, op: methods[method] });
  }
  return ops;
}
