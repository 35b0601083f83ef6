//! Stable identities: of entries without a guid, of feeds, of URLs.
//!
//! The hash is FNV-1a (64 bit), written out here rather than taken from `std`, because
//! `std`'s hashers promise nothing about stability across Rust versions and these values
//! are stored and synced: they must be equal across runs, versions and machines.

/// FNV-1a, 64 bit.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// A 16-hex-digit stable hash of `bytes`.
pub fn short_hash(bytes: &[u8]) -> String {
    format!("{:016x}", fnv1a64(bytes))
}

/// A URL in a canonical form for comparing subscriptions: scheme and host lower-cased (the
/// `url` crate does that), default port and fragment dropped. Not a URL → trimmed as is.
pub fn normalize_url(raw: &str) -> String {
    match url::Url::parse(raw.trim()) {
        Ok(mut u) => {
            u.set_fragment(None);
            u.to_string()
        }
        Err(_) => raw.trim().to_string(),
    }
}

/// The longest guid kept as an entry's id: a longer one (real ids are URLs or tags, well
/// under 200 bytes) is stored as its hash, so no feed makes every stored id huge.
pub const MAX_ID_BYTES: usize = 1024;

/// An entry's identity: its guid/id when the feed gives one (hashed when longer than
/// [`MAX_ID_BYTES`]), else a stable hash of its link and title (so an entry without a guid
/// keeps its identity across fetches).
pub fn entry_id(source_id: Option<&str>, link: Option<&str>, title: Option<&str>) -> String {
    match source_id.map(str::trim).filter(|s| !s.is_empty()) {
        Some(id) if id.len() > MAX_ID_BYTES => format!("long:{}", short_hash(id.as_bytes())),
        Some(id) => id.to_string(),
        None => {
            let key = format!("{}\n{}", link.unwrap_or("").trim(), title.unwrap_or("").trim());
            format!("hash:{}", short_hash(key.as_bytes()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_matches_the_published_test_vectors() {
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn entry_id_prefers_the_guid_and_else_hashes_link_and_title() {
        assert_eq!(entry_id(Some(" tag:x,2025:1 "), Some("http://x/1"), None), "tag:x,2025:1");
        let a = entry_id(None, Some("http://x/1"), Some("One"));
        assert_eq!(a, entry_id(Some("  "), Some("http://x/1"), Some("One")));
        assert_ne!(a, entry_id(None, Some("http://x/1"), Some("Two")));
        // Pinned: the value is stored and synced, so it must never change.
        assert_eq!(a, "hash:".to_string() + &short_hash(b"http://x/1\nOne"));
    }

    #[test]
    fn urls_normalize_case_port_and_fragment() {
        assert_eq!(
            normalize_url("HTTPS://PlanetPython.org:443/rss20.xml#top"),
            "https://planetpython.org/rss20.xml"
        );
    }
}
