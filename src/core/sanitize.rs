//! HTML sanitizing (placeholder until the parser issue lands; see issue 3).

pub fn escape_text(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

pub fn sanitize_html(html: &str, base: Option<&str>) -> String {
    let _ = base;
    escape_text(html)
}

pub fn collapse_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub fn html_to_text(html: &str) -> String {
    collapse_whitespace(html)
}
