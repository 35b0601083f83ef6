//! Fuzz `core::opml::read_opml` with arbitrary files, and the round trip through
//! `write_opml`. The oracle checks the import's promises: every feed URL is one a user could
//! type (`core::discovery::user_url`), every site link `http(s)`, titles and folder paths
//! capped, at most `MAX_OUTLINES` feeds and `MAX_PROBLEMS` + 2 problems, and an export of
//! the import reads back as the same feeds.

#![no_main]

use libfuzzer_sys::fuzz_target;
use planet_reader::core::caps;
use planet_reader::core::discovery::user_url;
use planet_reader::core::opml::{read_opml, write_opml, MAX_OUTLINES, MAX_PROBLEMS};

fuzz_target!(|data: &[u8]| {
    let Ok(import) = read_opml(data) else { return };
    assert!(import.feeds.len() <= MAX_OUTLINES);
    assert!(import.problems.len() <= MAX_PROBLEMS + 2);
    for f in &import.feeds {
        assert!(user_url(&f.xml_url).is_some(), "{:?}", f.xml_url);
        if let Some(h) = &f.html_url {
            assert!(user_url(h).is_some(), "{h:?}");
        }
        assert!(f.title.as_ref().is_none_or(|t| t.chars().count() <= caps::USER_TITLE));
        assert!(f.folder.as_ref().is_none_or(|t| t.chars().count() <= caps::FOLDER));
    }
    let title = import.title.as_deref().unwrap_or("");
    assert!(title.chars().count() <= caps::USER_TITLE);
    // The export groups feeds by folder, so the order may change; the feeds may not.
    let back = read_opml(write_opml(&import.feeds, title, "d").as_bytes()).expect("own export");
    let urls = |feeds: &[planet_reader::core::opml::OpmlFeed]| {
        let mut urls: Vec<String> = feeds.iter().map(|f| f.xml_url.clone()).collect();
        urls.sort();
        urls
    };
    assert_eq!(urls(&back.feeds), urls(&import.feeds));
});
