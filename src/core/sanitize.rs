//! HTML sanitizing: what feed markup may do inside Planet Reader's popup.
//!
//! Feed HTML is written by strangers and shown inside the extension's own page (the popup,
//! at `chrome-extension://…`), so it is cleaned with [ammonia] (an HTML5 parser, then an
//! allow-list) before it is stored. Parsing and sanitizing are apart: `core::parse` returns
//! markup untouched in a [`crate::core::model::Text`], and [`Text::to_safe_html`] calls
//! [`sanitize_html`] when an entry is new or changed.
//!
//! [`Text::to_safe_html`]: crate::core::model::Text::to_safe_html
//!
//! # The policy
//!
//! It starts from feedparser's (the reference the conformance corpus checks) and is stricter
//! where the popup needs it. Each rule, and why:
//!
//! | rule | why |
//! |---|---|
//! | No `script`, `style`, `applet` — element *and content* removed | code and page-wide CSS |
//! | No `iframe`, `object`, `embed`, `frame`, `meta`, `link`, `base`, `svg`, `math`: the element goes, its text stays | active content, navigation, re-basing; SVG/MathML are not needed in a reader and SVG has had many sanitizer bypasses |
//! | No `form` (its controls stay, inert) | a form is the only way markup can send what a user types to another site |
//! | No `dialog` | `<dialog open>` is positioned over the page by the browser's own stylesheet |
//! | No `keygen` | obsolete, removed from browsers |
//! | No `on*` event handler, no attribute outside the allow-list ([`ATTRIBUTES`]) | script |
//! | No `id`, `name`, `class` | they would match the popup's own CSS selectors and DOM ids (an entry could restyle or clobber the popup's elements) |
//! | No `accesskey`, `autofocus`, `ping` | keyboard and focus hijacking; tracking pings on click |
//! | URLs: the policy of `core::urls`, tested after resolution: `http`/`https` only, plus `mailto` in `href`; a refused URL is emptied | script (`javascript:`, `vbscript:`), spoofed content (`data:`), local files and browser pages (`file:`, `chrome:`) |
//! | Relative URLs resolved against the entry's base (`xml:base`, else the feed URL), then checked; a base that is not `http(s)` is no base | the popup lives at `chrome-extension://`: a relative image must not resolve there, and a `javascript:` base must not make a relative link a script |
//! | Remote content: images (`http(s)`, a video's `poster` included) load when an entry opens; media (`audio`, `video`, `source`) stays but inert (`src` emptied); `background`, `dynsrc`, `lowsrc` emptied; no `srcset`, `ping`, `autoplay` (see [`loads_remote_content`]) | nothing else tells the feed's author, or a tracker, when the entry is read; the popup's CSP (`img-src 'self' http: https:; media-src 'none'`) enforces it again |
//! | `style`: only the properties in [`CSS_PROPERTIES`], and `background*`, `border*`, `margin*`, `padding*` with plain keyword/length/colour values; no `url()`, no `position`, `z-index`, `top`/`left`…, no negative margins, nothing with comments, escapes or functions other than `rgb()` | nothing can be laid over the popup, load a tracker from CSS, or escape the entry's box |
//! | Links are stored as written; the popup opens them in a new tab, with `target="_blank" rel="noopener noreferrer"` set when it shows an entry (and clicks handled by `tabs.create`) | the opened page gets no handle on the popup and no referrer; stored HTML stays comparable, markup for markup, with other sanitizers' (the conformance corpus) |
//!
//! With no base URL at all (the command-line parser without `--url`), relative URLs are
//! kept as written; the extension always knows the feed's URL.
//!
//! Because the input is parsed as HTML5 (as the browser will when the popup inserts it),
//! broken markup comes out repaired the way the browser would repair it: unclosed tags
//! closed, stray table parts (`<td>` outside a `<table>`) dropped, comments removed.

use super::html_budget;
use super::urls::{self, UrlUse};
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashSet;
use url::Url;

