//! Budgets for the HTML parser behind the sanitizer: markup is bounded *before* html5ever
//! builds a tree of it, because html5ever (like the HTML standard it follows) is quadratic
//! in hostile markup: 40,000 unclosed `<div>` (200 KB) took 20 s to sanitize natively,
//! 100,000 attributes on one tag 5 s, and a feed of such texts would freeze the worker.
//!
//! [`bound`] reads the markup the way html5ever's tokenizer will (this is the WHATWG
//! tokenizer's tag, attribute, comment and raw-text states, written out: see [`Scanner`]),
//! follows a model of the tree builder's stack of open elements and list of active
//! formatting elements, and drops (replaces by a space) every tag that would go past a
//! budget:
//!
//! | budget | value | why |
//! |---|---|---|
//! | nesting depth ([`MAX_DEPTH`]) | 256 open elements in the model | each tag costs the tree builder a walk of the stack; browsers stop at 512, and the model counts at least half of what html5ever opens (implied `tbody`/`tr` in tables are the difference) |
//! | attributes on one tag ([`MAX_ATTRIBUTES`]) | 256 | the tokenizer compares each attribute with every earlier one of its tag |
//! | open formatting elements ([`MAX_FORMATTING`]) | 32 (three alike count once more, as the standard's "Noah's ark" does) | the tree builder re-creates every one of them for each paragraph after they were closed by accident, copying their attributes |
//! | work ([`WORK_PER_BYTE`]) | 8 steps of the model a byte (plus 4,096): a step is one element of the stack walked or one attribute compared; a formatting element re-created is four | the tree builder walks the stack for many tags; past this, the text is hostile whatever its shape |
//! | growth ([`GROWTH_PER_BYTE`], [`GROWTH_SLACK`]) | what re-created formatting elements add: 8 bytes a byte of input, plus 64 KB (sloppy real HTML, unclosed `<font>` and `<b>` in every paragraph, grows 3 to 4 times) | the output stays in proportion to the input |
//!
//! Past the work or growth budget, every later tag of the text is dropped (its text is
//! kept): the rest of a hostile text reads as plain text. Real entries are far inside every
//! budget: their depth is tens, their work one or two steps a byte (`tests/hostile.rs`
//! checks that the Planet Python fixture is left untouched), so a text is only ever
//! rewritten when it is hostile. The per-text input budget is the parser's cap on one value
//! (`core::parse::xml::MAX_TEXT`, 4 MiB): with the work budget, the time to sanitize any text
//! is linear in its size, and the worst feed costs in proportion to its bytes
//! (`cargo bench --bench hostile` prints the figures).
//!
//! The model errs one way only: it may count more open elements than html5ever has (it
//! pops an element only where the standard certainly pops it), never fewer, except for the
//! elements the standard implies in tables. Foreign content (`<svg>`, `<math>`), where
//! the tokenizer's states depend on the tree, never reaches here: the sanitizer renames
//! those elements first, and removes them anyway.

use std::borrow::Cow;

/// Most elements the model keeps open; a start tag past it is dropped.
pub const MAX_DEPTH: usize = 256;
/// Most attributes on one tag; a tag with more is dropped.
pub const MAX_ATTRIBUTES: usize = 256;
/// Most entries of the model's list of active formatting elements.
pub const MAX_FORMATTING: usize = 32;
/// Steps of the model allowed per byte of input.
pub const WORK_PER_BYTE: u64 = 8;
/// Bytes re-created formatting elements may add to the output, per byte of input...
pub const GROWTH_PER_BYTE: usize = 8;
/// ... and besides.
pub const GROWTH_SLACK: usize = 64 << 10;

/// `html` with the tags dropped that would go past a budget (each replaced by a space, so
/// that the text around it cannot form a new tag); borrowed when nothing is dropped.
pub fn bound(html: &str) -> Cow<'_, str> {
    let mut model = Model::new(html.len());
    drop_tags(html, |ev| model.event(html.as_bytes(), ev))
}

/// `html` with the tags dropped that have more than [`MAX_ATTRIBUTES`] attributes: what
/// html5ever's tokenizer alone needs (feed discovery reads pages with it, no tree).
pub fn drop_crowded_tags(html: &str) -> Cow<'_, str> {
    drop_tags(html, |ev| match ev {
        Event::Text => true,
        Event::Start { attributes, .. } | Event::End { attributes, .. } => {
            attributes <= MAX_ATTRIBUTES
        }
    })
}

/// `html` without the tags `keep` refuses, each replaced by a space.
fn drop_tags(html: &str, mut keep: impl FnMut(Event) -> bool) -> Cow<'_, str> {
    let mut drops: Vec<(usize, usize)> = Vec::new();
    Scanner::new(html.as_bytes()).run(&mut |ev| {
        let kept = keep(ev);
        if !kept {
            if let Event::Start { span, .. } | Event::End { span, .. } = ev {
                drops.push(span);
            }
        }
        kept
    });
    if drops.is_empty() {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    let mut at = 0;
    for (start, end) in drops {
        out.push_str(&html[at..start]);
        out.push(' ');
        at = end;
    }
    out.push_str(&html[at..]);
    Cow::Owned(out)
}

// ---- the tokenizer's view ------------------------------------------------------------------

/// A tag name: its lower-case hash and what the tree builder does with it.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Name {
    hash: u64,
    kind: Kind,
}

