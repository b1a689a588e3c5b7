// Shared by the node tests of the search client. `cargo test --test it search_js::` builds the sites and
// runs these with SOSIK_BIN (the sosik binary) and SOSIK_SITES (JSON: name -> {output, dump}).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const client = require('../../themes/default/static/search.js');

const CI = process.env.CI === 'true';

function sites() {
  return process.env.SOSIK_SITES ? JSON.parse(process.env.SOSIK_SITES) : {};
}

// The site `name`, or skips the test (fails it under CI=true) when the Rust harness did not build it.
function site(t, name) {
  const s = sites()[name];
  if (!s) {
    const why = `site ${name} not built (run through \`cargo test --test it search_js::\`)`;
    if (CI) throw new Error(why);
    t.skip(why);
  }
  return s;
}

// The index of a built site, read from disk the way the browser fetches it.
async function openIndex(output) {
  const dir = path.join(output, 'search');
  const index = await client.Index.open(async (name) => JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')));
  index.output = output;
  return index;
}

// The HTML of the page at site path `url` (relative, as the document store gives it) in `output`,
// or null: what the search page fetches for a result whose stored text has no match.
function pageHtml(output, url) {
  const file = url === '' || url.endsWith('/') ? path.join(output, url, 'index.html') : path.join(output, url);
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

// The snippet the search page ends up showing for document `d`: from its stored text, or from its
// page when the stored text has no match (src/search/mod.rs does the same).
function shownSnippet(index, d, terms) {
  const stored = client.snippet(d[5], terms, client.SNIPPET_CHARS);
  if (terms.length === 0 || stored.some((s) => s[1]) || !index.output) return stored;
  return client.pageSnippet(pageHtml(index.output, d[1]), terms) || stored;
}

// `sosik search --json` over the same output folder.
function rustSearch(output, query, limit) {
  const out = execFileSync(process.env.SOSIK_BIN, ['search', '--output', output, '--json', '--limit', String(limit), '--', query], {
    encoding: 'utf8',
  });
  return JSON.parse(out);
}

// Snippet segments as HTML, as the search page's DOM serialises them (`innerHTML`): text escaped,
// matching words in <mark>. `sosik search --json` prints the same (src/search/snippet.rs `html`).
function snippetHtml(segs) {
  const escape = (t) => t.replace(/[&<>\u00a0]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '\u00a0': '&nbsp;' })[c]);
  return segs.map(([t, marked]) => (marked ? '<mark>' + escape(t) + '</mark>' : escape(t))).join('');
}

// What the JavaScript client ranks and shows, in the same shape as `sosik search --json`.
async function jsSearch(index, query, limit) {
  const r = await index.rank(query);
  const terms = r.plan.terms.map((t) => t[0]);
  const out = [];
  for (const h of r.hits.slice(0, limit)) {
    const d = await index.doc(h.doc);
    const snippet = snippetHtml(shownSnippet(index, d, terms));
    out.push({ url: index.manifest.base_path + d[1], title: d[0], date: d[2], score: h.score, snippet });
  }
  return out;
}

async function urls(index, query) {
  return (await jsSearch(index, query, 1000)).map((r) => r.url);
}

module.exports = { client, CI, sites, site, openIndex, pageHtml, shownSnippet, rustSearch, jsSearch, snippetHtml, urls };