/// Elements kept (feedparser's list, less `form`, `keygen`, `dialog`).
pub const ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "acronym",
    "address",
    "area",
    "article",
    "aside",
    "audio",
    "b",
    "big",
    "blockquote",
    "br",
    "button",
    "canvas",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "command",
    "datagrid",
    "datalist",
    "dd",
    "del",
    "details",
    "dfn",
    "dir",
    "div",
    "dl",
    "dt",
    "em",
    "event-source",
    "fieldset",
    "figcaption",
    "figure",
    "font",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "i",
    "img",
    "input",
    "ins",
    "kbd",
    "label",
    "legend",
    "li",
    "m",
    "map",
    "menu",
    "meter",
    "multicol",
    "nav",
    "nextid",
    "noscript",
    "ol",
    "optgroup",
    "option",
    "output",
    "p",
    "pre",
    "progress",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "section",
    "select",
    "small",
    "sound",
    "source",
    "spacer",
    "span",
    "strike",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "tt",
    "u",
    "ul",
    "var",
    "video",
];

/// Attributes kept on any kept element (feedparser's list, less `id`, `name`, `class`,
/// `accesskey`, `autofocus`, `ping`). `style` is kept only after [`clean_style`].
pub const ATTRIBUTES: &[&str] = &[
    "abbr",
    "accept",
    "accept-charset",
    "action",
    "align",
    "alt",
    "autocomplete",
    "axis",
    "background",
    "balance",
    "bgcolor",
    "bgproperties",
    "border",
    "bordercolor",
    "bordercolordark",
    "bordercolorlight",
    "bottompadding",
    "cellpadding",
    "cellspacing",
    "ch",
    "challenge",
    "char",
    "charoff",
    "charset",
    "checked",
    "choff",
    "cite",
    "clear",
    "color",
    "cols",
    "colspan",
    "compact",
    "contenteditable",
    "controls",
    "coords",
    "data",
    "datafld",
    "datapagesize",
    "datasrc",
    "datetime",
    "default",
    "delay",
    "dir",
    "disabled",
    "draggable",
    "dynsrc",
    "enctype",
    "end",
    "face",
    "for",
    "form",
    "frame",
    "galleryimg",
    "gutter",
    "headers",
    "height",
    "hidden",
    "hidefocus",
    "high",
    "href",
    "hreflang",
    "hspace",
    "icon",
    "inputmode",
    "ismap",
    "keytype",
    "label",
    "lang",
    "leftspacing",
    "list",
    "longdesc",
    "loop",
    "loopcount",
    "loopend",
    "loopstart",
    "low",
    "lowsrc",
    "max",
    "maxlength",
    "media",
    "method",
    "min",
    "multiple",
    "nohref",
    "noshade",
    "nowrap",
    "open",
    "optimum",
    "pattern",
    "point-size",
    "poster",
    "pqg",
    "preload",
    "prompt",
    "radiogroup",
    "readonly",
    "rel",
    "repeat-max",
    "repeat-min",
    "replace",
    "required",
    "rev",
    "rightspacing",
    "rows",
    "rowspan",
    "rules",
    "scope",
    "selected",
    "shape",
    "size",
    "span",
    "src",
    "start",
    "step",
    "style",
    "summary",
    "suppress",
    "tabindex",
    "target",
    "template",
    "title",
    "toppadding",
    "type",
    "unselectable",
    "urn",
    "usemap",
    "valign",
    "value",
    "variable",
    "volume",
    "vrml",
    "vspace",
    "width",
    "wrap",
    "xml:lang",
];

/// Schemes ammonia is told to let through to the attribute filter, which decides by the URL
/// policy of `core::urls` after resolving (and empties a refused URL, as feedparser does,
/// rather than dropping the attribute). ammonia itself drops an absolute URL of any other
/// scheme. What passes the filter is only `http`, `https` and, in `href`, `mailto`.
const SCHEMES_TO_FILTER: &[&str] = &[
    "http",
    "https",
    "mailto",
    "ftp",
    "ftps",
    "sftp",
    "irc",
    "ircs",
    "magnet",
    "news",
    "nntp",
    "tel",
    "xmpp",
    "feed",
    "webcal",
    "geo",
    "sip",
    "sips",
    "sms",
    "git",
    "ssh",
    "javascript",
    "vbscript",
    "data",
    "file",
    "about",
    "blob",
    "chrome",
    "chrome-extension",
    "moz-extension",
    "view-source",
];

