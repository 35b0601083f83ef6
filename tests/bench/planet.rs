//! Build large, realistic feeds from the text of Planet Python's front page.
//!
//! `shared/seeds/*.txt` hold that page's text on five dates: date headers ("October 15,
//! 2025"), then for each post the member blog's name, the post title, the paragraphs, and a
//! timestamp line ("October 15, 2025 12:00 AM UTC") closing the post. Pages saved without
//! timestamps are cut into posts of a few paragraphs under their date header.
//!
//! From those posts this writes the same content three ways, as Planet Python would serve
//! it: RSS 2.0 (titles "Member Blog: Post Title", HTML descriptions escaped), Atom 1.0 and
//! RSS 1.0 (RDF), each repeated with fresh ids until it is at least `target` bytes.
//! Nothing is committed: the feeds are made at run time.

#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::Path;

pub struct Post {
    pub member: String,
    pub title: String,
    /// `<p>`/`<ul>` HTML.
    pub html: String,
    /// `(year, month, day, hour, minute)` in UTC.
    pub when: (i32, u32, u32, u32, u32),
}

pub struct Feeds {
    pub rss: Vec<u8>,
    pub atom: Vec<u8>,
    pub rdf: Vec<u8>,
    pub posts: usize,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// "October 15, 2025" → (2025, 10, 15), and the rest of the line.
fn date_prefix(line: &str) -> Option<((i32, u32, u32), &str)> {
    let (month, rest) = line.split_once(' ')?;
    let m = MONTHS.iter().position(|x| *x == month)? as u32 + 1;
    let (day, rest) = rest.split_once(", ")?;
    let d: u32 = day.parse().ok()?;
    let year: i32 = rest.get(..4)?.parse().ok()?;
    Some(((year, m, d), &rest[4..]))
}

/// "02:00 PM UTC" → (14, 0).
fn clock(rest: &str) -> Option<(u32, u32)> {
    let rest = rest.trim().strip_suffix("UTC")?.trim();
    let (hm, ampm) = rest.split_once(' ')?;
    let (h, m) = hm.split_once(':')?;
    let (mut h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    if ampm == "PM" && h < 12 {
        h += 12;
    } else if ampm == "AM" && h == 12 {
        h = 0;
    }
    Some((h, m))
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn paragraphs_to_html(paras: &[&str]) -> String {
    let mut html = String::new();
    let mut in_list = false;
    for p in paras {
        let t = p.trim();
        if let Some(item) = t.strip_prefix('•') {
            if !in_list {
                html.push_str("<ul>\n");
                in_list = true;
            }
            let _ = writeln!(html, "<li>{}</li>", esc(item.trim()));
            continue;
        }
        if in_list {
            html.push_str("</ul>\n");
            in_list = false;
        }
        if let Some(url) =
            t.strip_prefix("Read the full article at ").and_then(|u| u.split_whitespace().next())
        {
            let _ = writeln!(
                html,
                "<p>Read the full article at <a href=\"{0}\">{0}</a> »</p>",
                esc(url)
            );
        } else if t.len() < 60 && !t.ends_with('.') {
            let _ = writeln!(html, "<h3>{}</h3>", esc(t));
        } else {
            let _ = writeln!(html, "<p>{}</p>", esc(t));
        }
    }
    if in_list {
        html.push_str("</ul>\n");
    }
    html
}

/// Posts of one saved page.
pub fn posts_of(text: &str) -> Vec<Post> {
    let lines: Vec<&str> = text.lines().collect();
    let timestamps =
        lines.iter().filter(|l| date_prefix(l).is_some_and(|(_, r)| clock(r).is_some())).count();
    let mut posts = Vec::new();
    let mut day = (2025, 1, 1);
    let mut block: Vec<&str> = Vec::new();
    let flush = |block: &mut Vec<&str>, when: (i32, u32, u32, u32, u32), posts: &mut Vec<Post>| {
        let lines: Vec<&str> = block.iter().map(|l| l.trim()).filter(|l| !l.is_empty()).collect();
        block.clear();
        if lines.len() < 3 {
            return;
        }
        posts.push(Post {
            member: lines[0].to_string(),
            title: lines[1].to_string(),
            html: paragraphs_to_html(&lines[2..]),
            when,
        });
    };
    for line in lines.iter().skip_while(|l| !l.starts_with("Last update")).skip(1) {
        match date_prefix(line) {
            Some((d, rest)) if rest.trim().is_empty() => {
                if timestamps < 5 {
                    flush(&mut block, (day.0, day.1, day.2, 12, 0), &mut posts);
                }
                day = d;
            }
            Some((d, rest)) if clock(rest).is_some() => {
                let (h, m) = clock(rest).unwrap_or((0, 0));
                flush(&mut block, (d.0, d.1, d.2, h, m), &mut posts);
            }
            _ => {
                block.push(line);
                // Pages without timestamps: a post every 12 non-empty lines.
                if timestamps < 5 && block.iter().filter(|l| !l.trim().is_empty()).count() >= 12 {
                    flush(&mut block, (day.0, day.1, day.2, 12, 0), &mut posts);
                }
            }
        }
    }
    posts
}

/// All posts of every `*.txt` in `dir`, in file order.
pub fn load_posts(dir: &Path) -> Vec<Post> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    files.iter().flat_map(|f| posts_of(&std::fs::read_to_string(f).unwrap_or_default())).collect()
}

fn rfc822(w: (i32, u32, u32, u32, u32)) -> String {
    let d = chrono::NaiveDate::from_ymd_opt(w.0, w.1, w.2).unwrap_or_default();
    let t = d.and_hms_opt(w.3, w.4, 0).unwrap_or_default();
    t.format("%a, %d %b %Y %H:%M:%S +0000").to_string()
}

fn rfc3339(w: (i32, u32, u32, u32, u32)) -> String {
    format!("{:04}-{:02}-{:02}T{:02}:{:02}:00+00:00", w.0, w.1, w.2, w.3, w.4)
}

fn slug(s: &str) -> String {
    let s: String = s
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
        .collect();
    s.split('-').filter(|p| !p.is_empty()).take(8).collect::<Vec<_>>().join("-")
}

/// The three feeds, each at least `target` bytes.
pub fn build(posts: &[Post], target: usize) -> Feeds {
    assert!(!posts.is_empty(), "no posts found in the seeds");
    let mut rss = String::from(
        "<?xml version=\"1.0\"?>\n<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n\t<title>Planet Python</title>\n\t<link>https://planetpython.org/</link>\n\t<language>en</language>\n\t<description>Planet Python - https://planetpython.org/</description>\n\t<atom:link href=\"https://planetpython.org/rss20.xml\" rel=\"self\" type=\"application/rss+xml\"/>\n",
    );
    let mut atom = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"en\">\n\t<title>Planet Python</title>\n\t<link rel=\"alternate\" href=\"https://planetpython.org/\"/>\n\t<link rel=\"self\" href=\"https://planetpython.org/atom.xml\"/>\n\t<id>https://planetpython.org/atom.xml</id>\n\t<updated>2025-10-16T13:43:00+00:00</updated>\n",
    );
    let mut rdf = String::from(
        "<?xml version=\"1.0\"?>\n<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" xmlns=\"http://purl.org/rss/1.0/\">\n<channel rdf:about=\"https://planetpython.org/\">\n\t<title>Planet Python</title>\n\t<link>https://planetpython.org/</link>\n\t<description>Planet Python - https://planetpython.org/</description>\n</channel>\n",
    );
    let mut n = 0usize;
    while rss.len() < target || atom.len() < target || rdf.len() < target {
        let p = &posts[n % posts.len()];
        let round = n / posts.len();
        let link = format!("https://blog.example/{}/{}-{round}", slug(&p.member), slug(&p.title));
        let title = format!("{}: {}", p.member, p.title);
        if rss.len() < target {
            let _ = write!(
                rss,
                "\n<item>\n\t<title>{}</title>\n\t<guid isPermaLink=\"false\">{}</guid>\n\t<link>{}</link>\n\t<description>{}</description>\n\t<pubDate>{}</pubDate>\n</item>\n",
                esc(&title), esc(&link), esc(&link), esc(&p.html), rfc822(p.when)
            );
        }
        if atom.len() < target {
            let _ = write!(
                atom,
                "\n<entry>\n\t<title type=\"html\">{}</title>\n\t<link href=\"{}\"/>\n\t<id>{}</id>\n\t<updated>{}</updated>\n\t<author><name>{}</name></author>\n\t<content type=\"html\">{}</content>\n</entry>\n",
                esc(&title), esc(&link), esc(&link), rfc3339(p.when), esc(&p.member), esc(&p.html)
            );
        }
        if rdf.len() < target {
            let _ = write!(
                rdf,
                "\n<item rdf:about=\"{}\">\n\t<title>{}</title>\n\t<link>{}</link>\n\t<dc:creator>{}</dc:creator>\n\t<dc:date>{}</dc:date>\n\t<description>{}</description>\n\t<content:encoded><![CDATA[{}]]></content:encoded>\n</item>\n",
                esc(&link), esc(&title), esc(&link), esc(&p.member), rfc3339(p.when),
                esc(&p.html.chars().take(300).collect::<String>()), p.html.replace("]]>", "]]&gt;")
            );
        }
        n += 1;
    }
    rss.push_str("</channel>\n</rss>\n");
    atom.push_str("</feed>\n");
    rdf.push_str("</rdf:RDF>\n");
    Feeds { rss: rss.into_bytes(), atom: atom.into_bytes(), rdf: rdf.into_bytes(), posts: n }
}

/// `../shared/seeds` from the repository root (the bench runs there), or `$PLANET_SEEDS`.
pub fn seeds_dir() -> std::path::PathBuf {
    if let Ok(d) = std::env::var("PLANET_SEEDS") {
        return d.into();
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds")
}