/// The element classes the tree builder treats apart.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    /// Anything without a rule of its own (`span`, custom elements).
    Ordinary,
    /// Formatting elements: `a`, `b`, `big`, `code`, `em`, `font`, `i`, `nobr`, `s`,
    /// `small`, `strike`, `strong`, `tt`, `u`.
    Formatting,
    /// Special elements that close an open `p` when they start (`div`, `ul` ...).
    ClosesP,
    /// `h1`–`h6`: close `p`, and a heading that is the current node.
    Heading,
    /// `li`, and `dd`/`dt` (their own class each).
    ListItem,
    DefItem,
    /// Void elements: never open (`br`, `img` ...).
    Void,
    /// `html`, `body`, `head`, `frameset`: never opened inside a fragment.
    Document,
    /// Table parts, each closing what the standard closes for it.
    Table,
    Section,
    Row,
    Cell,
    /// Other special elements (`button` is one; `select`, `textarea`, `iframe` ...).
    Special,
    Button,
    /// Scope boundaries besides the table parts: `applet`, `caption`, `marquee`,
    /// `object` (not in table scope).
    Boundary,
    /// `template`: a boundary of every scope.
    Template,
    /// `select`: a boundary of the default scope (the customizable `select` html5ever
    /// parses).
    Select,
    /// `option`, `optgroup`: an `option` that is the current node closes.
    Option,
    /// `ol`, `ul`: close `p`, and bound the scope of `li`.
    List,
}

/// What the tokenizer switches to after a start tag.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Raw {
    None,
    /// RAWTEXT or RCDATA: text up to the element's own end tag.
    Text,
    Script,
    /// PLAINTEXT: the rest of the input is text.
    Plain,
}

fn classify(lower: &[u8]) -> (Kind, Raw) {
    use Kind::*;
    let kind = match lower {
        b"a" | b"b" | b"big" | b"code" | b"em" | b"font" | b"i" | b"nobr" | b"s" | b"small"
        | b"strike" | b"strong" | b"tt" | b"u" => Formatting,
        b"address" | b"article" | b"aside" | b"blockquote" | b"center" | b"details" | b"dialog"
        | b"dir" | b"div" | b"dl" | b"fieldset" | b"figcaption" | b"figure" | b"footer"
        | b"header" | b"hgroup" | b"main" | b"menu" | b"nav" | b"p" | b"search" | b"section"
        | b"summary" | b"pre" | b"listing" | b"form" | b"plaintext" | b"xmp" => ClosesP,
        b"ol" | b"ul" => List,
        b"h1" | b"h2" | b"h3" | b"h4" | b"h5" | b"h6" => Heading,
        b"li" => ListItem,
        b"dd" | b"dt" => DefItem,
        b"area" | b"base" | b"basefont" | b"bgsound" | b"br" | b"col" | b"embed" | b"hr"
        | b"img" | b"image" | b"input" | b"keygen" | b"link" | b"meta" | b"param" | b"source"
        | b"track" | b"wbr" | b"frame" => Void,
        b"html" | b"body" | b"head" | b"frameset" => Document,
        b"table" => Table,
        b"tbody" | b"thead" | b"tfoot" => Section,
        b"tr" => Row,
        b"td" | b"th" => Cell,
        b"button" => Button,
        b"applet" | b"caption" | b"marquee" | b"object" => Boundary,
        b"template" => Template,
        b"option" | b"optgroup" => Option,
        b"select" => Select,
        b"colgroup" | b"iframe" | b"noembed" | b"noframes" | b"noscript" | b"script" | b"style"
        | b"textarea" | b"title" | b"isindex" => Special,
        _ => Ordinary,
    };
    let raw = match lower {
        b"script" => Raw::Script,
        b"style" | b"xmp" | b"iframe" | b"noembed" | b"noframes" | b"noscript" | b"title"
        | b"textarea" => Raw::Text,
        b"plaintext" => Raw::Plain,
        _ => Raw::None,
    };
    (kind, raw)
}

/// What the scanner reports. Spans are byte ranges of the input.
#[derive(Clone, Copy)]
enum Event {
    /// A run of text (or character references) between tags.
    Text,
    Start {
        name: Name,
        attributes: usize,
        span: (usize, usize),
        attrs_span: (usize, usize),
    },
    End {
        name: Name,
        attributes: usize,
        span: (usize, usize),
    },
}

fn is_space(c: u8) -> bool {
    // The input stream turns CR into LF before tokenizing.
    matches!(c, b'\t' | b'\n' | b'\x0c' | b' ' | b'\r')
}

/// A tag as the scanner read it.
struct Tag {
    name: Name,
    /// What the tokenizer switches to after it (for a start tag).
    raw: Raw,
    /// How many attributes it has, duplicates included.
    attributes: usize,
    /// The bytes from after its name to before its `>`.
    attrs_span: (usize, usize),
    /// The position after its `>`.
    end: usize,
}

/// The WHATWG tokenizer, reduced to what decides where tags are and how many attributes
/// they have: the data state, tag open, end tag open, tag name and the attribute states,
/// markup declarations (comments by their exact end rules, DOCTYPE and bogus comments up to
/// `>`), RAWTEXT/RCDATA up to the appropriate end tag, and script data with its escaped and
/// double-escaped states. Character references never end a tag or a text, so they are not
/// read.
struct Scanner<'a> {
    b: &'a [u8],
    i: usize,
}

impl<'a> Scanner<'a> {
    fn new(b: &'a [u8]) -> Self {
        Scanner { b, i: 0 }
    }

