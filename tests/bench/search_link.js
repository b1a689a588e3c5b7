#!/usr/bin/env node
// Measures a cold search on an emulated phone link: the time from navigation to the first result,
// and what was fetched before it (bytes on the wire, requests, sequential rounds). Not a test: it
// prints figures.
//
//   node tests/bench/search_link.js [options] <output dir> [query …]
//
//   <output dir>   a built site (`sosik build --output DIR`)
//   query …        the queries; default 딥시크, 반도체 공급, 삼성전자 HBM, 휴머노이드, 중국 AI 칩
//   --rtt MS       round-trip time added to every request (default 150)
//   --kbps N       downlink in kbit/s, shared by all requests (default 1600)
//   --runs N       cold runs per query; the figures are the medians (default 1)
//   --gzip-level L gzip level of the responses, 1-9 (default 9)
//   --cpu N        Chromium CPU slowdown through CDP (default 1: none; Lighthouse's phone uses 4)
//   --http1        serve HTTP/1.1 instead of HTTP/2 (Chromium then opens at most 6 connections)
//   --json         one JSON object on stdout instead of the table
//   --verbose      every request of every run: arrival, first byte, end, bytes, round
//   --sanity       no site: checks the link model itself (one 160 KB file, two parallel 80 KB ones)
//
// Needs playwright-core (`npm ci --ignore-scripts` at the repository root) and Chromium
// (/usr/bin/chromium, or CHROMIUM=path).
//
// The link model lives in the server (so requests from workers are throttled too; Chromium's own
// throttling does not see worker fetches):
// - Every response is gzipped (level 9 unless --gzip-level), as a static host serves it. Only the
//   gzipped body counts: headers are not paced, and the uplink is not modelled (requests are small).
// - Round trip: a response's headers leave the server RTT ms after its request arrived (the request's
//   half-trip up and the response's half-trip down, together). Connection setup (TCP, TLS) costs
//   nothing more, as on an HTTP/2 connection that is already open.
// - Bandwidth: the body bytes of all responses in flight share one token bucket of --kbps, handed
//   out in 1 KB chunks round-robin (fair sharing, as parallel TCP flows get). An idle link saves up
//   no more than one chunk. A response is complete when its last chunk is written.
// - HTTP/2 over TLS with a throwaway self-signed certificate (made with openssl; the browser context
//   ignores certificate errors), as static hosts serve today: all requests of a page share one
//   connection, with no limit of 6 parallel requests. --http1 serves plain HTTP/1.1 instead, where
//   Chromium queues a 7th parallel request until one of 6 connections is free (one more round).
//
// Per query and run it records, in a fresh browser context (empty cache):
// - time to first result: performance.now() in the page, relative to navigation start, when the
//   first `a` is attached to #search-results (a MutationObserver set up before any script runs);
//   a query that finds nothing is reported as such and left out of the medians;
// - the requests that ARRIVED at the server before that moment: their gzipped bytes (search files
//   and scripts = every .js file and everything under <base>search/ but the page itself; total =
//   those plus the HTML, CSS and the rest), their count, and the sequential rounds;
// - the bytes and requests until the network is idle (facets, snippets from pages and so on).
// Sequential rounds: the longest chain of requests in which each one arrived at the server after
// the previous one's response had completed (depth(r) = 1 + the largest depth among the responses
// complete when r arrived; the page's HTML is round 0, and requests that arrive while it is still
// in flight are round 0 too). This is an upper bound of the real dependency chain: a request that
// arrives after a response completed is counted as depending on it.
'use strict';
const fs = require('node:fs');
const http = require('node:http');
const http2 = require('node:http2');
const os = require('node:os');
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const zlib = require('node:zlib');
const { performance } = require('node:perf_hooks');

const QUERIES = ['딥시크', '반도체 공급', '삼성전자 HBM', '휴머노이드', '중국 AI 칩'];
const CHUNK = 1024;
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.xml': 'application/xml',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

