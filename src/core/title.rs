//! Who wrote an entry of a Planet: aggregators like Planet Python title every item
//! "Member Blog: Post Title". The popup shows the two apart.
//!
//! A plain blog may also have titles with a colon ("Python: a retrospective"), so the split
//! is made only for feeds that look like a Planet: the feed's title starts with "Planet", or
//! most entries carry a prefix and the prefixes repeat (an aggregator of few sources).

/// The longest member name taken as a prefix; longer text before ": " is part of a title.
const MAX_MEMBER_LEN: usize = 60;

/// Split "Member Blog: Post Title" at the first ": ". `None` when there is no such prefix.
pub fn split_member(title: &str) -> Option<(&str, &str)> {
    let (member, rest) = title.split_once(": ")?;
    let (member, rest) = (member.trim(), rest.trim());
    if member.is_empty() || rest.is_empty() || member.chars().count() > MAX_MEMBER_LEN {
        return None;
    }
    Some((member, rest))
}

/// Whether a feed's entry titles follow the Planet "Member: Title" convention.
pub fn is_planet(feed_title: Option<&str>, entry_titles: &[&str]) -> bool {
    if feed_title.is_some_and(|t| t.trim().to_lowercase().starts_with("planet")) {
        return true;
    }
    // Heuristic for aggregators not named "Planet ...": at least five entries, four in five
    // with a member prefix, and fewer distinct prefixes than prefixed entries.
    let prefixes: Vec<&str> =
        entry_titles.iter().filter_map(|t| split_member(t)).map(|p| p.0).collect();
    if entry_titles.len() < 5 || prefixes.len() * 5 < entry_titles.len() * 4 {
        return false;
    }
    let mut distinct = prefixes.clone();
    distinct.sort_unstable();
    distinct.dedup();
    distinct.len() < prefixes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_at_the_first_colon_only() {
        assert_eq!(
            split_member("Real Python: Polars vs pandas: What's the Difference?"),
            Some(("Real Python", "Polars vs pandas: What's the Difference?"))
        );
        assert_eq!(split_member("No member here"), None);
        assert_eq!(split_member(": empty member"), None);
        assert_eq!(split_member("Trailing: "), None);
    }

    #[test]
    fn a_very_long_prefix_is_not_a_member_name() {
        let long = format!("{}: title", "x".repeat(61));
        assert_eq!(split_member(&long), None);
    }

    #[test]
    fn planets_are_recognised_by_name_or_by_repeated_prefixes() {
        assert!(is_planet(Some("Planet Python"), &[]));
        let aggregated = ["A: 1", "B: 2", "A: 3", "C: 4", "B: 5"];
        assert!(is_planet(Some("Python aggregated"), &aggregated));
        // A blog whose posts happen to contain colons, each prefix different: not a Planet.
        let blog = ["Python: one", "Rust: two", "Go: three", "Zig: four", "C: five"];
        assert!(!is_planet(Some("My blog"), &blog));
        assert!(!is_planet(None, &["A: 1", "A: 2"]));
    }
}
