// The browser's analysis of words against the build's, for every distinct eojeol of each site the
// Rust harness dumped (tests/it/search_js.rs writes `dump`: the article texts with Rust's word split,
// and Rust's fallback analysis and query plan of every word of the eojeol map).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { sites, openIndex, client } = require('./helpers.js');

function firstDiff(a, b) {
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) return i;
  return -1;
}

for (const [name, s] of Object.entries(sites())) {
  if (!s.dump) continue;
  test(`analysis consistency: ${name}`, async (t) => {
    const dump = JSON.parse(fs.readFileSync(s.dump, 'utf8'));
    const index = await openIndex(s.output);

    await t.test('words() splits every article text exactly like text::words', () => {
      for (const [text, rust] of dump.texts) {
        const js = client.words(text);
        const i = firstDiff(js, rust);
        assert.equal(i, -1, `split differs at word ${i}: js ${JSON.stringify(js[i])} rust ${JSON.stringify(rust[i])}`);
      }
    });

    const keys = [];
    const words = index.manifest.words;
    for (let i = 0; i < words.ranges.length; i++) for (const [w] of await index.load(client.numbered('words', words.hash, i))) keys.push(w);

    await t.test('the eojeol map holds exactly the lowercased words of the articles', () => {
      const js = new Set();
      for (const [text] of dump.texts) for (const w of client.words(text)) js.add(w.toLowerCase());
      const missing = keys.filter((k) => !js.has(k)).slice(0, 5);
      const extra = [...js].filter((k) => !keys.includes(k)).slice(0, 5);
      assert.deepEqual({ missing, extra }, { missing: [], extra: [] });
      assert.equal(js.size, keys.length);
      for (let i = 1; i < keys.length; i++) assert.equal(client.cmp(keys[i - 1], keys[i]), -1, 'map keys sorted');
    });

    await t.test(`every eojeol (${keys.length}) analyses the same in JavaScript and Rust`, async () => {
      assert.equal(Object.keys(dump.words).length, keys.length);
      let fallbackAgrees = 0;
      for (const key of keys) {
        const rust = dump.words[key];
        const fallback = await index.fallbackTerms(key);
        assert.deepEqual(fallback, rust.fallback, `fallback of ${key}`);
        assert.deepEqual(await index.plan(key), rust.plan, `plan of ${key}`);
        const half = Array.from(key).slice(0, Math.ceil(Array.from(key).length / 2)).join('');
        assert.deepEqual(await index.plan(half), rust.half, `plan of ${half}`);
        const mapped = await index.wordTerms(key);
        if (JSON.stringify(fallback) === JSON.stringify(mapped)) fallbackAgrees++;
      }
      t.diagnostic(`${name}: the fallback alone reproduces the map for ${fallbackAgrees} of ${keys.length} eojeols`);
    });
  });
}