    /// Run over the whole input; `f` says for each tag whether it is kept (a dropped start
    /// tag does not switch the tokenizer to raw text).
    fn run(&mut self, f: &mut dyn FnMut(Event) -> bool) {
        let b = self.b;
        while self.i < b.len() {
            let Some(lt) = memchr::memchr(b'<', &b[self.i..]).map(|j| self.i + j) else {
                f(Event::Text);
                return;
            };
            if lt > self.i {
                f(Event::Text);
            }
            self.i = lt;
            match b.get(lt + 1) {
                Some(c) if c.is_ascii_alphabetic() => {
                    let Some(Tag { name, raw, attributes, attrs_span, end }) = self.tag(lt + 1)
                    else {
                        return; // EOF in a tag: the tokenizer emits nothing
                    };
                    let kept = f(Event::Start { name, attributes, span: (lt, end), attrs_span });
                    self.i = end;
                    if kept {
                        match raw {
                            Raw::None => {}
                            Raw::Plain => {
                                f(Event::Text);
                                return;
                            }
                            Raw::Text | Raw::Script => self.raw_text(lt + 1, raw, f),
                        }
                    }
                }
                Some(b'/') => match b.get(lt + 2) {
                    Some(c) if c.is_ascii_alphabetic() => {
                        let Some(Tag { name, attributes, end, .. }) = self.tag(lt + 2) else {
                            return;
                        };
                        f(Event::End { name, attributes, span: (lt, end) });
                        self.i = end;
                    }
                    Some(b'>') => self.i = lt + 3,
                    None => {
                        f(Event::Text);
                        return;
                    }
                    Some(_) => self.i = self.bogus_comment(lt + 2),
                },
                Some(b'!') => self.i = self.declaration(lt + 2),
                Some(b'?') => self.i = self.bogus_comment(lt + 1),
                _ => {
                    f(Event::Text);
                    self.i = lt + 1;
                }
            }
        }
    }

    /// Position after the `>` that ends a bogus comment (or DOCTYPE) begun at `i`.
    fn bogus_comment(&self, i: usize) -> usize {
        memchr::memchr(b'>', &self.b[i..]).map_or(self.b.len(), |j| i + j + 1)
    }

    /// `<!` at `i - 2`: a comment, a DOCTYPE, or a bogus comment; the position after it.
    fn declaration(&self, i: usize) -> usize {
        let b = self.b;
        if !b[i..].starts_with(b"--") {
            return self.bogus_comment(i);
        }
        let body = i + 2;
        // `<!-->` and `<!--->` end at once; otherwise the first `-->` or `--!>` ends it.
        if b[body..].starts_with(b">") {
            return body + 1;
        }
        if b[body..].starts_with(b"->") {
            return body + 2;
        }
        let mut at = body;
        while let Some(j) = memchr::memmem::find(&b[at..], b"--") {
            let dash = at + j;
            if b[dash + 2..].starts_with(b">") {
                return dash + 3;
            }
            if b[dash + 2..].starts_with(b"!>") {
                return dash + 4;
            }
            at = dash + 1;
        }
        b.len()
    }

    /// The tag whose name starts at `i`; `None` when the input ends first.
    fn tag(&self, mut i: usize) -> Option<Tag> {
        let b = self.b;
        let start = i;
        while i < b.len() && !is_space(b[i]) && b[i] != b'/' && b[i] != b'>' {
            i += 1;
        }
        let raw_name = &b[start..i];
        let mut lower = [0u8; 16];
        let (kind, raw) = if raw_name.len() <= lower.len() {
            for (d, s) in lower.iter_mut().zip(raw_name) {
                *d = s.to_ascii_lowercase();
            }
            classify(&lower[..raw_name.len()])
        } else {
            (Kind::Ordinary, Raw::None)
        };
        let hash = fnv(raw_name.iter().map(u8::to_ascii_lowercase));
        let attrs_start = i;
        let (attributes, end) = self.attributes(i)?;
        Some(Tag {
            name: Name { hash, kind },
            raw,
            attributes,
            attrs_span: (attrs_start, end - 1),
            end,
        })
    }

    /// The attribute states from "before attribute name" at `i`: (attributes, position
    /// after the `>`).
    fn attributes(&self, mut i: usize) -> Option<(usize, usize)> {
        #[derive(Clone, Copy)]
        enum St {
            BeforeName,
            Name,
            AfterName,
            BeforeValue,
            Quoted(u8),
            Unquoted,
            AfterQuoted,
            SelfClosing,
        }
        let b = self.b;
        let mut st = St::BeforeName;
        let mut count = 0;
        while i < b.len() {
            let c = b[i];
            match st {
                St::BeforeName => match c {
                    c if is_space(c) => {}
                    b'/' | b'>' => {
                        st = St::AfterName;
                        continue;
                    }
                    _ => {
                        // `=` here starts an attribute named "=".
                        count += 1;
                        st = St::Name;
                    }
                },
                St::Name => match c {
                    c if is_space(c) || c == b'/' || c == b'>' => {
                        st = St::AfterName;
                        continue;
                    }
                    b'=' => st = St::BeforeValue,
                    _ => {}
                },
                St::AfterName => match c {
                    c if is_space(c) => {}
                    b'/' => st = St::SelfClosing,
                    b'=' => st = St::BeforeValue,
                    b'>' => return Some((count, i + 1)),
                    _ => {
                        count += 1;
                        st = St::Name;
                    }
                },
                St::BeforeValue => match c {
                    c if is_space(c) => {}
                    b'"' | b'\'' => st = St::Quoted(c),
                    b'>' => return Some((count, i + 1)),
                    _ => {
                        st = St::Unquoted;
                        continue;
                    }
                },
                St::Quoted(q) => match memchr::memchr(q, &b[i..]) {
                    Some(j) => {
                        i += j;
                        st = St::AfterQuoted;
                    }
                    None => return None,
                },
                St::Unquoted => match c {
                    c if is_space(c) => st = St::BeforeName,
                    b'>' => return Some((count, i + 1)),
                    _ => {}
                },
                St::AfterQuoted => match c {
                    c if is_space(c) => st = St::BeforeName,
                    b'/' => st = St::SelfClosing,
                    b'>' => return Some((count, i + 1)),
                    _ => {
                        st = St::BeforeName;
                        continue;
                    }
                },
                St::SelfClosing => match c {
                    b'>' => return Some((count, i + 1)),
                    _ => {
                        st = St::BeforeName;
                        continue;
                    }
                },
            }
            i += 1;
        }
        None
    }