function usage(msg) {
  if (msg) console.error(msg);
  console.error('usage: node tests/bench/search_link.js [--rtt MS] [--kbps N] [--runs N] [--gzip-level L] [--cpu N] [--json] [--verbose] <output dir> [query …]');
  console.error('       node tests/bench/search_link.js --sanity [--rtt MS] [--kbps N]');
  process.exit(2);
}

function parseArgs(argv) {
  const o = { rtt: 150, kbps: 1600, runs: 1, gzipLevel: 9, cpu: 1, http1: false, json: false, verbose: false, sanity: false, rest: [] };
  const num = (name, v, min, max) => {
    const n = Number(v);
    if (v === undefined || !Number.isFinite(n) || n < min || n > max) usage(`${name}: expected a number from ${min} to ${max}, got ${v === undefined ? 'nothing' : JSON.stringify(v)}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--rtt') o.rtt = num(a, argv[++i], 0, 10000);
    else if (a === '--kbps') o.kbps = num(a, argv[++i], 1, 1e7);
    else if (a === '--runs') o.runs = Math.round(num(a, argv[++i], 1, 100));
    else if (a === '--gzip-level') o.gzipLevel = Math.round(num(a, argv[++i], 1, 9));
    else if (a === '--cpu') o.cpu = num(a, argv[++i], 1, 20);
    else if (a === '--json') o.json = true;
    else if (a === '--http1') o.http1 = true;
    else if (a === '--verbose') o.verbose = true;
    else if (a === '--sanity') o.sanity = true;
    else if (a === '--help' || a === '-h') usage();
    else if (a.startsWith('--')) usage(`unknown option ${a}`);
    else o.rest.push(a);
  }
  return o;
}

// --- The link: one token bucket for all responses. ----------------------------------------------
class Link {
  constructor(kbps) {
    this.rate = (kbps * 1000) / 8 / 1000; // bytes per ms
    this.queue = []; // responses with bytes left, served round-robin
    this.tokens = 0;
    this.last = performance.now();
    this.timer = null;
  }
  // Sends `body` through the link; calls done(bytes sent) after the last chunk is written.
  send(res, body, done) {
    this.queue.push({ res, body, off: 0, done });
    if (!this.timer) {
      this.last = performance.now();
      this.tokens = Math.min(this.tokens, CHUNK);
      this.tick();
    }
  }
  tick() {
    this.timer = null;
    const now = performance.now();
    this.tokens += (now - this.last) * this.rate;
    this.last = now;
    while (this.queue.length && this.tokens >= Math.min(CHUNK, this.queue[0].body.length - this.queue[0].off)) {
      const r = this.queue.shift();
      if (r.res.destroyed || (r.res.stream && r.res.stream.destroyed)) {
        r.done(r.off); // the browser gave up on it (an aborted fetch): the rest is not sent
        continue;
      }
      const n = Math.min(CHUNK, r.body.length - r.off);
      this.tokens -= n;
      const piece = r.body.subarray(r.off, r.off + n);
      r.off += n;
      if (r.off >= r.body.length) {
        r.res.end(piece);
        r.done(r.off);
      } else {
        r.res.write(piece);
        this.queue.push(r);
      }
    }
    if (this.queue.length) {
      const need = Math.min(CHUNK, this.queue[0].body.length - this.queue[0].off) - this.tokens;
      this.timer = setTimeout(() => this.tick(), Math.max(1, need / this.rate));
    } else {
      // Idle: save up at most one chunk.
      this.tokens = Math.min(this.tokens, CHUNK);
    }
  }
}

// Serves `root` under `base` over the emulated link. log: one entry per request, times in epoch ms.
function serveLink(root, base, { rtt, kbps, gzipLevel, http1 }, files = null) {
  const log = [];
  const link = new Link(kbps);
  const gzCache = new Map();
  const epoch = () => performance.timeOrigin + performance.now();
  const handler = (req, res) => {
    const entry = { path: '', arrived: epoch(), firstByte: 0, done: 0, bytes: 0, status: 200, http: req.httpVersion };
    log.push(entry);
    const url = new URL(req.url, 'http://127.0.0.1');
    entry.path = url.pathname;
    const body = lookup(url.pathname);
    const wait = entry.arrived + rtt - epoch();
    setTimeout(() => {
      entry.firstByte = epoch();
      if (body === null) {
        entry.status = 404;
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found');
        entry.done = epoch();
        return;
      }
      const headers = { 'content-type': TYPES[path.extname(entry.path.endsWith('/') ? 'index.html' : entry.path)] || 'application/octet-stream', 'cache-control': 'no-cache' };
      if (body.gz) headers['content-encoding'] = 'gzip';
      headers['content-length'] = body.data.length;
      entry.bytes = body.data.length;
      res.writeHead(200, headers);
      if (body.data.length === 0) {
        res.end();
        entry.done = epoch();
        return;
      }
      res.on('error', () => {});
      link.send(res, body.data, (sent) => {
        entry.done = epoch();
        entry.bytes = sent;
      });
    }, Math.max(0, wait));
  };
  const sessions = new Set();
  const server = http1 ? http.createServer(handler) : http2.createSecureServer(selfSigned(), handler);
  server.on(http1 ? 'connection' : 'session', (s) => {
    sessions.add(s);
    s.on('close', () => sessions.delete(s));
  });
  // The gzipped bytes of a URL path, or null. Every response is gzipped (the client always asks).
  function lookup(pathname) {
    if (files) return files.has(pathname) ? { data: files.get(pathname), gz: false } : null;
    let rel;
    try {
      rel = decodeURIComponent(pathname);
    } catch (e) {
      return null;
    }
    if (!rel.startsWith(base)) return null;
    rel = rel.slice(base.length);
    if (rel === '' || rel.endsWith('/')) rel += 'index.html';
    const file = path.resolve(root, rel);
    if (!file.startsWith(path.resolve(root) + path.sep)) return null;
    if (!gzCache.has(file)) {
      let raw;
      try {
        raw = fs.readFileSync(file);
      } catch (e) {
        return null;
      }
      gzCache.set(file, zlib.gzipSync(raw, { level: gzipLevel }));
    }
    return { data: gzCache.get(file), gz: true };
  }
  return new Promise((resolve) => {
    if (http1) server.keepAliveTimeout = 60000;
    server.listen(0, '127.0.0.1', () => {
      const origin = `${http1 ? 'http' : 'https'}://127.0.0.1:${server.address().port}`;
      resolve({
        origin,
        url: origin + base,
        log,
        inflight: () => log.filter((e) => !e.done).length,
        close: () => {
          for (const s of sessions) s.destroy();
          return new Promise((r) => server.close(r));
        },
      });
    });
  });
}

