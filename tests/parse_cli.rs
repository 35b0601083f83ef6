//! The `parse-feed` command keeps the contract of shared/conformance/SCHEMA.md.

use std::process::Command;

fn run(args: &[&str]) -> Vec<serde_json::Value> {
    let out = Command::new(env!("CARGO_BIN_EXE_parse-feed")).args(args).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect()
}

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/feeds/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn one_json_line_per_file_in_order_with_errors_in_place() {
    let docs = run(&[
        &fixture("planet_python_rss20.xml"),
        &fixture("html_page.html"),
        &fixture("atom_blog.xml"),
    ]);
    assert_eq!(docs.len(), 3);
    assert_eq!(docs[0]["version"], "rss20");
    assert_eq!(docs[0]["entries"][0]["published"], "2025-10-15T14:00:00Z");
    assert!(docs[0]["entries"][0]["author"].is_null(), "missing values are null, not omitted");
    assert_eq!(docs[1]["error"], "this is an HTML page, not a feed");
    assert_eq!(docs[2]["version"], "atom10");
    assert_eq!(docs[2]["entries"][0]["enclosures"][0]["length"], 1_234_567);
}

#[test]
fn url_and_headers_set_the_base_and_the_charset() {
    let docs = run(&[
        "--url",
        "http://127.0.0.1:8097/feeds/x.xml",
        "--header",
        "Content-Location: http://example.com/base/",
        "--header",
        "Content-Type: text/xml; charset=windows-1252",
        &fixture("windows1252_cafe.xml"),
    ]);
    assert_eq!(docs[0]["feed"]["title"], "Caf\u{e9} \u{201c}quotes\u{201d} \u{2014} \u{20ac}5");
    let docs =
        run(&["--url", "https://planetpython.org/rss20.xml", &fixture("planet_python_rss20.xml")]);
    let summary = docs[0]["entries"][0]["summary"].as_str().unwrap();
    assert!(summary.contains("https://planetpython.org/static/polars.png"), "{summary}");
    assert!(!summary.contains("target="), "links as the feed wrote them: {summary}");
}

#[test]
fn dates_alone() {
    assert_eq!(run(&["--date", "Thu, 01 Jan 2004 19:48:21 GMT"])[0], "2004-01-01T19:48:21Z");
    assert!(run(&["--date", "not a date"])[0].is_null());
}