    /// The content of a raw-text element whose name starts at `name_at`, up to its end tag
    /// (reported like any end tag), or to the end of the input.
    fn raw_text(&mut self, name_at: usize, raw: Raw, f: &mut dyn FnMut(Event) -> bool) {
        let b = self.b;
        let name_end = name_at
            + b[name_at..].iter().take_while(|&&c| !is_space(c) && c != b'/' && c != b'>').count();
        let name = &b[name_at..name_end];
        let end = match raw {
            Raw::Script => self.script_end(name),
            _ => self.appropriate_end(self.i, name),
        };
        if end > self.i {
            f(Event::Text);
        }
        self.i = end; // at the `<` of the end tag, which `run` reads next
    }

    /// Whether an appropriate end tag for `name` (`</name` then space, `/` or `>`) starts
    /// at `i`.
    fn is_end_tag(&self, i: usize, name: &[u8]) -> bool {
        let b = self.b;
        let n = i + 2 + name.len();
        b[i..].starts_with(b"</")
            && b.len() > n
            && b[i + 2..n].eq_ignore_ascii_case(name)
            && (is_space(b[n]) || b[n] == b'/' || b[n] == b'>')
    }

    /// The first appropriate end tag for `name` from `i` (RAWTEXT, RCDATA), else the end.
    fn appropriate_end(&self, mut i: usize, name: &[u8]) -> usize {
        let b = self.b;
        while let Some(j) = memchr::memmem::find(&b[i..], b"</") {
            if self.is_end_tag(i + j, name) {
                return i + j;
            }
            i += j + 2;
        }
        b.len()
    }

    /// The `<` of the end tag that ends script data from `self.i`, through the escaped
    /// (`<!--`) and double-escaped (`<!--<script>`) states; else the end of the input.
    fn script_end(&self, name: &[u8]) -> usize {
        #[derive(Clone, Copy, PartialEq)]
        enum St {
            Data,
            Escaped,
            EscapedDash,
            EscapedDashDash,
            Double,
            DoubleDash,
            DoubleDashDash,
        }
        let b = self.b;
        let mut st = St::Data;
        let mut i = self.i;
        // Whether `script` (as a whole word: then space, `/` or `>`) starts at `j`.
        let word = |j: usize| {
            let n = j + 6;
            b.len() > n
                && b[j..n].eq_ignore_ascii_case(b"script")
                && (is_space(b[n]) || b[n] == b'/' || b[n] == b'>')
        };
        while i < b.len() {
            let c = b[i];
            st = match (st, c) {
                (St::Data, b'<') => {
                    if self.is_end_tag(i, name) {
                        return i;
                    }
                    if b[i + 1..].starts_with(b"!--") {
                        i += 3;
                        // `<!--` then `>` (or `->`): "escaped dash dash" reads the `>`.
                        St::EscapedDashDash
                    } else {
                        St::Data
                    }
                }
                (St::Data, _) => St::Data,
                (St::Escaped | St::EscapedDash | St::EscapedDashDash, b'<') => {
                    if self.is_end_tag(i, name) {
                        return i;
                    }
                    if b.get(i + 1).is_some_and(u8::is_ascii_alphabetic) && word(i + 1) {
                        i += 7;
                        St::Double
                    } else {
                        St::Escaped
                    }
                }
                (St::Escaped, b'-') => St::EscapedDash,
                (St::EscapedDash, b'-') | (St::EscapedDashDash, b'-') => St::EscapedDashDash,
                (St::EscapedDashDash, b'>') => St::Data,
                (St::Escaped | St::EscapedDash | St::EscapedDashDash, _) => St::Escaped,
                (St::Double | St::DoubleDash | St::DoubleDashDash, b'<') => {
                    if b[i + 1..].starts_with(b"/") && word(i + 2) {
                        i += 8;
                        St::Escaped
                    } else {
                        St::Double
                    }
                }
                (St::Double, b'-') => St::DoubleDash,
                (St::DoubleDash, b'-') | (St::DoubleDashDash, b'-') => St::DoubleDashDash,
                (St::DoubleDashDash, b'>') => St::Data,
                (St::Double | St::DoubleDash | St::DoubleDashDash, _) => St::Double,
            };
            i += 1;
        }
        b.len()
    }
}

// ---- the tree builder's view -----------------------------------------------------------------

/// An open element of the model.
#[derive(Clone, Copy)]
struct Open {
    name: Name,
    /// The formatting entry it belongs to (its id), for a formatting element.
    formatting: Option<u32>,
}

/// An entry of the model's list of active formatting elements.
struct Entry {
    name: Name,
    /// Hash of the raw attribute text: equal attributes, equal hash (the converse does
    /// not hold, which only makes the model keep more entries than html5ever).
    attrs: u64,
    /// Bytes re-creating it adds to the output.
    bytes: usize,
    id: u32,
    open: bool,
}

