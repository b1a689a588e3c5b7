//! The output side of a rebuild: which pages and feeds are stale, rendering them, the whole-site
//! files (sitemap, robots.txt, static files, the search index), and the delta against what was
//! produced last time.
//!
//! When the model was patched (its shape unchanged, see `sources.rs`), the list items, their
//! hashes and the output paths of the last rebuild are reused, only the patched articles' items are
//! made again, and the sitemap (which a patch cannot change) is left as it is.

use std::collections::{BTreeMap, HashMap, HashSet};

use rayon::prelude::*;

use super::fingerprint::{self, card_hash, hash_bytes, hash_of, FastBuild, Fingerprints};
use super::{Delta, MemorySink, Prepare, Prepared, Rebuilder};
use crate::build;
use crate::error::{Error, Result};
use crate::feeds;
use crate::model::{self, Site};
use crate::render::{self, Card, Job, Renderer};
use crate::Progress;

/// One feed, as `build::write_feeds` makes it: path, title, page it belongs to, entries.
struct Feed {
    rel: String,
    title: String,
    page: String,
    entries: Vec<usize>,
    /// Pages in it (`feed = true`, the site's feed only).
    pages: Vec<usize>,
}

/// The site's feed, then one per company and per topic (as `build::write_feeds`).
fn feeds_of(site: &Site) -> Vec<Feed> {
    let mut v = vec![Feed {
        rel: "feed.xml".into(),
        title: site.config.title.clone(),
        page: site.url(""),
        entries: (0..site.entries.len()).collect(),
        pages: site.feed_pages(),
    }];
    for g in site.companies.iter().chain(&site.topics) {
        v.push(Feed {
            rel: format!("{}/feed.xml", g.dir),
            title: format!("{} — {}", g.name, site.config.title),
            page: g.url.clone(),
            entries: g.entries.clone(),
            pages: Vec::new(),
        });
    }
    v
}