/// Attributes holding a URL. ammonia checks only `href`, `src` and a few more; old
/// browsers load `background`, `dynsrc`, `lowsrc` too, so all of them are checked here.
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "background",
    "cite",
    "data",
    "datasrc",
    "dynsrc",
    "formaction",
    "icon",
    "longdesc",
    "lowsrc",
    "poster",
    "usemap",
    "vrml",
];

/// The remote-content policy: what an entry may load when it is opened is its images
/// (`<img src>`, `<input type="image" src>`, a video's `poster`, which is its placeholder),
/// over `http(s)`. Media (`<audio>`, `<video>`, `<source>`) is kept but inert, its `src`
/// emptied (the post opens in a tab to play it), and the old attributes that load images
/// behind the reader's back are emptied wherever they are: `background`, `dynsrc`,
/// `lowsrc`. (`srcset`, `ping`, `autoplay`, `preload` has nothing to load, and `style` URLs
/// never pass the allow-lists.) The popup's CSP says the same: `img-src 'self' http:
/// https:`, `media-src 'none'`.
fn loads_remote_content(element: &str, attribute: &str) -> bool {
    match attribute {
        "background" | "dynsrc" | "lowsrc" => true,
        "src" => matches!(element, "audio" | "video" | "source"),
        _ => false,
    }
}

/// A URL attribute's value by the URL policy: resolved against the entry's base, then
/// checked (a link may be `mailto:`; everything else must be `http(s)`). A refused URL is
/// emptied; an empty one stays empty rather than pointing at the base.
fn clean_url<'v>(attribute: &str, value: &'v str) -> Cow<'v, str> {
    if value.trim().is_empty() {
        return Cow::Borrowed("");
    }
    let use_ = if attribute == "href" { UrlUse::Link } else { UrlUse::Web };
    match BASE.with(|b| urls::resolve(value, b.borrow().as_ref(), use_)) {
        Some(v) if v == value => Cow::Borrowed(value),
        Some(v) => Cow::Owned(v),
        None => Cow::Borrowed(""),
    }
}

/// CSS properties kept with any value that passes the character check.
pub const CSS_PROPERTIES: &[&str] = &[
    "azimuth",
    "background-color",
    "border-bottom-color",
    "border-collapse",
    "border-color",
    "border-left-color",
    "border-right-color",
    "border-top-color",
    "clear",
    "color",
    "cursor",
    "direction",
    "display",
    "elevation",
    "float",
    "font",
    "font-family",
    "font-size",
    "font-style",
    "font-variant",
    "font-weight",
    "height",
    "letter-spacing",
    "line-height",
    "overflow",
    "pause",
    "pause-after",
    "pause-before",
    "pitch",
    "pitch-range",
    "richness",
    "speak",
    "speak-header",
    "speak-numeral",
    "speak-punctuation",
    "speech-rate",
    "stress",
    "text-align",
    "text-decoration",
    "text-indent",
    "unicode-bidi",
    "vertical-align",
    "voice-family",
    "volume",
    "white-space",
    "width",
];

/// Keywords allowed as values of `background*`, `border*`, `margin*`, `padding*`.
const CSS_KEYWORDS: &[&str] = &[
    "!important",
    "aqua",
    "auto",
    "black",
    "block",
    "blue",
    "bold",
    "both",
    "bottom",
    "brown",
    "center",
    "collapse",
    "dashed",
    "dotted",
    "fuchsia",
    "gray",
    "green",
    "italic",
    "left",
    "lime",
    "maroon",
    "medium",
    "navy",
    "none",
    "normal",
    "nowrap",
    "olive",
    "pointer",
    "purple",
    "red",
    "right",
    "silver",
    "solid",
    "teal",
    "top",
    "transparent",
    "underline",
    "white",
    "yellow",
];

