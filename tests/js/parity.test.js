// The client in node and `sosik search --json` over the same built sites: identical results, in the
// same order, with identical scores and identical snippets (the HTML the page shows), for every
// query of queries.json plus queries drawn from each site's own words.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { client, sites, openIndex, rustSearch, jsSearch, CI } = require('./helpers.js');

const LIMIT = 50;
const fixed = JSON.parse(fs.readFileSync(path.join(__dirname, 'queries.json'), 'utf8'));

// Queries drawn from the index: every k-th word of the eojeol map, half-typed words, word pairs.
async function drawn(index, n) {
  const words = [];
  for (let i = 0; i < index.manifest.words.ranges.length; i++) {
    for (const [w, terms] of await index.load(client.numbered('words', index.manifest.words.hash, i))) if (terms.length) words.push(w);
  }
  const step = Math.max(1, Math.floor(words.length / n));
  const out = [];
  for (let i = 0; i < words.length && out.length < n; i += step) {
    const w = words[i];
    const half = Array.from(w).slice(0, Math.ceil(Array.from(w).length / 2)).join('');
    out.push(w, half, w + ' ' + words[(i * 7 + 3) % words.length], half + '을 ');
  }
  return out;
}

test('JavaScript and Rust rank identically', async (t) => {
  const all = sites();
  if (Object.keys(all).length === 0) {
    if (CI) throw new Error('no sites: run through `cargo test --test it search_js::`');
    t.skip('no sites built (run through `cargo test --test it search_js::`)');
    return;
  }
  for (const [name, s] of Object.entries(all)) {
    await t.test(name, async () => {
      const index = await openIndex(s.output);
      const queries = fixed.concat(await drawn(index, 40));
      assert.ok(queries.length >= 60, `${queries.length} queries`);
      let nonEmpty = 0;
      for (const q of queries) {
        const js = await jsSearch(index, q, LIMIT);
        const rust = rustSearch(s.output, q, LIMIT);
        assert.deepEqual(js, rust, `query ${JSON.stringify(q)} on ${name}`);
        if (js.length) nonEmpty++;
      }
      assert.ok(nonEmpty >= 40, `only ${nonEmpty} queries found anything on ${name}`);
    });
  }
});