/// Something to produce.
enum Output<'a> {
    Page(&'a Job),
    Feed(&'a Feed),
}

/// What a rebuild leaves for the next one, to reuse when the model keeps its shape.
pub(super) struct Kept {
    cards: Vec<Card>,
    card_hashes: Vec<u64>,
    /// Output path of every job, then of every feed (in the order of `jobs()` and `feeds_of`).
    paths: Vec<String>,
}

impl Rebuilder {
    /// Renders what is stale of `site` and keeps the site for the next rebuild.
    pub(super) fn render<T: Send>(
        &mut self,
        site: Site,
        progress: &Progress,
        prepare: &Prepare<T>,
        search: Option<Vec<Prepared<T>>>,
    ) -> Result<Delta<T>> {
        let result = self.render_site(&site, progress, prepare, search);
        self.site = Some(site);
        result
    }

    fn render_site<T: Send>(
        &mut self,
        site: &Site,
        progress: &Progress,
        prepare: &Prepare<T>,
        search: Option<Vec<Prepared<T>>>,
    ) -> Result<Delta<T>> {
        let insights = self.insights(site);
        self.laps.lap("insights");
        let templates = self.templates.as_ref().expect("theme loaded first");
        let statics = self.statics.clone().expect("theme loaded first");
        // Plain asset URLs (no `?v=` hash): a stylesheet edit then changes one file, not every page.
        let assets: BTreeMap<String, String> = build::asset_urls(site, &statics)
            .into_iter()
            .map(|(k, v)| (k, v.split('?').next().unwrap_or_default().to_string()))
            .collect();
        let patched = self.patched_entries.take();
        let (cards, hashes, kept_paths) = cards(site, patched.as_deref(), self.kept.take());
        self.laps.lap("cards");
        let renderer = Renderer::with_cards(site, templates.tera.clone(), assets.clone(), cards, insights)?;
        let jobs = renderer.jobs();
        let feed_list = feeds_of(site);
        let outputs: Vec<Output> = jobs.iter().map(Output::Page).chain(feed_list.iter().map(Output::Feed)).collect();
        let paths = match kept_paths {
            Some(p) if p.len() == outputs.len() => p,
            _ => outputs
                .par_iter()
                .map(|o| match o {
                    Output::Page(j) => fingerprint::job_path(site, j),
                    Output::Feed(f) => f.rel.clone(),
                })
                .collect(),
        };
        self.laps.lap("renderer");

        let global = hash_of(&(self.config_key, &assets, self.opts.drafts, &site.footer));
        let page_files = self.page_hashes(site);
        let prints = Fingerprints::new(site, hashes, self.entry_hashes(site), page_files, &templates.hashes, global)
            .with_insights(&renderer);
        let fps: Vec<u64> = outputs
            .par_iter()
            .map(|o| match o {
                Output::Page(j) => prints.of(j),
                Output::Feed(f) => prints.feed(&f.title, &f.page, &f.entries, &f.pages),
            })
            .collect();
        let mut known = 0;
        let stale: Vec<usize> = (0..outputs.len())
            .filter(|&i| match self.rendered.get(&paths[i]) {
                Some(print) => {
                    known += 1;
                    *print != fps[i]
                }
                None => true,
            })
            .collect();
        let card_hashes = prints.into_card_hashes();
        self.laps.lap("fingerprints");

        let produced = produce(site, &renderer, &outputs, &paths, &stale, progress, prepare)?;
        self.laps.lap("pages");
        // A patched model has the dates and pages of the last one: its sitemap is unchanged.
        let sitemap = if patched.is_some() { None } else { Some(sitemap(site, &jobs)?) };
        self.laps.lap("sitemap");
        let search = if self.settling { Some(self.search_now(site, prepare)?) } else { search };
        self.laps.lap("search");

        let same_paths = known == outputs.len() && known == self.rendered.len();
        let mut delta = Delta {
            pages_rendered: stale.iter().filter(|&&i| i < jobs.len()).count(),
            pages_total: jobs.len(),
            articles: site.entries.len(),
            base_path: site.config.base_path.clone(),
            ..Default::default()
        };
        self.record(&mut delta, &paths, &fps, &stale, same_paths, produced, &statics, prepare);
        if let Some(files) = sitemap {
            self.whole_files_delta(files, &mut delta, prepare);
        }
        if let Some(search) = search {
            self.search_delta(search, &mut delta);
        }
        delta.removes.sort();
        delta.removes.dedup();
        self.kept = Some(Kept { cards: renderer.into_cards(), card_hashes, paths });
        self.laps.lap("delta");
        Ok(delta)
    }

    /// The insights of `site` with every article's terms from its analysis, which the model of a
    /// fast rebuild leaves out (terms are for the search index, see `Analysis::enrichment`).
    fn insights(&mut self, site: &Site) -> crate::insights::Insights {
        let Some(analysis) = self.analysis.as_ref() else { return crate::insights::Insights::compute(site) };
        let slots: Vec<Option<u32>> = site.entries.iter().map(|e| self.slots.id(&e.article.path)).collect();
        let terms = |i: usize| slots[i].map(|id| &self.slots.get(id).analysis.terms);
        crate::insights::Insights::compute_with(site, &terms, &analysis.vocab, Some(&mut self.week_cache))
    }

    /// Puts the rendered pages and the static files into `delta` and remembers the fingerprints.
    #[allow(clippy::too_many_arguments)]
    fn record<T: Send>(
        &mut self,
        delta: &mut Delta<T>,
        paths: &[String],
        fps: &[u64],
        stale: &[usize],
        same_paths: bool,
        produced: Vec<(usize, T)>,
        statics: &BTreeMap<String, Vec<u8>>,
        prepare: &Prepare<T>,
    ) {
        if same_paths {
            for &i in stale {
                self.rendered.insert(paths[i].clone(), fps[i]);
            }
        } else {
            let live: HashSet<&str, FastBuild> = paths.iter().map(String::as_str).collect();
            delta.removes.extend(
                self.rendered.keys().filter(|p| !live.contains(p.as_str()) && !statics.contains_key(*p)).cloned(),
            );
            self.rendered = paths.iter().cloned().zip(fps.iter().copied()).collect();
        }
        // A static file of the same path wins over a page, as in `generate` (written last).
        delta.writes.extend(
            produced.into_iter().filter(|(i, _)| !statics.contains_key(&paths[*i])).map(|(i, t)| (paths[i].clone(), t)),
        );
        let mut files = HashMap::with_capacity_and_hasher(statics.len(), FastBuild::default());
        for (rel, bytes) in statics {
            let h = hash_bytes(bytes);
            if self.files.get(rel) != Some(&h) || (!same_paths && self.rendered.contains_key(rel)) {
                delta.writes.push((rel.clone(), prepare(rel, bytes.clone())));
            }
            files.insert(rel.clone(), h);
        }
        delta.removes.extend(
            self.files.keys().filter(|rel| !files.contains_key(*rel) && !self.rendered.contains_key(*rel)).cloned(),
        );
        self.files = files;
    }

    /// Adds the changes of the sitemap and robots.txt (made whole) to `delta`.
    fn whole_files_delta<T: Send>(
        &mut self,
        files: BTreeMap<String, Vec<u8>>,
        delta: &mut Delta<T>,
        prepare: &Prepare<T>,
    ) {
        let mut fresh = HashMap::with_capacity_and_hasher(files.len(), FastBuild::default());
        for (rel, bytes) in files {
            let h = hash_bytes(&bytes);
            if self.sitemap.get(&rel) != Some(&h) {
                let prepared = prepare(&rel, bytes);
                delta.writes.push((rel.clone(), prepared));
            }
            fresh.insert(rel, h);
        }
        delta.removes.extend(self.sitemap.keys().filter(|rel| !fresh.contains_key(*rel)).cloned());
        self.sitemap = fresh;
    }

    /// Adds the changes of the search index (rebuilt whole when settling) to `delta`.
    fn search_delta<T: Send>(&mut self, files: Vec<Prepared<T>>, delta: &mut Delta<T>) {
        let mut fresh = HashMap::with_capacity_and_hasher(files.len(), FastBuild::default());
        for (rel, h, prepared) in files {
            if self.search.get(&rel) != Some(&h) {
                delta.writes.push((rel.clone(), prepared));
            }
            fresh.insert(rel, h);
        }
        delta.removes.extend(self.search.keys().filter(|rel| !fresh.contains_key(*rel)).cloned());
        self.search = fresh;
    }
}

/// The list items of `site` and their hashes: the kept ones with the patched entries' made again,
/// or all of them afresh. Also the kept output paths, when the shape is the same.
fn cards(site: &Site, patched: Option<&[usize]>, kept: Option<Kept>) -> (Vec<Card>, Vec<u64>, Option<Vec<String>>) {
    match (patched, kept) {
        (Some(idx), Some(mut k)) if k.cards.len() == site.entries.len() => {
            for &i in idx {
                k.cards[i] = render::card(site, &site.entries[i]);
                k.card_hashes[i] = card_hash(&k.cards[i]);
            }
            (k.cards, k.card_hashes, Some(k.paths))
        }
        _ => {
            let cards: Vec<Card> = site.entries.par_iter().map(|e| render::card(site, e)).collect();
            let hashes = cards.par_iter().map(card_hash).collect();
            (cards, hashes, None)
        }
    }
}

/// Renders the stale pages and feeds (in parallel), each made ready with `prepare` at once.
fn produce<T: Send>(
    site: &Site,
    renderer: &Renderer,
    outputs: &[Output],
    paths: &[String],
    stale: &[usize],
    progress: &Progress,
    prepare: &Prepare<T>,
) -> Result<Vec<(usize, T)>> {
    progress.start("pages", stale.len());
    stale
        .par_iter()
        .map(|&i| {
            let rel = &paths[i];
            let bytes = match &outputs[i] {
                Output::Page(job) => {
                    let (written, html) = renderer.render(job)?;
                    if &written != rel {
                        // fingerprint::job_path no longer mirrors Renderer::render: say so loudly.
                        return Err(Error::Other(format!("serve: page {written} was expected at {rel}")));
                    }
                    html.into_bytes()
                }
                Output::Feed(f) => {
                    let self_url = site.url(&model::encode_path(&f.rel));
                    feeds::atom(site, &f.title, &self_url, &f.page, &f.entries, &f.pages).into_bytes()
                }
            };
            progress.tick();
            Ok((i, prepare(rel, bytes)))
        })
        .collect()
}

/// The sitemap (one file or an index and parts) and robots.txt.
fn sitemap(site: &Site, jobs: &[Job]) -> Result<BTreeMap<String, Vec<u8>>> {
    let sink = MemorySink::default();
    build::write_sitemap_and_robots(site, jobs, &sink)?;
    Ok(sink.into_files())
}
