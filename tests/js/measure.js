#!/usr/bin/env node
// Measures the search index of a built site in chromium: bytes fetched (gzip, as a static host
// serves them) for cold queries, and query times. Not a test: prints figures.
//   node tests/js/measure.js <output dir> [query …]
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const { serve } = require('./server.js');
const browser = require('./browser.js');

async function main() {
  const [output, ...given] = process.argv.slice(2);
  if (!output) throw new Error('usage: measure.js <output dir> [query …]');
  const queries = given.length ? given : ['딥시크', '반도체', 'HBM 공급', '휴머노이드 로봇', '딥시'];
  const dir = path.join(output, 'search');
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  let raw = 0;
  let gz = 0;
  const kinds = {};
  for (const name of fs.readdirSync(dir)) {
    if (name === 'index.html') continue;
    const b = fs.readFileSync(path.join(dir, name));
    const g = zlib.gzipSync(b, { level: 9 }).length;
    raw += b.length;
    gz += g;
    const kind = name.split('.')[0];
    kinds[kind] = kinds[kind] || { files: 0, raw: 0, gz: 0, maxGz: 0 };
    Object.assign(kinds[kind], { files: kinds[kind].files + 1, raw: kinds[kind].raw + b.length, gz: kinds[kind].gz + g, maxGz: Math.max(kinds[kind].maxGz, g) });
  }
  console.log(`index: ${manifest.doc_count} docs, ${Object.values(kinds).reduce((n, k) => n + k.files, 0)} files, ${(raw / 1e6).toFixed(2)} MB on disk, ${(gz / 1e6).toFixed(2)} MB gzipped`);
  for (const [k, v] of Object.entries(kinds)) console.log(`  ${k}: ${v.files} files, ${(v.raw / 1024).toFixed(0)} KB, ${(v.gz / 1024).toFixed(0)} KB gz, largest ${(v.maxGz / 1024).toFixed(1)} KB gz`);
  let total = 0;
  for (const _ of walk(output)) total++;
  console.log(`whole site: ${total} files`);

  const server = await serve(output, manifest.base_path, { gzip: true });
  const chromium = await browser.launch();
  try {
    for (const q of queries) {
      const context = await chromium.newContext();
      const page = await context.newPage();
      server.log.length = 0;
      await page.goto(server.url + 'search/?q=' + encodeURIComponent(q));
      await page.waitForFunction(() => document.getElementById('search-results').getAttribute('aria-busy') === 'false', null, { timeout: 60000 });
      await page.waitForLoadState('networkidle');
      const n = await page.$$eval('#search-results > a', (a) => a.length);
      const facets = server.log.filter((r) => r.path.includes('/search/facets.'));
      const search = server.log.filter((r) => r.path.includes('/search/') && !r.path.endsWith('/search/') && !facets.includes(r));
      const js = server.log.filter((r) => r.path.endsWith('.js'));
      const idx = search.reduce((s, r) => s + r.bytes, 0);
      const jsBytes = js.reduce((s, r) => s + r.bytes, 0);
      const page0 = server.log.filter((r) => !search.includes(r) && !js.includes(r) && !facets.includes(r)).reduce((s, r) => s + r.bytes, 0);
      // Query time: a fresh Index in the page (cold: fetches; warm: the same query again).
      const times = await page.evaluate(async (q) => {
        const base = document.querySelector('script[data-base]').getAttribute('data-base');
        const load = (name) => fetch(base + 'search/' + name).then((r) => r.json());
        const t0 = performance.now();
        const index = await SosikSearch.Index.open(load);
        const r = await index.rank(q);
        await Promise.all(r.hits.slice(0, 10).map((h) => index.doc(h.doc)));
        const t1 = performance.now();
        const r2 = await index.rank(q);
        await Promise.all(r2.hits.slice(0, 10).map((h) => index.doc(h.doc)));
        const t2 = performance.now();
        return { cold: t1 - t0, warm: t2 - t1, hits: r.hits.length };
      }, q);
      console.log(
        `query ${JSON.stringify(q)}: ${times.hits} hits (${n} shown); fetched ${((idx + jsBytes) / 1024).toFixed(1)} KB gz ` +
          `(index ${(idx / 1024).toFixed(1)} KB in ${search.length} files + search.js ${(jsBytes / 1024).toFixed(1)} KB; page html+css ${(page0 / 1024).toFixed(1)} KB; facets afterwards ${(facets.reduce((s, r) => s + r.bytes, 0) / 1024).toFixed(1)} KB); ` +
          `time cold ${times.cold.toFixed(1)} ms, warm ${times.warm.toFixed(1)} ms`,
      );
      if (process.env.VERBOSE) for (const r of server.log) console.log(`    ${r.path.split("/").pop()} ${(r.bytes / 1024).toFixed(1)} KB`);
      await context.close();
    }
  } finally {
    await chromium.close();
    await server.close();
  }
}

function* walk(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) yield* walk(path.join(dir, e.name));
    else yield e.name;
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