thread_local! {
    /// The base URL of the value being cleaned, read by the relative-URL rewriter (ammonia's
    /// policy object is built once per thread and reused; only the base changes per call).
    static BASE: RefCell<Option<Url>> = const { RefCell::new(None) };
    static POLICY: ammonia::Builder<'static> = policy();
}

fn policy() -> ammonia::Builder<'static> {
    let mut b = ammonia::Builder::empty();
    b.tags(ELEMENTS.iter().copied().collect::<HashSet<_>>())
        .clean_content_tags(["script", "style", "applet"].into_iter().collect())
        .generic_attributes(ATTRIBUTES.iter().copied().collect())
        // ammonia checks schemes *before* it resolves relative URLs; the attribute filter
        // below resolves first and then checks, for more attributes than ammonia knows to
        // be URLs. What reaches ammonia's own resolution is already absolute (or relative
        // with no base at all, kept as written).
        .url_schemes(SCHEMES_TO_FILTER.iter().copied().collect())
        .strip_comments(true)
        .link_rel(None)
        .url_relative(ammonia::UrlRelative::PassThrough)
        .attribute_filter(|element, attribute, value| {
            if attribute == "style" {
                let clean = clean_style(value);
                return (!clean.is_empty()).then_some(Cow::Owned(clean));
            }
            if loads_remote_content(element, attribute) {
                return Some(Cow::Borrowed(""));
            }
            if URL_ATTRIBUTES.contains(&attribute) {
                return Some(clean_url(attribute, value));
            }
            Some(Cow::Borrowed(value))
        });
    b
}

/// Escape text for use inside HTML (element content or a quoted attribute).
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// Sanitize feed HTML by the policy above, resolving relative URLs against `base`.
pub fn sanitize_html(html: &str, base: Option<&str>) -> String {
    let prepared = prepare(html);
    let html = html_budget::bound(&prepared);
    BASE.with(|b| *b.borrow_mut() = base.and_then(|s| urls::parse(s.trim(), None, UrlUse::Web)));
    let out = POLICY.with(|p| p.clean(&html).to_string());
    BASE.with(|b| *b.borrow_mut() = None);
    out.trim().to_string()
}