struct Model {
    stack: Vec<Open>,
    active: Vec<Entry>,
    next_id: u32,
    work: u64,
    work_budget: u64,
    growth: usize,
    growth_budget: usize,
    /// A budget was exceeded: every later tag is dropped.
    flat: bool,
    /// The most elements open at once (for the tests).
    #[cfg(test)]
    max_depth: usize,
}

/// The scope boundaries of the standard: default scope, and the extra ones of the list
/// item, button and table scopes.
#[derive(Clone, Copy)]
enum Scope {
    Default,
    ListItem,
    Button,
    Table,
}

impl Scope {
    fn stops_at(self, k: Kind) -> bool {
        use Kind::*;
        match self {
            Scope::Table => matches!(k, Document | Table | Template),
            Scope::Default => matches!(k, Document | Table | Template | Cell | Boundary | Select),
            Scope::ListItem => {
                matches!(k, Document | Table | Template | Cell | Boundary | Select | List)
            }
            Scope::Button => {
                matches!(k, Document | Table | Template | Cell | Boundary | Select | Button)
            }
        }
    }
}

fn is_special(k: Kind) -> bool {
    !matches!(k, Kind::Ordinary | Kind::Formatting | Kind::Option)
}

impl Model {
    fn new(len: usize) -> Self {
        Model {
            stack: Vec::new(),
            active: Vec::new(),
            next_id: 0,
            work: 0,
            work_budget: WORK_PER_BYTE * len as u64 + 4096,
            growth: 0,
            growth_budget: GROWTH_PER_BYTE * len + GROWTH_SLACK,
            flat: false,
            #[cfg(test)]
            max_depth: 0,
        }
    }

    /// Follow one event of the scanner over `html`; false when its tag is dropped.
    fn event(&mut self, html: &[u8], ev: Event) -> bool {
        match ev {
            Event::Text => {
                self.text();
                true
            }
            Event::Start { name, attributes, attrs_span, .. } => {
                self.start(name, attributes, &html[attrs_span.0..attrs_span.1])
            }
            Event::End { name, attributes, .. } => self.end(name, attributes),
        }
    }

    /// The most elements html5ever may have open after re-creating formatting elements.
    fn depth(&self) -> usize {
        self.stack.len() + self.active.iter().filter(|e| !e.open).count()
    }

    fn charge(&mut self, steps: usize) {
        #[cfg(test)]
        {
            self.max_depth = self.max_depth.max(self.depth());
        }
        self.work += steps as u64;
        if self.work > self.work_budget || self.growth > self.growth_budget {
            self.flat = true;
        }
    }

    /// Pop up to and including the element at `at`; its formatting entries are no longer
    /// open (they stay active: html5ever re-creates them).
    fn pop_to(&mut self, at: usize) {
        for open in self.stack.drain(at..) {
            if let Some(id) = open.formatting {
                if let Some(e) = self.active.iter_mut().find(|e| e.id == id) {
                    e.open = false;
                }
            }
        }
    }

    /// The topmost open element matching `is`, unless a boundary of `scope` comes first.
    fn in_scope(&mut self, scope: Scope, is: impl Fn(Name) -> bool) -> Option<usize> {
        let mut steps = 0;
        let mut found = None;
        for (i, open) in self.stack.iter().enumerate().rev() {
            steps += 1;
            if is(open.name) {
                found = Some(i);
                break;
            }
            if scope.stops_at(open.name.kind) {
                break;
            }
        }
        self.charge(steps);
        found
    }

    fn close_in_scope(&mut self, scope: Scope, is: impl Fn(Name) -> bool) {
        if let Some(at) = self.in_scope(scope, is) {
            self.pop_to(at);
        }
    }

    /// Re-create the formatting elements that were closed by accident (html5ever does so
    /// before most tokens).
    fn reconstruct(&mut self) {
        let mut grown = 0;
        let mut reopened = Vec::new();
        for e in self.active.iter_mut().filter(|e| !e.open) {
            e.open = true;
            grown += e.bytes;
            reopened.push(Open { name: e.name, formatting: Some(e.id) });
        }
        self.growth += grown;
        let n = reopened.len();
        self.stack.extend(reopened);
        // Creating an element (its attributes copied) costs more than a step of a walk.
        self.charge(4 * n); // (after the push: the tests' highest depth counts it)
    }

    fn text(&mut self) {
        if !self.flat {
            self.reconstruct();
            self.charge(1);
        }
    }

