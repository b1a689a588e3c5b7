//! The `sosik` command: parses arguments, calls the library, prints results and errors.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use chrono::FixedOffset;
use clap::{Args, Parser, Subcommand};
use sosik::build::{self, BuildOptions, BuildReport};
use sosik::error::terminal_safe;
use sosik::{Error, Progress};

/// A line on stdout. Control characters are escaped (a name in front matter cannot retitle the terminal),
/// and a closed pipe (`sosik check | true`) ends the output quietly instead of panicking.
macro_rules! out {
    ($($t:tt)*) => { emit(&mut std::io::stdout().lock(), &format!($($t)*)) };
}

/// A line on stderr, as [`out!`].
macro_rules! err {
    ($($t:tt)*) => { emit(&mut std::io::stderr().lock(), &format!($($t)*)) };
}

fn emit(w: &mut dyn std::io::Write, text: &str) {
    let _ = writeln!(w, "{}", terminal_safe(text));
}

#[derive(Parser)]
#[command(name = "sosik", version, about = "소식: a static site generator for a Korean AI-news archive")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (public/ by default)
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// Output folder (default: <root>/public)
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Override site.toml's base_url, e.g. https://user.github.io/news/
        #[arg(long)]
        base_url: Option<String>,
        /// Print the time each stage took
        #[arg(long)]
        timings: bool,
        /// Minify HTML, CSS and JS
        #[arg(long)]
        minify: bool,
        /// Also write .gz and .br copies of text files (html, css, js, json, xml, txt, svg)
        #[arg(long)]
        precompress: bool,
        /// Replace an existing output folder that sosik did not make (never one holding .git)
        #[arg(long)]
        force: bool,
    },
    /// Build the site into memory and serve it locally, rebuilding and reloading pages on every save
    Serve {
        #[command(flatten)]
        site: SiteArgs,
        /// Address to listen on; anything but loopback exposes the preview to the network
        #[arg(long, default_value = "127.0.0.1")]
        interface: String,
        /// Port (default 1111, or the next free one; 0 = any free port)
        #[arg(long)]
        port: Option<u16>,
        /// Open the site in the default browser
        #[arg(long)]
        open: bool,
    },
    /// Check the site (everything a build checks) without writing anything
    Check {
        #[command(flatten)]
        site: SiteArgs,
        /// Treat warnings (such as unknown companies) as errors
        #[arg(long)]
        strict: bool,
        /// Explain one article's analysis: its terms, its score per topic, the companies it names
        #[arg(long, value_name = "ARTICLE")]
        explain: Option<PathBuf>,
        /// List the synonym pairs: glosses mined from the text, such as 세계인공지능대회(WAIC), with
        /// the number of articles that write them, and site.toml's [synonyms]
        #[arg(long)]
        synonyms: bool,
        /// List proper nouns the articles write that the company registry lacks, most frequent
        /// first, as site.toml entries ready to paste
        #[arg(long)]
        suggest_companies: bool,
    },
    /// Print the index terms of a Korean text, as search and topic classification see them
    Analyse {
        /// Print JSON
        #[arg(long)]
        json: bool,
        /// Show every morpheme with its part of speech (mecab-ko-dic tags)
        #[arg(long)]
        pos: bool,
        /// Site root folder (its company registry extends the dictionary)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The text
        #[arg(required = true)]
        text: Vec<String>,
    },
    /// Create a new article with front matter filled in
    New {
        /// Path of the new file, relative to content/ (e.g. 2025/07/28/my-article.md)
        path: PathBuf,
        /// Title of the article
        #[arg(long, short)]
        title: Option<String>,
        /// Site root folder
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Start a new site: site.toml with a company registry and topics, one article, one page
    Init {
        /// Folder for the new site (created if missing; default: the current folder)
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Search the built site's index, ranking exactly as the search page does
    Search {
        /// Site root folder
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The built site (default: <root>/public)
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Print a JSON array of {url, title, date, score}
        #[arg(long)]
        json: bool,
        /// At most this many results
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// The query; the last word also matches as a prefix unless the query ends with a space
        #[arg(required = true, num_args = 1..)]
        query: Vec<String>,
    },
}

#[derive(Args)]
struct SiteArgs {
    /// Site root folder (where site.toml is)
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Include drafts and articles dated in the future
    #[arg(long)]
    drafts: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if matches!(cli.command, Command::Build { .. }) {
        // Ctrl-C, SIGTERM or SIGHUP during a build: remove the half-written staging folder (36–85 MB on
        // 10,000 articles) instead of leaving it beside the output; the old output stays as it was.
        let _ = ctrlc::set_handler(|| {
            sosik::output::abandon();
            std::process::exit(130);
        });
    }
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            err!("{e}");
            match e {
                Error::Usage(_) => ExitCode::from(2),
                Error::Diagnostics(d) => {
                    err!("error: {} problem{} found", d.len(), if d.len() == 1 { "" } else { "s" });
                    ExitCode::from(1)
                }
                _ => ExitCode::from(1),
            }
        }
    }
}