/// Bring markup to the reading feedparser (and a careful reader) gives it before the HTML5
/// parser sees it:
/// - `<![CDATA[` is text, not a section (feedparser's rule);
/// - `</br>` is dropped (HTML5 would read it as a second `<br>`);
/// - `<iframe>` is renamed so that its content is parsed as markup: the element is removed
///   anyway, and its fallback markup is what the reader should see;
/// - `<svg>` and `<math>` are renamed too: they are removed anyway, and without them there
///   is no foreign content, whose parsing depends on the tree (what `core::html_budget`
///   needs to read markup as the parser will);
/// - `<!` that starts neither a comment nor a complete declaration is text (`&lt;!`);
/// - a comment with no `-->` ends at the first `--…>`, rather than swallowing the rest.
fn prepare(html: &str) -> Cow<'_, str> {
    const RENAMED: [&[u8]; 3] = [b"iframe", b"svg", b"math"];
    let b = html.as_bytes();
    let renamed = |rest: &[u8]| RENAMED.iter().find(|name| starts_with_ci(rest, name));
    let special = |i: usize| -> bool {
        let rest = &b[i + 1..];
        rest.first() == Some(&b'!')
            || starts_with_ci(rest, b"/br")
            || renamed(rest).is_some()
            || rest.first() == Some(&b'/') && renamed(&rest[1..]).is_some()
    };
    if !memchr::memchr_iter(b'<', b).any(special) {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len() + 16);
    let mut i = 0;
    // Where the next `-->` is, once looked for (the search is not repeated for every
    // comment, which would be quadratic in comments without one).
    let mut next_close: Option<Option<usize>> = None;
    while let Some(j) = html[i..].find('<') {
        let at = i + j;
        out.push_str(&html[i..at]);
        let rest = &html[at..];
        let rb = rest.as_bytes();
        if rest.starts_with("<![CDATA[") {
            out.push_str("&lt;![CDATA[");
            i = at + 9;
        } else if let Some(body) = rest.strip_prefix("<!--") {
            let close = match next_close {
                Some(Some(c)) if c >= at + 4 => Some(c),
                Some(None) => None,
                _ => html[at + 4..].find("-->").map(|k| at + 4 + k),
            };
            next_close = Some(close);
            match close.map(|c| c - at - 4) {
                Some(k) => {
                    out.push_str(&rest[..4 + k + 3]);
                    i = at + 4 + k + 3;
                }
                None => {
                    match body.find("--").and_then(|k| body[k..].find('>').map(|g| 4 + k + g)) {
                        Some(gt) => {
                            out.push_str(&rest[..gt]);
                            out.push_str("-->");
                            i = at + gt + 1;
                        }
                        None => {
                            out.push_str(rest);
                            i = html.len();
                        }
                    }
                }
            }
        } else if rest.starts_with("<!") {
            let decl_end = rest.get(2..).and_then(|d| d.find(['>', '<'])).map(|k| 2 + k);
            let complete = rb.get(2).is_some_and(u8::is_ascii_alphabetic)
                && decl_end.is_some_and(|e| rb[e] == b'>');
            match decl_end {
                Some(e) if complete => {
                    out.push_str(&rest[..=e]);
                    i = at + e + 1;
                }
                _ => {
                    out.push_str("&lt;!");
                    i = at + 2;
                }
            }
        } else if starts_with_ci(&rb[1..], b"/br")
            && rb.get(4).is_none_or(|c| !c.is_ascii_alphanumeric())
        {
            i = at + rest.find('>').map_or(rest.len(), |g| g + 1);
        } else if renamed(&rb[1..]).is_some() {
            out.push_str("<x-");
            i = at + 1;
        } else if rb.get(1) == Some(&b'/') && renamed(&rb[2..]).is_some() {
            out.push_str("</x-");
            i = at + 2;
        } else {
            out.push('<');
            i = at + 1;
        }
    }
    out.push_str(&html[i..]);
    Cow::Owned(out)
}

/// Where `needle` (lower-case ASCII, starting with `<`) first occurs in `hay`, in any case.
fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memchr_iter(b'<', hay).find(|&i| starts_with_ci(&hay[i..], needle))
}

fn starts_with_ci(s: &[u8], prefix: &[u8]) -> bool {
    s.len() >= prefix.len() && s[..prefix.len()].eq_ignore_ascii_case(prefix)
}

/// Runs of white space as one space, trimmed.
pub fn collapse_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The text of an HTML fragment on one line: tags dropped (with `script`/`style`
/// content), references decoded, white space collapsed. For titles.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find(['<', '&']) {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        if rest.starts_with('<') {
            let lower = rest.get(..8).unwrap_or(rest).to_ascii_lowercase();
            let skip_to = if lower.starts_with("<script") {
                Some("</script")
            } else if lower.starts_with("<style") {
                Some("</style")
            } else {
                None
            };
            if let Some(end_tag) = skip_to {
                rest = match find_ci(rest.as_bytes(), end_tag.as_bytes()) {
                    Some(j) => &rest[j..],
                    None => "",
                };
            }
            match rest.find('>') {
                Some(j) => {
                    // Block elements and line breaks separate words; inline ones do not.
                    let name = rest[1..j].trim_start_matches('/');
                    let name =
                        name.split(|c: char| !c.is_ascii_alphanumeric()).next().unwrap_or("");
                    if BLOCKS.iter().any(|b| b.eq_ignore_ascii_case(name)) {
                        out.push(' ');
                    }
                    rest = &rest[j + 1..];
                }
                None => rest = "",
            }
        } else {
            let end = rest[1..].find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'));
            match end {
                Some(j) if rest.as_bytes()[j + 1] == b';' => {
                    let name = &rest[1..j + 1];
                    match decode_reference(name) {
                        Some(c) => out.push(c),
                        None => out.push_str(&rest[..j + 2]),
                    }
                    rest = &rest[j + 2..];
                }
                _ => {
                    out.push('&');
                    rest = &rest[1..];
                }
            }
        }
    }
    out.push_str(rest);
    collapse_whitespace(&out)
}

