//! The output side of a rebuild: which pages and feeds are stale, rendering them, the whole-site
//! files (sitemap, robots.txt, static files, the search index), and the delta against what was
//! produced last time.

use std::collections::{BTreeMap, HashMap, HashSet};

use rayon::prelude::*;

use super::fingerprint::{self, hash_bytes, hash_of, FastBuild, Fingerprints};
use super::{Delta, MemorySink, Prepare, Prepared, Rebuilder};
use crate::build;
use crate::error::{Error, Result};
use crate::feeds;
use crate::model::{self, Site};
use crate::render::{Job, Renderer, Sink};
use crate::Progress;

/// One feed, as `build::write_feeds` makes it: path, title, page it belongs to, entries.
struct Feed {
    rel: String,
    title: String,
    page: String,
    entries: Vec<usize>,
}

/// The site's feed, then one per company and per topic (as `build::write_feeds`).
fn feeds_of(site: &Site) -> Vec<Feed> {
    let mut v = vec![Feed {
        rel: "feed.xml".into(),
        title: site.config.title.clone(),
        page: site.url(""),
        entries: (0..site.entries.len()).collect(),
    }];
    for g in site.companies.iter().chain(&site.topics) {
        v.push(Feed {
            rel: format!("{}/feed.xml", g.dir),
            title: format!("{} — {}", g.name, site.config.title),
            page: g.url.clone(),
            entries: g.entries.clone(),
        });
    }
    v
}

/// Something to produce, with its fingerprint.
enum Output<'a> {
    Page(&'a Job),
    Feed(&'a Feed),
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
        let templates = self.templates.as_ref().expect("theme loaded first");
        let statics = self.statics.as_ref().expect("theme loaded first");
        // Plain asset URLs (no `?v=` hash): a stylesheet edit then changes one file, not every page.
        let assets: BTreeMap<String, String> = build::asset_urls(site, statics)
            .into_iter()
            .map(|(k, v)| (k, v.split('?').next().unwrap_or_default().to_string()))
            .collect();
        let renderer = Renderer::with_templates(site, templates.tera.clone(), assets.clone())?;
        let jobs = renderer.jobs();
        let feed_list = feeds_of(site);
        self.laps.lap("renderer");

        let global = hash_of(&(self.config_key, &assets, self.opts.drafts));
        let prints = Fingerprints::new(site, renderer.all_cards(), self.entry_hashes(site), &templates.hashes, global);
        let planned: Vec<(String, u64, Output)> = jobs
            .par_iter()
            .map(|j| (fingerprint::job_path(site, j), prints.of(j), Output::Page(j)))
            .chain(feed_list.par_iter().map(|f| (f.rel.clone(), prints.feed(&f.title, &f.page, &f.entries), Output::Feed(f))))
            .collect();
        let stale: Vec<&(String, u64, Output)> =
            planned.iter().filter(|(rel, print, _)| self.rendered.get(rel) != Some(print)).collect();
        self.laps.lap("fingerprints");

        let produced = produce(site, &renderer, &stale, progress, prepare)?;
        self.laps.lap("pages");
        let others = others(site, &jobs, statics)?;
        self.laps.lap("sitemap");
        let search = if self.settling { Some(self.search_now(site, prepare)?) } else { search };
        self.laps.lap("search");

        let pages_rendered = stale.iter().filter(|(_, _, o)| matches!(o, Output::Page(_))).count();
        let fresh: HashMap<String, u64, FastBuild> = planned.into_iter().map(|(rel, print, _)| (rel, print)).collect();
        let mut delta = self.delta(fresh, produced, others, prepare);
        if let Some(search) = search {
            self.search_delta(search, &mut delta);
        }
        delta.pages_rendered = pages_rendered;
        delta.pages_total = jobs.len();
        delta.articles = site.entries.len();
        delta.base_path = site.config.base_path.clone();
        self.laps.lap("delta");
        Ok(delta)
    }

    /// What to write and remove, given the new fingerprints, what was rendered, and the other files.
    fn delta<T: Send>(
        &mut self,
        fresh: HashMap<String, u64, FastBuild>,
        produced: Vec<(String, T)>,
        others: BTreeMap<String, Vec<u8>>,
        prepare: &Prepare<T>,
    ) -> Delta<T> {
        let mut delta = Delta::default();
        let live: HashSet<&str> = fresh.keys().map(String::as_str).chain(others.keys().map(String::as_str)).collect();
        delta.removes = self.rendered.keys().chain(self.files.keys()).filter(|p| !live.contains(p.as_str())).cloned().collect();
        delta.removes.sort();
        delta.removes.dedup();
        // A static file of the same path wins over a page, as in `generate` (written last).
        delta.writes.extend(produced.into_iter().filter(|(rel, _)| !others.contains_key(rel)));
        let mut files = HashMap::with_capacity_and_hasher(others.len(), FastBuild::default());
        for (rel, bytes) in others {
            let h = hash_bytes(&bytes);
            if self.files.get(&rel) != Some(&h) || self.rendered.contains_key(&rel) {
                let prepared = prepare(&rel, bytes);
                delta.writes.push((rel.clone(), prepared));
            }
            files.insert(rel, h);
        }
        self.rendered = fresh;
        self.files = files;
        delta
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

/// Renders the stale pages and feeds (in parallel), each made ready with `prepare` at once.
fn produce<T: Send>(
    site: &Site,
    renderer: &Renderer,
    stale: &[&(String, u64, Output)],
    progress: &Progress,
    prepare: &Prepare<T>,
) -> Result<Vec<(String, T)>> {
    progress.start("pages", stale.len());
    stale
        .par_iter()
        .map(|(rel, _, out)| {
            let bytes = match out {
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
                    feeds::atom(site, &f.title, &self_url, &f.page, &f.entries).into_bytes()
                }
            };
            progress.tick();
            Ok((rel.clone(), prepare(rel, bytes)))
        })
        .collect()
}

/// The small whole-site files, made whole every time: sitemap, robots.txt, static files.
fn others(site: &Site, jobs: &[Job], statics: &BTreeMap<String, Vec<u8>>) -> Result<BTreeMap<String, Vec<u8>>> {
    let sink = MemorySink::default();
    build::write_sitemap_and_robots(site, jobs, &sink)?;
    for (rel, bytes) in statics {
        sink.write(rel, bytes)?;
    }
    Ok(sink.into_files())
}