    /// A start tag; false when it is dropped. Whether it is dropped is decided before the
    /// model changes: html5ever never sees a dropped tag.
    fn start(&mut self, name: Name, attributes: usize, attrs: &[u8]) -> bool {
        use Kind::*;
        let depth = self.depth();
        // The tokenizer compares each attribute with the earlier ones of its tag; the walks
        // of the stack are charged as the model makes them (as html5ever does).
        self.charge(1 + attributes + attributes * attributes / 64);
        let full = match name.kind {
            Void | Document => false,
            Formatting => depth >= MAX_DEPTH || self.active.len() >= MAX_FORMATTING,
            _ => depth >= MAX_DEPTH,
        };
        if self.flat || attributes > MAX_ATTRIBUTES || full {
            return false;
        }
        let p = |n: Name| n.hash == hash_of(b"p");
        match name.kind {
            ClosesP | List | Table | Heading => {
                self.close_in_scope(Scope::Button, p);
                let top = self.stack.last().map(|o| o.name.kind);
                if name.kind == Heading && top == Some(Heading) {
                    self.stack.pop();
                }
                if name.kind == Table && matches!(top, Some(Table | Section | Row)) {
                    self.close_in_scope(Scope::Table, |n| n.kind == Table);
                }
            }
            ListItem | DefItem => {
                self.close_list_item(name.kind);
                self.close_in_scope(Scope::Button, p);
            }
            Button => self.close_in_scope(Scope::Default, |n| n.kind == Button),
            // Table parts outside a table are ignored; inside one, a new cell, row or
            // section closes the open one.
            Cell | Row | Section => {
                if self.in_scope(Scope::Table, |n| n.kind == Table).is_none() {
                    return true;
                }
                let kind = name.kind;
                self.close_in_scope(Scope::Table, |n| n.kind == kind);
                // A row or cell straight in a table, or a cell straight in a section, gets
                // the `tbody` and `tr` the standard implies.
                let around = self.stack.iter().rev().map(|o| o.name.kind);
                let around = around.into_iter().find(|k| matches!(k, Table | Section | Row | Cell));
                let implied: &[(&[u8], Kind)] = match (kind, around) {
                    (Cell, Some(Table)) => &[(b"tbody", Section), (b"tr", Row)],
                    (Cell, Some(Section)) => &[(b"tr", Row)],
                    (Row, Some(Table)) => &[(b"tbody", Section)],
                    _ => &[],
                };
                for (tag, kind) in implied {
                    self.stack.push(Open {
                        name: Name { hash: hash_of(tag), kind: *kind },
                        formatting: None,
                    });
                }
            }
            Option => {
                if self.stack.last().is_some_and(|o| o.name.hash == hash_of(b"option")) {
                    self.pop_to(self.stack.len() - 1);
                }
                self.reconstruct();
            }
            Document => return true,
            Formatting | Ordinary | Void | Special | Boundary | Template | Select => {
                self.reconstruct()
            }
        }
        if name.kind == Void {
            return true;
        }
        let mut formatting = None;
        if name.kind == Formatting {
            formatting = Some(self.add_formatting(name, attrs));
        }
        self.stack.push(Open { name, formatting });
        self.charge(0);
        true
    }

    /// `li`, `dd`, `dt`: an open one closes, unless a special element other than
    /// `address`, `div` or `p` comes first.
    fn close_list_item(&mut self, kind: Kind) {
        let mut steps = 0;
        let mut at = None;
        for (i, open) in self.stack.iter().enumerate().rev() {
            steps += 1;
            if open.name.kind == kind {
                at = Some(i);
                break;
            }
            let transparent =
                [&b"address"[..], b"div", b"p"].iter().any(|t| hash_of(t) == open.name.hash);
            if is_special(open.name.kind) && !transparent {
                break;
            }
        }
        self.charge(steps);
        if let Some(at) = at {
            self.pop_to(at);
        }
    }

    /// A new active formatting element (three alike already: the oldest of them leaves the
    /// list, "Noah's ark"); its id.
    fn add_formatting(&mut self, name: Name, attrs: &[u8]) -> u32 {
        let attrs_hash = hash_of(attrs);
        let alike: Vec<usize> = (0..self.active.len())
            .filter(|&i| self.active[i].name == name && self.active[i].attrs == attrs_hash)
            .collect();
        self.charge(self.active.len());
        if alike.len() >= 3 {
            let gone = self.active.remove(alike[0]);
            if let Some(open) = self.stack.iter_mut().find(|o| o.formatting == Some(gone.id)) {
                open.formatting = None;
            }
        }
        let id = self.next_id;
        self.next_id += 1;
        self.active.push(Entry {
            name,
            attrs: attrs_hash,
            bytes: attrs.len() + 16,
            id,
            open: true,
        });
        id
    }

    /// An end tag; false when it is dropped.
    fn end(&mut self, name: Name, attributes: usize) -> bool {
        use Kind::*;
        self.charge(1 + attributes + attributes * attributes / 64);
        if self.flat || attributes > MAX_ATTRIBUTES {
            return false;
        }
        let same = move |n: Name| n.hash == name.hash;
        match name.kind {
            Document | Void => {}
            Formatting => self.end_formatting(name),
            Heading => self.close_in_scope(Scope::Default, |n| n.kind == Heading),
            ListItem => self.close_in_scope(Scope::ListItem, same),
            Table | Section | Row | Cell => self.close_in_scope(Scope::Table, same),
            _ if name.hash == hash_of(b"p") => self.close_in_scope(Scope::Button, same),
            // `</form>` takes the form out of the stack, and nothing else.
            _ if name.hash == hash_of(b"form") => {
                if let Some(at) = self.in_scope(Scope::Default, same) {
                    let open = self.stack.remove(at);
                    debug_assert!(open.formatting.is_none());
                }
            }
            Ordinary | Option => self.end_ordinary(name),
            _ => self.close_in_scope(Scope::Default, same),
        }
        true
    }

    /// "Any other end tag": the nearest element of that name closes, unless a special
    /// element comes first.
    fn end_ordinary(&mut self, name: Name) {
        let mut steps = 0;
        let mut at = None;
        for (i, open) in self.stack.iter().enumerate().rev() {
            steps += 1;
            if open.name.hash == name.hash {
                at = Some(i);
                break;
            }
            if is_special(open.name.kind) {
                break;
            }
        }
        self.charge(steps);
        if let Some(at) = at {
            self.pop_to(at);
        }
    }