/// Elements whose boundaries separate words in [`html_to_text`].
const BLOCKS: &[&str] = &[
    "br",
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "td",
    "th",
    "table",
    "blockquote",
    "pre",
    "hr",
    "section",
    "article",
    "header",
    "footer",
    "figure",
    "figcaption",
    "img",
];

fn decode_reference(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        return crate::core::parse::xml::char_ref(num);
    }
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => crate::core::parse::html_entity(name),
    }
}

/// Clean a `style` attribute by the CSS rules of the policy; `""` when nothing is left.
pub fn clean_style(style: &str) -> String {
    let style = strip_css_urls(style);
    if !css_gauntlet(&style) {
        return String::new();
    }
    let mut clean: Vec<String> = Vec::new();
    for decl in style.split(';') {
        if decl.trim().is_empty() {
            continue;
        }
        let Some((prop, value)) = decl.split_once(':') else { return String::new() };
        let prop = prop.trim();
        if prop.is_empty()
            || !prop.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_')
            || value.contains(':')
        {
            return String::new();
        }
        // Trailing space is kept, as feedparser keeps it (`border: medium none ;`).
        let value = value.trim_start();
        if value.is_empty() {
            continue;
        }
        let lower = prop.to_ascii_lowercase();
        let family = lower.split('-').next().unwrap_or("");
        if CSS_PROPERTIES.contains(&lower.as_str())
            || (matches!(family, "background" | "border" | "margin" | "padding")
                && value.split_whitespace().all(|k| CSS_KEYWORDS.contains(&k) || css_value(k)))
        {
            clean.push(format!("{prop}: {value};"));
        }
    }
    clean.join(" ")
}

/// Remove `url(...)` (a tracker or a local file) from a style value.
fn strip_css_urls(style: &str) -> Cow<'_, str> {
    let lower = style.to_ascii_lowercase();
    if !lower.contains("url") {
        return Cow::Borrowed(style);
    }
    let mut out = String::with_capacity(style.len());
    let mut i = 0;
    while let Some(j) = lower[i..].find("url") {
        let at = i + j;
        let after = lower[at + 3..].trim_start();
        if after.starts_with('(') {
            let open = lower.len() - after.len();
            if let Some(close) = lower[open..].find(')') {
                out.push_str(&style[i..at]);
                out.push(' ');
                i = open + close + 1;
                i += style[i..].len() - style[i..].trim_start().len();
                continue;
            }
        }
        out.push_str(&style[i..at + 3]);
        i = at + 3;
    }
    out.push_str(&style[i..]);
    Cow::Owned(out)
}

/// feedparser's character check: letters, digits, white space and `:,;#%.!`, hyphens
/// between word characters, quoted words, and parenthesised lists of numbers.
fn css_gauntlet(s: &str) -> bool {
    let b = s.as_bytes();
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_alphanumeric()
            || c.is_ascii_whitespace()
            || b":,;#%.!".contains(&c)
            || c >= 0x80
        {
            // (Non-ASCII counts as a word character: feedparser's `\w` is Unicode.)
            i += 1;
        } else if c == b'-' && i > 0 && word(b[i - 1]) && b.get(i + 1).is_some_and(|&n| word(n)) {
            i += 1;
        } else if c == b'\'' || c == b'"' {
            let close = b[i + 1..].iter().position(|&x| x == c);
            match close {
                Some(n)
                    if n > 0
                        && b[i + 1..i + 1 + n]
                            .iter()
                            .all(|&x| word(x) || x.is_ascii_whitespace()) =>
                {
                    i += n + 2
                }
                _ => return false,
            }
        } else if c == b'(' {
            let close = b[i + 1..].iter().position(|&x| x == b')');
            match close {
                Some(n)
                    if n > 0
                        && b[i + 1..i + 1 + n].iter().all(|&x| {
                            x.is_ascii_digit() || x == b',' || x.is_ascii_whitespace()
                        }) =>
                {
                    i += n + 2
                }
                _ => return false,
            }
        } else {
            return false;
        }
    }
    true
}