fn run(cli: Cli) -> sosik::Result<ExitCode> {
    match cli.command {
        Command::Build { site, output, base_url, timings, minify, precompress, force } => {
            let publish = sosik::publish::PublishOptions { minify, precompress };
            let opts =
                BuildOptions { root: site.root, output, base_url, drafts: site.drafts, now: None, publish, force };
            let report = with_progress(|p| {
                let report = build::build(&opts, p);
                if timings {
                    for (stage, secs) in p.timings() {
                        err!("{stage:>14}: {secs:.3} s");
                    }
                }
                report
            })?;
            print_warnings(&report);
            out!(
                "built {} into {} ({}) in {} in {:.2} s",
                count(report.articles, "article"),
                count(report.pages, "page"),
                count(report.files, "file"),
                report.output.display(),
                report.seconds
            );
            print_left_out(&report.left_out, "sosik build --drafts", "includes");
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { site, explain: Some(article), .. } => {
            let config = build::load_config(&BuildOptions { root: site.root.clone(), ..Default::default() })?;
            // The path as given from here, else under --root (`content/…`, as errors print it).
            let article = if article.is_file() || article.is_absolute() { article } else { site.root.join(article) };
            let bytes = std::fs::read(&article).map_err(|e| Error::io(&article, e))?;
            let parsed = sosik::content::parse(&article, &bytes, &config).map_err(Error::Diagnostics)?;
            let explanation = sosik::enrich::explain(&config, &parsed)?;
            out!("{explanation}");
            let pairs = sosik::enrich::archive_synonyms(&site.root, &config)?;
            let terms: Vec<String> = explanation
                .title_terms
                .iter()
                .cloned()
                .chain(explanation.body_terms.iter().map(|(t, _)| t.clone()))
                .collect();
            let lines = sosik::enrich::synonym_lines(&pairs, &terms);
            out!(
                "synonyms (a search for one also finds the other): {}",
                if lines.is_empty() { "-".to_string() } else { lines.join("; ") }
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Analyse { json, pos, root, text } => {
            let config = build::load_config(&BuildOptions { root: root.clone(), ..Default::default() }).ok();
            let analyzer = match &config {
                Some(c) => sosik::enrich::analyzer(c)?,
                None => sosik::enrich::plain_analyzer()?,
            };
            let text = text.join(" ");
            match (json, pos) {
                (true, true) => {
                    out!("{}", serde_json::to_string_pretty(&analyzer.tokens(&text)).unwrap_or_default())
                }
                (true, false) => out!("{}", serde_json::to_string(&analyzer.terms(&text)).unwrap_or_default()),
                (false, true) => {
                    for m in analyzer.tokens(&text) {
                        out!("{}\t{}\t{}", m.surface, m.pos, m.terms.join(" "));
                    }
                }
                (false, false) => {
                    let terms = analyzer.terms(&text);
                    out!("{}", terms.join(" "));
                    // Inside a site, the archive's synonyms of these terms (a search also finds them).
                    if let Some(config) = &config {
                        let pairs = sosik::enrich::archive_synonyms(&root, config).unwrap_or_default();
                        for line in sosik::enrich::synonym_lines(&pairs, &terms) {
                            out!("synonym: {line}");
                        }
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { site, strict, explain: None, synonyms, suggest_companies } => {
            let root = site.root.clone();
            let opts = BuildOptions { root: site.root, drafts: site.drafts, ..Default::default() };
            let report = with_progress(|p| build::check(&opts, p))?;
            print_warnings(&report);
            for (path, names) in &report.untagged {
                out!(
                    "{}: names {} in its text but does not list {} in `companies`",
                    path.display(),
                    names.join(", "),
                    if names.len() == 1 { "it" } else { "them" }
                );
            }
            for b in &report.broken_links {
                err!("broken link: {b}");
            }
            if !report.broken_links.is_empty() {
                err!("error: {} broken link(s)", report.broken_links.len());
                return Ok(ExitCode::from(1));
            }
            if strict && !report.warnings.is_empty() {
                err!("error: {} warning(s) with --strict", report.warnings.len());
                return Ok(ExitCode::from(1));
            }
            if synonyms {
                out!("synonyms ({} pairs; a search for one side also finds the other):", report.synonyms.len());
                for p in &report.synonyms {
                    let from = if p.site { "site.toml [synonyms]".to_string() } else { count(p.articles, "article") };
                    out!("  {} = {}  ({from})", p.korean, p.latin);
                }
            }
            if suggest_companies {
                let config = build::load_config(&BuildOptions { root: root.clone(), ..Default::default() })?;
                let found = sosik::insights::suggest_companies(&root, &config, opts.drafts)?;
                let (products, names): (Vec<_>, Vec<_>) = found.iter().partition(|s| s.is_product());
                out!(
                    "# {} the registry lacks, most frequent first; paste into site.toml and check each",
                    count(names.len(), "name")
                );
                for s in &names {
                    out!("\n{}", s.toml().trim_end());
                }
                if !products.is_empty() {
                    out!("\n# left out as product names (written after a company's name or before a model number):");
                    for s in &products {
                        out!("#   {} ({} of {} times)", s.name, s.product_uses, s.occurrences);
                    }
                }
            }
            out!(
                "ok: {}, {}, {}",
                count(report.articles, "article"),
                count(report.pages, "page"),
                count(report.warnings.len(), "warning")
            );
            print_left_out(&report.left_out, "sosik check --drafts", "checks");
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve { site, interface, port, open } => serve(site, &interface, port, open),
        Command::New { path, title, root } => {
            let config = build::load_config(&BuildOptions { root: root.clone(), ..Default::default() })?;
            let now = chrono::Utc::now().with_timezone(&config.timezone);
            let written = build::new_article(&root, &path, title.as_deref(), now)?;
            out!("created {}", written.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Init { dir } => {
            let now = chrono::Utc::now().with_timezone(&FixedOffset::east_opt(9 * 3600).expect("+09:00"));
            for path in sosik::init::init_site(&dir, now)? {
                out!("created {}", path.display());
            }
            let root =
                if dir == std::path::Path::new(".") { String::new() } else { format!(" --root {}", dir.display()) };
            out!("next: `sosik serve{root}` previews the site, `sosik build{root}` writes it into public/");
            Ok(ExitCode::SUCCESS)
        }
        Command::Search { root, output, json, limit, query } => {
            let output = output.unwrap_or_else(|| root.join("public"));
            let found = sosik::search::search(&output, &query.join(" "), limit)?;
            print_found(&found, json);
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Prints results; stops quietly when stdout is closed (`sosik search … | head`).
fn print_found(found: &[sosik::search::Found], json: bool) {
    let mut out = std::io::stdout().lock();
    if json {
        let _ = writeln!(out, "{}", serde_json::to_string(found).expect("results serialise"));
        return;
    }
    if found.is_empty() {
        let _ = writeln!(out, "no results");
    }
    for (i, f) in found.iter().enumerate() {
        let snippet: String = f.snippet.iter().map(|(t, m)| if *m { format!("[{t}]") } else { t.clone() }).collect();
        let (title, snippet) = (terminal_safe(&f.title), terminal_safe(&snippet));
        // A page (content/pages/) has no date.
        let date = if f.date.is_empty() { "(page)" } else { f.date.as_str() };
        if writeln!(out, "{}. {}  {}  ({:.3})\n   {}\n   {}", i + 1, date, title, f.score, f.url, snippet).is_err() {
            return;
        }
    }
}

/// `sosik serve`: starts the preview and prints what it does until interrupted.
fn serve(site: SiteArgs, interface: &str, port: Option<u16>, open: bool) -> sosik::Result<ExitCode> {
    use sosik::serve::{Event, ServeOptions, Server};
    let ip: std::net::IpAddr = match interface {
        "localhost" => std::net::Ipv4Addr::LOCALHOST.into(),
        other => other.parse().map_err(|_| Error::Usage(format!("--interface: `{other}` is not an IP address")))?,
    };
    let mut opts = ServeOptions::new(site.root);
    opts.interface = ip;
    opts.port = port.unwrap_or(sosik::serve::DEFAULT_PORT);
    opts.port_explicit = port.is_some();
    opts.drafts = site.drafts;
    let report = Arc::new(|event: Event| {
        let time = chrono::Local::now().format("%H:%M:%S");
        match event {
            Event::Built(s) => {
                for w in &s.new_warnings {
                    err!("{}", w.warning_line());
                }
                if let Some(left) = &s.left_out {
                    if !left.is_empty() {
                        err!("[{time}] note: hiding {}; `sosik serve --drafts` shows them", left.describe());
                        for p in &left.drafts {
                            err!("  draft: {}", p.display());
                        }
                        for p in &left.future {
                            err!("  future-dated: {}", p.display());
                        }
                    } else if !s.first {
                        err!("[{time}] note: no drafts or future-dated articles hidden now");
                    }
                }
                if s.first {
                    out!(
                        "built {} into {} in {:.0} ms",
                        count(s.articles, "article"),
                        count(s.pages_total, "page"),
                        s.millis
                    );
                } else if s.settle {
                    if s.files_changed > 0 {
                        out!(
                            "[{time}] related articles and search index brought up to date: {} pages rendered, {} files changed, in {:.0} ms",
                            s.pages_rendered, s.files_changed, s.millis
                        );
                    }
                } else {
                    let what: Vec<String> = s.changed.iter().take(3).map(|p| p.display().to_string()).collect();
                    let more =
                        if s.changed.len() > 3 { format!(" and {} more", s.changed.len() - 3) } else { String::new() };
                    out!(
                        "[{time}] {}{more}: {} of {} pages rendered, {} files changed, in {:.0} ms",
                        what.join(", "),
                        s.pages_rendered,
                        s.pages_total,
                        s.files_changed,
                        s.millis
                    );
                }
                if std::env::var_os("SOSIK_TIMINGS").is_some() {
                    let laps: Vec<String> = s.timings.iter().map(|(n, ms)| format!("{n} {ms:.1}")).collect();
                    out!("  ms: {}", laps.join(", "));
                }
            }
            Event::Failed { message, .. } => {
                err!("[{time}] error:\n{message}\n[{time}] still serving the last good build; the page shows this error until the next good save");
            }
        }
    });
    let server = with_progress(|p| Server::start(opts, report, p))?;
    for note in &server.notes {
        err!("{note}");
    }
    out!("serving {} (Ctrl-C to stop)", server.url);
    if open {
        if let Err(e) = sosik::serve::open_browser(&server.url) {
            err!("could not open a browser: {e}");
        }
    }
    server.wait();
    Ok(ExitCode::SUCCESS)
}

/// Drafts and future-dated articles are left out without a word otherwise (a site whose one article
/// is a draft built "0 articles").
fn print_left_out(left: &build::LeftOut, command: &str, verb: &str) {
    if !left.is_empty() {
        let n = left.drafts.len() + left.future.len();
        err!("note: left out {}; `{command}` {verb} {}", left.describe(), if n == 1 { "it" } else { "them" });
    }
}

fn print_warnings(report: &BuildReport) {
    for w in &report.warnings {
        err!("{}", w.warning_line());
    }
}

/// Runs `f`, drawing a progress line on stderr when it is a terminal and the work takes a while.
fn with_progress<T>(f: impl FnOnce(&Progress) -> T) -> T {
    let progress = Arc::new(Progress::default());
    let done = Arc::new(AtomicBool::new(false));
    let drawer = std::io::stderr().is_terminal().then(|| {
        let (progress, done) = (progress.clone(), done.clone());
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(400));
            let mut drew = false;
            while !done.load(Ordering::Relaxed) {
                let (stage, n, total) = progress.get();
                if total > 0 {
                    let _ = write!(std::io::stderr(), "\r\x1b[2K{stage}: {n}/{total}");
                } else {
                    let _ = write!(std::io::stderr(), "\r\x1b[2K{stage}…");
                }
                drew = true;
                std::thread::sleep(Duration::from_millis(100));
            }
            if drew {
                let _ = write!(std::io::stderr(), "\r\x1b[2K");
            }
        })
    });
    let out = f(&progress);
    done.store(true, Ordering::Relaxed);
    if let Some(h) = drawer {
        let _ = h.join();
    }
    out
}

/// `1 article`, `2 articles`.
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}
