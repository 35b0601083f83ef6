//! What the sanitizer promises about its output, checked on the output alone (the oracle of
//! `tests/hostile.rs` and of the fuzz targets, which include this file by path).
//!
//! The output is read as the popup's browser will read it (html5ever's tokenizer, the
//! WHATWG URL parser) and must hold no script or active element, no event handler or
//! attribute outside the policy, and no URL outside the policy of `core::urls`: `href` is
//! empty or `http`/`https`/`mailto`, every other URL attribute empty or `http`/`https`,
//! media `src` and `background`/`dynsrc`/`lowsrc` empty. With `relative_ok` (no
//! base was given), a relative URL is allowed too.
#![allow(dead_code)]

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer};
use std::cell::RefCell;

#[rustfmt::skip]
const FORBIDDEN_ELEMENTS: &[&str] = &[
    "script", "style", "iframe", "object", "embed", "frame", "frameset", "meta", "link", "base",
    "svg", "math", "form", "dialog", "applet", "keygen", "template",
];
/// Attributes that would do what the policy forbids (script, tracking, clobbering, loads).
#[rustfmt::skip]
const FORBIDDEN_ATTRIBUTES: &[&str] = &[
    "id", "name", "class", "srcset", "ping", "autoplay", "formaction", "xlink:href",
    "accesskey", "autofocus", "xmlns", "codebase", "classid", "archive", "manifest",
];
/// Attributes a browser loads, navigates to or reads as a URL (a superset of the
/// sanitizer's own list, on purpose).
#[rustfmt::skip]
const URL_ATTRIBUTES: &[&str] = &[
    "href", "src", "action", "background", "cite", "data", "dynsrc", "longdesc", "lowsrc",
    "poster", "usemap", "profile", "icon", "itemtype", "itemid", "datasrc", "vrml",
];

struct Sink {
    relative_ok: bool,
    problems: RefCell<Vec<String>>,
    /// Elements open now, and the most open at once.
    depth: RefCell<(usize, usize)>,
}

impl Sink {
    fn url_ok(&self, element: &str, attribute: &str, value: &str) -> bool {
        let value = value.trim_matches(|c: char| c <= ' ');
        if value.is_empty() {
            return true;
        }
        let inert = matches!(attribute, "background" | "dynsrc" | "lowsrc")
            || (attribute == "src" && matches!(element, "audio" | "video" | "source"));
        if inert {
            return false;
        }
        match url::Url::parse(value) {
            Ok(u) => {
                matches!(u.scheme(), "http" | "https")
                    || (attribute == "href" && u.scheme() == "mailto")
            }
            Err(url::ParseError::RelativeUrlWithoutBase) => self.relative_ok,
            Err(_) => false,
        }
    }
}

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let Token::TagToken(tag) = token else { return TokenSinkResult::Continue };
        let name = &*tag.name;
        let void = VOID.contains(&name);
        let mut depth = self.depth.borrow_mut();
        if tag.kind != TagKind::StartTag {
            if !void {
                depth.0 = depth.0.saturating_sub(1);
            }
            return TokenSinkResult::Continue;
        }
        if !void {
            depth.0 += 1;
            depth.1 = depth.1.max(depth.0);
        }
        let mut problems = self.problems.borrow_mut();
        if FORBIDDEN_ELEMENTS.contains(&name) {
            problems.push(format!("element <{name}>"));
        }
        for a in &tag.attrs {
            let key = &*a.name.local;
            let value = &*a.value;
            if key.starts_with("on") || FORBIDDEN_ATTRIBUTES.contains(&key) {
                problems.push(format!("attribute {key} on <{name}>"));
            }
            if URL_ATTRIBUTES.contains(&key) && !self.url_ok(name, key, value) {
                problems.push(format!("URL {key}={value:?} on <{name}>"));
            }
            if key == "style" {
                let lower = value.to_ascii_lowercase();
                if ["url(", "expression", "@import", "\\"].iter().any(|b| lower.contains(b)) {
                    problems.push(format!("style {value:?} on <{name}>"));
                }
            }
        }
        // As the browser's tree builder would tell the tokenizer.
        match name {
            "script" => TokenSinkResult::RawData(RawKind::ScriptData),
            "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => {
                TokenSinkResult::RawData(RawKind::Rawtext)
            }
            "title" | "textarea" => TokenSinkResult::RawData(RawKind::Rcdata),
            "plaintext" => TokenSinkResult::Plaintext,
            _ => TokenSinkResult::Continue,
        }
    }
}

#[rustfmt::skip]
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr", "keygen", "frame", "basefont", "bgsound", "image",
];

fn read(html: &str, relative_ok: bool) -> Sink {
    let sink = Sink { relative_ok, problems: RefCell::default(), depth: RefCell::default() };
    let tokenizer = Tokenizer::new(sink, Default::default());
    let queue = BufferQueue::default();
    queue.push_back(StrTendril::from_slice(html));
    let _ = tokenizer.feed(&queue);
    tokenizer.end();
    tokenizer.sink
}

/// What in `html` (sanitizer output) breaks a promise; empty when nothing does.
pub fn broken_promises(html: &str, relative_ok: bool) -> Vec<String> {
    read(html, relative_ok).problems.into_inner()
}

/// How deep the elements of `html` (serialized HTML, as the sanitizer writes it) nest.
pub fn nesting_depth(html: &str) -> usize {
    read(html, true).depth.into_inner().1
}