/// A colour (`#abc`, `rgb(…)`) or a small length (`12px`, `1.5em`, `50%`, `0`).
fn css_value(k: &str) -> bool {
    if let Some(hex) = k.strip_prefix('#') {
        return !hex.is_empty() && hex.bytes().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f'));
    }
    if let Some(args) = k.strip_prefix("rgb(") {
        return args.bytes().all(|c| c.is_ascii_digit() || matches!(c, b'%' | b',' | b')'));
    }
    let num_len = k.bytes().take_while(|c| c.is_ascii_digit() || *c == b'.').count();
    let (num, unit) = k.split_at(num_len);
    let mut parts = num.split('.');
    let int_ok = parts.next().is_some_and(|p| p.len() <= 2);
    let frac_ok = parts.next().is_none_or(|p| p.len() <= 2);
    int_ok
        && frac_ok
        && parts.next().is_none()
        && matches!(
            unit,
            "" | "cm" | "em" | "ex" | "in" | "mm" | "pc" | "pt" | "px" | "%" | "," | ")"
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_handlers_and_script_urls_are_removed() {
        let out = sanitize_html(
            r#"<p onclick="x()">hi<script>alert(1)</script><a href="javascript:alert(1)">x</a><img src="a.png" onerror="y()"></p>"#,
            Some("https://blog.test/post/"),
        );
        assert!(!out.contains("script") && !out.contains("onclick") && !out.contains("onerror"));
        assert!(!out.contains("javascript:"));
        assert!(out.contains(r#"<a href="" "#) || out.contains(r#"<a href="">"#), "{out}");
        assert!(out.contains(r#"<img src="https://blog.test/post/a.png">"#), "{out}");
    }

    #[test]
    fn links_are_kept_as_written_and_resolved() {
        // Nothing is added: target/rel are set by the popup (over whatever the feed wrote)
        // when it shows an entry.
        let out = sanitize_html(r#"<a href="/x">x</a>"#, Some("https://blog.test/a/"));
        assert_eq!(out, r#"<a href="https://blog.test/x">x</a>"#);
    }

    #[test]
    fn forms_frames_dialogs_and_popup_selectors_are_dropped() {
        let out = sanitize_html(
            r#"<form action="https://evil.test/"><input name="pw" type="password"></form><iframe src="https://evil.test/"></iframe><dialog open>over</dialog><div id="app" class="overlay">t</div>"#,
            None,
        );
        assert!(!out.contains("<form") && !out.contains("iframe") && !out.contains("<dialog"));
        assert!(!out.contains("id=") && !out.contains("class=") && !out.contains("name="));
        assert!(out.contains("over") && out.contains("<div>t</div>"), "{out}");
    }

    #[test]
    fn style_cannot_position_or_load() {
        assert_eq!(
            clean_style("display:block; position:absolute; z-index:9; top:0; background-image:url(http://t/x.gif); color: red"),
            "display: block; color: red;"
        );
        assert_eq!(clean_style("margin: -1000px"), "");
        assert_eq!(clean_style("margin: 0 auto"), "margin: 0 auto;");
        assert_eq!(clean_style("color: expression(alert(1))"), "");
        assert_eq!(clean_style("width: 100px; /* */"), "");
    }

    #[test]
    fn titles_become_one_line_of_text() {
        assert_eq!(
            html_to_text("<b>Caf&eacute;</b>\n &amp; <i>bar</i><script>x</script>"),
            "Café & bar"
        );
        assert_eq!(html_to_text("Why <code>pyproject.toml</code>?"), "Why pyproject.toml?");
        assert_eq!(html_to_text("<p>one</p><p>two<br>three</p>"), "one two three");
        assert_eq!(escape_text("a<b>&\""), "a&lt;b&gt;&amp;&quot;");
    }
}
