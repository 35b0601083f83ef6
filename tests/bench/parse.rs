//! Native parse throughput on Planet Python-shaped feeds, ours against feed-rs on the same
//! bytes in the same run. Run from the repository root:
//!
//! ```text
//! cargo bench --bench parse                       # ~1 MB RSS 2.0, Atom and RDF feeds
//! cargo bench --bench parse -- --size 4000000     # bigger feeds
//! cargo bench --bench parse -- --write-feeds DIR  # write the feeds (the wasm bench uses it)
//! ```
//!
//! Both parsers read from memory; feed-rs is built without its `sanitize` feature, so
//! "parse" is parse on both sides. Our parse + sanitize (what ingest does for a new entry:
//! every title flattened, every summary and content sanitized) is printed too.

#[path = "planet.rs"]
mod planet;

use planet_reader::core::parse::{parse, ParseContext};
use std::hint::black_box;
use std::time::{Duration, Instant};

fn ours(bytes: &[u8]) -> usize {
    let ctx =
        ParseContext { url: Some("https://planetpython.org/rss20.xml"), ..Default::default() };
    parse(bytes, &ctx).expect("our parser").entries.len()
}

fn ours_sanitized(bytes: &[u8]) -> usize {
    let ctx =
        ParseContext { url: Some("https://planetpython.org/rss20.xml"), ..Default::default() };
    let feed = parse(bytes, &ctx).expect("our parser");
    let mut n = 0;
    for e in &feed.entries {
        n += e.title.as_ref().map_or(0, |t| t.to_plain().len());
        n += e.summary.as_ref().map_or(0, |t| t.to_safe_html().len());
        n += e.content.as_ref().map_or(0, |t| t.to_safe_html().len());
    }
    n
}

fn feed_rs(bytes: &[u8]) -> usize {
    feed_rs::parser::parse(bytes).expect("feed-rs").entries.len()
}

/// Median seconds per run of `f`, runs interleaved with the other parser's by the caller.
fn time_once(f: &dyn Fn(&[u8]) -> usize, bytes: &[u8]) -> f64 {
    let t = Instant::now();
    black_box(f(black_box(bytes)));
    t.elapsed().as_secs_f64()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    v[v.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1));
    let size: usize = arg("--size").and_then(|s| s.parse().ok()).unwrap_or(1 << 20);
    let posts = planet::load_posts(&planet::seeds_dir());
    let feeds = planet::build(&posts, size);
    if let Some(dir) = arg("--write-feeds") {
        std::fs::create_dir_all(dir).expect("feeds dir");
        for (name, bytes) in
            [("rss20.xml", &feeds.rss), ("atom.xml", &feeds.atom), ("rdf.xml", &feeds.rdf)]
        {
            std::fs::write(std::path::Path::new(dir).join(name), bytes).expect("write feed");
        }
        println!("wrote {} posts' feeds to {dir}", feeds.posts);
        return;
    }
    if let Some(n) = arg("--loop-ours").and_then(|n| n.parse::<usize>().ok()) {
        // For a profiler: only our parser, n times over each feed.
        for _ in 0..n {
            for bytes in [&feeds.rss, &feeds.atom, &feeds.rdf] {
                black_box(ours(bytes));
            }
        }
        return;
    }
    println!(
        "Planet Python-shaped feeds from {} seed posts; MB = 10^6 bytes; median of interleaved runs\n",
        posts.len()
    );
    println!(
        "{:8} {:>9} {:>8} {:>11} {:>11} {:>7} {:>19}",
        "format", "bytes", "entries", "ours MB/s", "feed-rs MB/s", "ratio", "ours+sanitize MB/s"
    );
    let mut ratios = Vec::new();
    for (name, bytes) in
        [("RSS 2.0", &feeds.rss), ("Atom 1.0", &feeds.atom), ("RSS 1.0", &feeds.rdf)]
    {
        let (a, b) = (ours(bytes), feed_rs(bytes));
        assert_eq!(a, b, "{name}: both parsers must see the same entries");
        let (mut t_ours, mut t_frs, mut t_san) = (Vec::new(), Vec::new(), Vec::new());
        let deadline = Instant::now() + Duration::from_secs(4);
        while t_ours.len() < 5 || (Instant::now() < deadline && t_ours.len() < 200) {
            t_ours.push(time_once(&ours, bytes));
            t_frs.push(time_once(&feed_rs, bytes));
            if t_san.len() < 5 {
                t_san.push(time_once(&ours_sanitized, bytes));
            }
        }
        let mb = bytes.len() as f64 / 1e6;
        let (o, f, s) = (mb / median(t_ours), mb / median(t_frs), mb / median(t_san));
        ratios.push(o / f);
        println!(
            "{name:8} {:>9} {a:>8} {o:>11.1} {f:>11.1} {:>6.2}x {s:>19.1}",
            bytes.len(),
            o / f
        );
    }
    let geo = ratios.iter().product::<f64>().powf(1.0 / ratios.len() as f64);
    println!("\nratio ours/feed-rs (geometric mean): {geo:.2}x");
}
