#!/usr/bin/env node
// Measures how often a search result shows a highlight: for each query, of the top 10 results
// whose article text (the Markdown body under <root>/content) holds a word matching a query term,
// how many have a <mark> in the snippet the page draws from the document store, and how many once
// the page has taken the snippets of the others from their articles' pages (as the search page
// does after showing the results), with the bytes of those pages. Not a test: prints figures, for
// comparing document-store schemes.
//   node tests/js/marks.js <output dir> <site root> [client.js] [query …]
// The optional client.js measures another search.js (an older build's) over its own output.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const { pageHtml } = require('./helpers.js');

const QUERIES = [
  // companies
  '엔비디아', '오픈AI', '구글', '삼성전자', 'SK하이닉스', '딥시크', '알리바바', '화웨이', '앤트로픽', '텐센트',
  '유니트리', '마이크로소프트',
  // products and platforms
  '허깅페이스', '블랙웰', 'HBM4', '큐원3', '제미나이', '옵티머스', '엑사원', '어센드',
  // topics
  '휴머노이드', '오픈소스', '데이터센터', '반도체', '감속기', '강화학습', '라이선스', '보조금',
  // two words
  '엔비디아 허깅페이스', '삼성전자 HBM4', '오픈소스 모델', '휴머노이드 로봇', '딥시크 추론', 'AI 반도체',
];

function bodyOf(file) {
  const s = fs.readFileSync(file, 'utf8');
  const m = /^\+\+\+\n[\s\S]*?\n\+\+\+\n/.exec(s);
  return m ? s.slice(m[0].length) : s;
}

async function main() {
  const [output, root, clientPath, ...given] = process.argv.slice(2);
  if (!output || !root) throw new Error('usage: marks.js <output dir> <site root> [client.js] [query …]');
  const client = require(path.resolve(clientPath || path.join(__dirname, '../../themes/default/static/search.js')));
  const dir = path.join(output, 'search');
  const index = await client.Index.open(async (name) => JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')));
  const queries = given.length ? given : QUERIES;
  const hasMatch = (text, terms) => client.spans(text).some((s) => terms.some((t) => s[2] === t || (Array.from(t).length >= 2 && s[2].includes(t))));
  let held = 0;
  let shown = 0;
  let words = 0;
  let wordsShown = 0;
  let stored = 0;
  let final = 0;
  let pages = 0;
  let pageBytes = 0;
  let chars = 0;
  let docs = 0;
  for (const q of queries) {
    const r = await index.rank(q);
    const terms = r.plan.terms.map((t) => t[0]);
    let qHeld = 0;
    let qShown = 0;
    let qStored = 0;
    let qFinal = 0;
    for (const h of r.hits.slice(0, 10)) {
      const d = await index.doc(h.doc);
      const url = d[1].replace(/\/$/, '');
      const body = bodyOf(path.join(root, 'content', url + '.md'));
      chars += Array.from(d[5]).length;
      docs++;
      if (!hasMatch(body, terms)) continue;
      qHeld++;
      if (hasMatch(d[5], terms)) qStored++;
      let snip = client.snippet(d[5], terms, client.SNIPPET_CHARS);
      if (snip.some((s) => s[1])) qShown++;
      else if (terms.length) {
        const html = pageHtml(output, d[1]);
        pages++;
        pageBytes += html ? zlib.gzipSync(html, { level: 6 }).length : 0;
        snip = client.pageSnippet(html, terms) || snip;
      }
      if (snip.some((s) => s[1])) qFinal++;
      // Per query word: held in the text, and marked in the snippet.
      const marked = snip.filter((s) => s[1]).map((s) => s[0]).join(' ');
      for (const c of r.plan.clauses) {
        if (!hasMatch(body, c.terms)) continue;
        words++;
        if (hasMatch(marked, c.terms)) wordsShown++;
      }
    }
    held += qHeld;
    shown += qShown;
    stored += qStored;
    final += qFinal;
    console.log(`${JSON.stringify(q)}: ${qShown}/${qHeld} marked (${qStored} with a term in the store), ${qFinal} with pages; terms ${JSON.stringify(terms)}`);
  }
  const pct = (a, b) => (b === 0 ? '-' : ((100 * a) / b).toFixed(1) + '%');
  console.log(`${queries.length} queries: ${shown}/${held} results whose text holds a query term show a mark (${pct(shown, held)}); ` +
    `${stored} hold one in the store (${pct(stored, held)}); ${final}/${held} show one once snippets come from pages (${pct(final, held)}), ` +
    `fetching ${pages} pages, ${(pageBytes / 1024).toFixed(1)} KB gzipped (${(pageBytes / 1024 / queries.length).toFixed(1)} KB a query); ` +
    `${wordsShown}/${words} query words held by a result's text are marked in its snippet (${pct(wordsShown, words)}); stored text ${(chars / Math.max(1, docs)).toFixed(0)} chars/doc on average`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