// A throwaway key and certificate for 127.0.0.1 (HTTP/2 in browsers needs TLS).
function selfSigned() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'search-link-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=127.0.0.1', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
    return { key: fs.readFileSync(path.join(dir, 'key.pem')), cert: fs.readFileSync(path.join(dir, 'cert.pem')) };
  } catch (e) {
    usage(`openssl could not make a certificate for HTTP/2 (${e.message}); pass --http1 to serve HTTP/1.1`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// Depth of every entry (see the top of the file); entries sorted by arrival.
function rounds(entries) {
  const sorted = [...entries].sort((a, b) => a.arrived - b.arrived);
  for (const e of sorted) {
    let d = -1;
    for (const q of sorted) if (q !== e && q.done && q.done <= e.arrived) d = Math.max(d, q.round);
    e.round = d + 1;
  }
  return sorted;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// --- One cold search. ---------------------------------------------------------------------------
async function coldSearch(chromium, server, base, query, opts) {
  const context = await chromium.newContext({ serviceWorkers: 'block', ignoreHTTPSErrors: true });
  await context.addInitScript(() => {
    // The first time anything is drawn in the results: the result links, or the message that
    // nothing matched (the page draws them all at once).
    const seen = () => {
      const r = document.getElementById('search-results');
      if (!r || !r.firstElementChild) return;
      window.__answer = performance.now();
      obs.disconnect();
    };
    const obs = new MutationObserver(seen);
    obs.observe(document, { childList: true, subtree: true });
  });
  const page = await context.newPage();
  if (opts.cpu > 1) {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: opts.cpu });
  }
  server.log.length = 0;
  const t0 = Date.now();
  await page.goto(server.url + 'search/?q=' + encodeURIComponent(query), { waitUntil: 'commit' });
  let first;
  try {
    await page.waitForFunction(() => window.__answer !== undefined, null, { timeout: 60000, polling: 50 });
    first = await page.evaluate(() => ({ ms: window.__answer, at: performance.timeOrigin + window.__answer, shown: document.querySelectorAll('#search-results > a').length }));
  } catch (e) {
    const status = await page.$eval('#search-status', (s) => s.textContent).catch(() => '');
    await context.close();
    throw new Error(`query ${JSON.stringify(query)}: nothing drawn in #search-results within 60 s (status: ${JSON.stringify(status)})`);
  }
  if (first.shown === 0) {
    const said = await page.$eval('#search-results', (r) => r.textContent).catch(() => '');
    await context.close();
    return { noResult: said.trim().slice(0, 80) };
  }
  const nodeMs = Date.now() - t0;
  // Then until the network is idle: nothing in flight at the server for 1 s (at most 60 s more).
  const until = Date.now() + 60000;
  let quietSince = Date.now();
  while (Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100));
    if (server.inflight() > 0) quietSince = Date.now();
    else if (Date.now() - quietSince >= 1000) break;
  }
  await context.close();
  const entries = rounds(server.log.map((e) => ({ ...e })));
  const pageUrl = base + 'search/';
  const isPage = (e) => e.path === pageUrl || e.path === pageUrl + 'index.html';
  const isSearch = (e) => !isPage(e) && (e.path.startsWith(pageUrl) || e.path.endsWith('.js'));
  const before = entries.filter((e) => e.arrived <= first.at);
  const sum = (es) => es.reduce((s, e) => s + e.bytes, 0);
  const html = entries.find(isPage);
  const run = {
    ms: +first.ms.toFixed(1),
    // The same, from the moment the page's request reached the server (without the browser's own
    // start-up of a fresh context, tens of ms here; a real phone spends DNS, TCP and TLS instead).
    fromRequestMs: html ? +(first.at - html.arrived).toFixed(1) : null,
    nodeMs,
    shown: first.shown,
    searchBytes: sum(before.filter(isSearch)),
    totalBytes: sum(before),
    requests: before.length,
    rounds: Math.max(0, ...before.map((e) => e.round)),
    idleSearchBytes: sum(entries.filter(isSearch)),
    idleTotalBytes: sum(entries),
    idleRequests: entries.length,
    protocols: [...new Set(entries.map((e) => e.http))],
    log: entries.map((e) => ({
      path: e.path,
      status: e.status,
      bytes: e.bytes,
      round: e.round,
      arrived: +(e.arrived - first.at + first.ms).toFixed(1),
      firstByte: +(e.firstByte - first.at + first.ms).toFixed(1),
      done: e.done ? +(e.done - first.at + first.ms).toFixed(1) : null,
      beforeFirst: e.arrived <= first.at,
    })),
  };
  return run;
}