    /// `</b>` and the like: the standard's adoption agency, as far as the stack's size goes.
    fn end_formatting(&mut self, name: Name) {
        self.charge(self.active.len());
        let Some(k) = self.active.iter().rposition(|e| e.name == name) else {
            // Not active: the "any other end tag" steps; a formatting element is not special.
            self.end_ordinary(name);
            return;
        };
        let id = self.active[k].id;
        let depth = self.stack.len();
        self.charge(depth);
        let Some(at) = self.stack.iter().rposition(|o| o.formatting == Some(id)) else {
            self.active.remove(k);
            return;
        };
        if self.stack[at + 1..].iter().any(|o| is_special(o.name.kind)) {
            // A furthest block: html5ever moves and clones elements (up to eight times),
            // the stack keeps its size. Count the clones, keep the model as it is.
            self.growth += 8 * self.active[k].bytes;
            let depth = self.stack.len();
            self.charge(8 * depth);
        } else {
            self.pop_to(at);
            self.active.remove(k);
        }
    }
}

fn fnv(bytes: impl Iterator<Item = u8>) -> u64 {
    bytes.fold(0xcbf2_9ce4_8422_2325u64, |h, c| (h ^ u64::from(c)).wrapping_mul(0x0100_0000_01b3))
}

fn hash_of(bytes: &[u8]) -> u64 {
    fnv(bytes.iter().copied())
}

#[cfg(test)]
mod tests {
    use super::*;
    use html5ever::tendril::StrTendril;
    use html5ever::tokenizer::states::RawKind;
    use html5ever::tokenizer::{
        BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer,
    };
    use proptest::prelude::*;
    use std::cell::RefCell;

    /// (end tag?, name hash, attributes at least) of every tag, as the scanner reads them.
    fn scanned(html: &str) -> Vec<(bool, u64, usize)> {
        let mut tags = Vec::new();
        Scanner::new(html.as_bytes()).run(&mut |ev| {
            match ev {
                Event::Start { name, attributes, .. } => tags.push((false, name.hash, attributes)),
                Event::End { name, attributes, .. } => tags.push((true, name.hash, attributes)),
                Event::Text => {}
            }
            true
        });
        tags
    }

    struct Tags(RefCell<Vec<(bool, u64, usize)>>);

