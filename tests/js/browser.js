// Launching Debian's chromium through playwright-core (no browser download), or saying why not.
'use strict';
const fs = require('node:fs');

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

// Why the browser tests cannot run here, or null.
function missing() {
  try {
    require.resolve('playwright-core');
  } catch (e) {
    return 'playwright-core is not installed (run `npm ci` at the repository root)';
  }
  if (!fs.existsSync(CHROMIUM)) return `no chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM)`;
  return null;
}

async function launch() {
  const { chromium } = require('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
}

module.exports = { missing, launch };