// --- The index and the site, on disk. -----------------------------------------------------------
function* walk(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) yield* walk(path.join(dir, e.name));
    else yield path.join(dir, e.name);
  }
}

function fileCounts(output) {
  const dir = path.join(output, 'search');
  let files = 0;
  let raw = 0;
  for (const name of fs.readdirSync(dir)) {
    if (name === 'index.html') continue;
    files++;
    raw += fs.statSync(path.join(dir, name)).size;
  }
  let site = 0;
  for (const _ of walk(output)) site++;
  return { indexFiles: files, indexBytes: raw, siteFiles: site };
}

// --- The link model, checked on its own. ----------------------------------------------------------
async function sanity(opts) {
  const k = (n) => Buffer.alloc(n * 1024, 7);
  const files = new Map([['/one160', k(160)], ['/a80', k(80)], ['/b80', k(80)], ['/small', k(1)]]);
  const server = await serveLink(null, '/', opts, files);
  // HTTP/2: one connection for all requests, as a browser has; HTTP/1.1: one connection each.
  const session = opts.http1 ? null : http2.connect(server.origin, { rejectUnauthorized: false });
  const get = (p) =>
    new Promise((resolve, reject) => {
      const t0 = performance.now();
      const count = (res) => {
        let n = 0;
        res.on('data', (c) => (n += c.length));
        res.on('end', () => resolve({ path: p, bytes: n, ms: performance.now() - t0 }));
        res.on('error', reject);
      };
      if (session) count(session.request({ ':path': p }).on('error', reject));
      else http.get(server.origin + p, { agent: new http.Agent() }, count).on('error', reject);
    });
  await get('/small'); // warms up the connection and the code paths
  const expect = (bytes) => opts.rtt + (bytes * 8) / opts.kbps; // kbit/s = bit/ms
  const out = [];
  out.push({ case: 'one 1 KB file', got: [await get('/small')], expected: expect(1024) });
  out.push({ case: 'one 160 KB file', got: [await get('/one160')], expected: expect(160 * 1024) });
  out.push({ case: 'two 80 KB files in parallel', got: await Promise.all([get('/a80'), get('/b80')]), expected: expect(160 * 1024) });
  // The first one has the link alone until the second one's first byte (400 ms + RTT), then they
  // share it; both take RTT + (80 KB + what was left of the first at that moment) / rate.
  const rate = opts.kbps / 8; // bytes per ms
  const left = Math.max(0, 80 * 1024 - 400 * rate);
  out.push({ case: 'two 80 KB files, the second 400 ms later', got: await Promise.all([get('/a80'), new Promise((r) => setTimeout(r, 400)).then(() => get('/b80'))]), expected: left > 0 ? opts.rtt + (80 * 1024 + left) / rate : expect(80 * 1024) });
  if (session) session.close();
  await server.close();
  if (opts.json) {
    console.log(JSON.stringify({ rtt: opts.rtt, kbps: opts.kbps, sanity: out }, null, 1));
    return;
  }
  console.log(`link: ${opts.rtt} ms round trip, ${opts.kbps} kbit/s shared, ${opts.http1 ? 'HTTP/1.1' : 'HTTP/2'} (KB = 1024 bytes)`);
  for (const c of out) {
    const got = c.got.map((g) => `${g.path} ${g.ms.toFixed(0)} ms`).join(', ');
    console.log(`  ${c.case}: ${got}${c.expected ? ` (expected ${c.expected.toFixed(0)} ms)` : ''}`);
  }
}