    impl TokenSink for Tags {
        type Handle = ();
        fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
            let Token::TagToken(tag) = token else { return TokenSinkResult::Continue };
            let end = tag.kind == TagKind::EndTag;
            self.0.borrow_mut().push((end, hash_of(tag.name.as_bytes()), tag.attrs.len()));
            if end {
                return TokenSinkResult::Continue;
            }
            match classify(tag.name.as_bytes()).1 {
                Raw::Script => TokenSinkResult::RawData(RawKind::ScriptData),
                Raw::Text if matches!(&*tag.name, "title" | "textarea") => {
                    TokenSinkResult::RawData(RawKind::Rcdata)
                }
                Raw::Text => TokenSinkResult::RawData(RawKind::Rawtext),
                Raw::Plain => TokenSinkResult::Plaintext,
                Raw::None => TokenSinkResult::Continue,
            }
        }
    }

    /// The same, as html5ever's tokenizer reads them (duplicate attributes left out).
    fn tokenized(html: &str) -> Vec<(bool, u64, usize)> {
        let tokenizer = Tokenizer::new(Tags(RefCell::new(Vec::new())), Default::default());
        let queue = BufferQueue::default();
        queue.push_back(StrTendril::from_slice(html));
        let _ = tokenizer.feed(&queue);
        tokenizer.end();
        tokenizer.sink.0.into_inner()
    }

    /// Markup made of the pieces that decide where tags are.
    fn markup() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("<"),
            Just(">"),
            Just("/"),
            Just("!"),
            Just("-"),
            Just("--"),
            Just("\""),
            Just("'"),
            Just("="),
            Just(" "),
            Just("\n"),
            Just("a"),
            Just("b"),
            Just("x"),
            Just("script"),
            Just("style"),
            Just("title"),
            Just("textarea"),
            Just("div"),
            Just("<!--"),
            Just("-->"),
            Just("</"),
            Just("<script>"),
            Just("</script>"),
            Just("<style>"),
            Just("</style>"),
            Just("<!DOCTYPE"),
            Just("?"),
            Just("&amp;"),
            Just("<title>"),
            Just("</title >"),
            Just("<a b='>'>"),
            Just("<plaintext>"),
        ];
        proptest::collection::vec(piece, 0..60).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

        #[test]
        fn the_scanner_reads_tags_where_html5ever_does(html in markup()) {
            let ours = scanned(&html);
            let theirs = tokenized(&html);
            prop_assert_eq!(ours.len(), theirs.len(), "{:?}", html);
            for (o, t) in ours.iter().zip(&theirs) {
                prop_assert_eq!((o.0, o.1), (t.0, t.1), "{:?}", html);
                prop_assert!(o.2 >= t.2, "{:?}", html);
            }
        }
    }

    /// The most elements open at once when html5ever parses `html` (as a `div`'s content):
    /// its tree, serialized and read back.
    fn real_depth(html: &str) -> usize {
        let tags: std::collections::HashSet<&str> = [
            "div",
            "span",
            "b",
            "i",
            "p",
            "table",
            "tbody",
            "tr",
            "td",
            "ul",
            "li",
            "ol",
            "dl",
            "dd",
            "dt",
            "form",
            "button",
            "a",
            "font",
            "h1",
            "h2",
            "select",
            "option",
            "em",
            "caption",
            "blockquote",
            "object",
            "template",
            "br",
            "img",
            "pre",
            "u",
            "s",
        ]
        .into_iter()
        .collect();
        let out = ammonia::Builder::empty().tags(tags).clean(html).to_string();
        let mut depth: usize = 0;
        let mut max = 0;
        for t in tokenized(&out) {
            let void = matches!(classify(&tag_name(&out, t.1)).0, Kind::Void);
            match (t.0, void) {
                (_, true) => {}
                (false, _) => {
                    depth += 1;
                    max = max.max(depth);
                }
                (true, _) => depth = depth.saturating_sub(1),
            }
        }
        max
    }

    fn tag_name(_html: &str, hash: u64) -> Vec<u8> {
        ["br", "img"]
            .iter()
            .find(|n| hash_of(n.as_bytes()) == hash)
            .map_or(vec![], |n| n.as_bytes().to_vec())
    }

    /// The model after reading `html`.
    fn measured(html: &str) -> Model {
        let mut model = Model::new(html.len());
        Scanner::new(html.as_bytes()).run(&mut |ev| model.event(html.as_bytes(), ev));
        model
    }

    fn tree() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("<div>"),
            Just("</div>"),
            Just("<span>"),
            Just("</span>"),
            Just("<b>"),
            Just("<b x=1>"),
            Just("</b>"),
            Just("<i>"),
            Just("</i>"),
            Just("<p>"),
            Just("</p>"),
            Just("<table>"),
            Just("</table>"),
            Just("<tr>"),
            Just("<td>"),
            Just("</td>"),
            Just("<ul>"),
            Just("</ul>"),
            Just("<li>"),
            Just("</li>"),
            Just("<dd>"),
            Just("<dt>"),
            Just("<form>"),
            Just("</form>"),
            Just("<button>"),
            Just("</button>"),
            Just("<a>"),
            Just("</a>"),
            Just("<font>"),
            Just("</font>"),
            Just("<h1>"),
            Just("<h2>"),
            Just("</h1>"),
            Just("<select>"),
            Just("<option>"),
            Just("<em>"),
            Just("</em>"),
            Just("<caption>"),
            Just("<blockquote>"),
            Just("<object>"),
            Just("</object>"),
            Just("<template>"),
            Just("</template>"),
            Just("<br>"),
            Just("<img>"),
            Just("x"),
            Just("<pre>"),
            Just("<u>"),
            Just("</u>"),
            Just("<s>"),
            Just("</s>"),
            Just("<b x=2>"),
            Just("<i x=1>"),
            Just("</p></p>"),
            Just("<tbody>"),
            Just("</tr>"),
            Just("<th>"),
            Just("<ol>"),
            Just("</ol>"),
            Just("</dd>"),
            Just("</li></li>"),
            Just("<a x=1>"),
        ];
        proptest::collection::vec(piece, 0..200).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

        /// The model may count more open elements than html5ever has, never fewer; the tree
        /// html5ever builds is at most twice as deep as its stack (`</form>` takes the form
        /// out of the stack, not its content out of the form).
        #[test]
        fn the_model_never_counts_fewer_open_elements(html in tree()) {
            let model = measured(&html).max_depth;
            let real = real_depth(&html);
            prop_assert!(real <= 2 * model + 1, "model {} real {}: {:?}", model, real, html);
        }
    }

    #[test]
    fn hostile_markup_is_cut_to_the_budgets() {
        let deep = "<div>".repeat(40_000);
        let out = bound(&deep);
        assert_eq!(out.matches("<div>").count(), MAX_DEPTH);
        let attrs: String = (0..1_000).map(|i| format!(" a{i}")).collect();
        assert_eq!(bound(&format!("<a{attrs}>x</a>")), " x</a>");
        let bold: String = (0..100).map(|i| format!("<b title={i}>")).collect();
        assert_eq!(bound(&format!("<p>{bold}</p>")).matches("<b").count(), MAX_FORMATTING);
    }

    #[test]
    fn real_entries_are_far_inside_the_budgets() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/planetpython.xml");
        let doc = std::fs::read(path).unwrap();
        let feed = crate::core::parse::parse(&doc, &Default::default()).unwrap();
        let mut worst: f64 = 0.0;
        for e in &feed.entries {
            let html = &e.summary.as_ref().unwrap().value;
            assert!(matches!(bound(html), Cow::Borrowed(_)));
            let model = measured(html);
            worst = worst.max(model.work as f64 / html.len().max(1) as f64);
            assert!(model.max_depth < MAX_DEPTH / 8, "{}", model.max_depth);
        }
        assert!(worst < (WORK_PER_BYTE / 4) as f64, "{worst} steps a byte");
    }

    /// Markup real posts have at their heaviest: a 40-deep quoted mail thread, a long
    /// highlighted code block, a big sloppy table, unclosed formatting in every paragraph.
    #[test]
    fn heavy_real_markup_is_left_untouched() {
        let mut quotes = String::new();
        for i in 0..40 {
            quotes.push_str(&format!(
                "<blockquote><p>On day {i}, someone wrote:</p><div class=x><p>para <b>bold</b> \
                 <a href=\"https://x/{i}\">link</a></p>"
            ));
        }
        quotes.push_str(&"</div></blockquote>".repeat(40));
        let code: String = (0..3000)
            .map(|i| format!("<span class=\"k\">def</span> <span class=\"n\">f{i}</span>()<br>\n"))
            .collect();
        let table: String =
            (0..500).map(|i| format!("<tr><td><p>cell {i}<td><ul><li>a<li>b</ul>")).collect();
        let sloppy: String = (0..500)
            .map(|i| format!("<p><font color=red>unclosed {i} <b>bold<p>next <i>it"))
            .collect();
        for html in [
            quotes,
            format!("<pre><code>{code}</code></pre>"),
            format!("<table>{table}</table>"),
            sloppy,
        ] {
            assert!(matches!(bound(&html), Cow::Borrowed(_)), "{}", &html[..80]);
        }
    }
}
