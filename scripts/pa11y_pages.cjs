// Audits pages one after another in one Chromium, for scripts/pa11y_audit.py. The pa11y options
// come as JSON in the first argument; each line on stdin is {"url", "headers"}; each answer is one
// line on stdout: {"issues": [...], "pageUrl": where the browser ended up} or {"error": "..."}.
// The browser closes when stdin does.
"use strict";

const readline = require("node:readline");
const pa11y = require("pa11y");
const puppeteer = require("puppeteer");

async function main() {
  const options = JSON.parse(process.argv[2]);
  const browser = await puppeteer.launch(options.chromeLaunchConfig);
  try {
    for await (const line of readline.createInterface({ input: process.stdin })) {
      const { url, headers } = JSON.parse(line);
      let answer;
      try {
        const result = await pa11y(url, { ...options, headers, browser });
        answer = { issues: result.issues, pageUrl: result.pageUrl };
      } catch (error) {
        answer = { error: String(error) };
      }
      process.stdout.write(JSON.stringify(answer) + "\n");
    }
  } finally {
    await browser.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