// --- Main. ----------------------------------------------------------------------------------------
async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.sanity) return sanity(opts);
  const [output, ...given] = opts.rest;
  if (!output) usage('no output dir given');
  const manifestFile = path.join(output, 'search', 'manifest.json');
  if (!fs.existsSync(manifestFile)) usage(`${manifestFile}: no such file, expected a site built by sosik with search`);
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  const base = manifest.base_path || '/';
  const queries = given.length ? given : QUERIES;
  const counts = fileCounts(output);

  let browser;
  try {
    browser = require(path.join(__dirname, '..', 'js', 'browser.js'));
  } catch (e) {
    usage(`tests/js/browser.js: ${e.message}`);
  }
  const why = browser.missing();
  if (why) usage(why);
  const server = await serveLink(output, base, opts);
  const chromium = await browser.launch();
  const results = [];
  try {
    // Not measured: the search page without a query, so that the server's code paths are warm and
    // the page, style and script are gzipped once.
    const warm = await chromium.newContext({ ignoreHTTPSErrors: true });
    await (await warm.newPage()).goto(server.url + 'search/', { waitUntil: 'networkidle' });
    await warm.close();
    for (const q of queries) {
      const runs = [];
      for (let i = 0; i < opts.runs; i++) runs.push(await coldSearch(chromium, server, base, q, opts));
      if (runs.some((r) => r.noResult !== undefined)) {
        // Nothing to time: the query finds no article (the medians leave it out).
        const said = runs.find((r) => r.noResult !== undefined).noResult;
        if (!opts.json) console.log(`${JSON.stringify(q)}: no result link; the page says ${JSON.stringify(said)}`);
        results.push({ query: q, runs: runs.length, noResult: said });
        continue;
      }
      const m = (key) => median(runs.map((r) => r[key]));
      const row = { query: q, runs: runs.length };
      for (const key of ['ms', 'fromRequestMs', 'nodeMs', 'searchBytes', 'totalBytes', 'requests', 'rounds', 'idleSearchBytes', 'idleTotalBytes', 'idleRequests']) row[key] = m(key);
      row.msAll = runs.map((r) => Math.round(r.ms));
      row.protocols = [...new Set(runs.flatMap((r) => r.protocols))];
      if (opts.verbose) row.log = runs.map((r) => r.log);
      results.push(row);
      if (!opts.json) printRow(row, opts);
    }
  } finally {
    await chromium.close();
    await server.close();
  }
  const timed = results.filter((r) => r.noResult === undefined);
  if (timed.length === 0) {
    console.error('no query found a result: nothing to measure');
    process.exit(1);
  }
  const summary = {};
  for (const key of ['ms', 'searchBytes', 'totalBytes', 'requests', 'rounds']) summary[key] = median(timed.map((r) => r[key]));
  const report = {
    site: output,
    docs: manifest.doc_count,
    link: { rttMs: opts.rtt, kbps: opts.kbps, gzipLevel: opts.gzipLevel, cpuSlowdown: opts.cpu, http: opts.http1 ? '1.1' : '2' },
    files: { ...counts, share: counts.indexFiles / counts.siteFiles },
    queries: results,
    median: summary,
  };
  if (opts.json) {
    console.log(JSON.stringify(report, null, 1));
    return;
  }
  console.log(
    `median over ${timed.length} queries: first result ${summary.ms.toFixed(0)} ms, ` +
      `search files + scripts ${kb(summary.searchBytes)} KB, total ${kb(summary.totalBytes)} KB, ` +
      `${summary.requests} requests, ${summary.rounds} rounds after the HTML`,
  );
  console.log(
    `index: ${counts.indexFiles} files (${(counts.indexBytes / 1e6).toFixed(2)} MB) of ${counts.siteFiles} in the site ` +
      `(${((100 * counts.indexFiles) / counts.siteFiles).toFixed(1)}%); ${manifest.doc_count} docs; ` +
      `link ${opts.rtt} ms RTT, ${opts.kbps} kbit/s shared, HTTP/${[...new Set(timed.flatMap((r) => r.protocols))].join('+')}, gzip -${opts.gzipLevel}${opts.cpu > 1 ? `, CPU ${opts.cpu}x slower` : ''}`,
  );
}

const kb = (b) => (b / 1024).toFixed(1);

function printRow(r, opts) {
  console.log(
    `${JSON.stringify(r.query)}: first result ${r.ms.toFixed(0)} ms` +
      (r.runs > 1 ? ` (median of ${r.runs}: ${r.msAll.join(', ')})` : '') +
      ` (${r.fromRequestMs.toFixed(0)} ms from the page's request)` +
      `; before it: search files + scripts ${kb(r.searchBytes)} KB gz, total ${kb(r.totalBytes)} KB, ` +
      `${r.requests} requests, ${r.rounds} rounds after the HTML; until idle: ${kb(r.idleTotalBytes)} KB in ${r.idleRequests} requests`,
  );
  if (opts.verbose) {
    r.log.forEach((log, i) => {
      console.log(`  run ${i + 1} (ms from navigation start; * = arrived before the first result)`);
      for (const e of log)
        console.log(
          `   ${e.beforeFirst ? '*' : ' '} r${e.round} arrive ${e.arrived.toFixed(0).padStart(5)} first byte ${e.firstByte.toFixed(0).padStart(5)} ` +
            `done ${e.done === null ? '    -' : e.done.toFixed(0).padStart(5)} ${kb(e.bytes).padStart(6)} KB ${e.status === 200 ? '' : e.status + ' '}${e.path}`,
        );
    });
  }
}

main().catch((e) => {
  console.error(e && e.message ? e.message : e);
  process.exit(1);
});
