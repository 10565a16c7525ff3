//! A fast reader for the YAML that manifests are written in: block mappings and sequences,
//! scalars on one line (plain, single- or double-quoted), flow collections (JSON included) and
//! comments.
//!
//! saphyr-parser reads characters one at a time through a look-ahead buffer and copies every
//! scalar into a buffer of its own; on a large input that was over half of `analyze`'s time
//! (issue 12). This reader goes over the bytes once and borrows each scalar from the source
//! text. It feeds the same [`Builder`] that saphyr-parser's events go to, with the positions
//! saphyr-parser gives them, so the tree is the same.
//!
//! It takes only what it is sure of and gives up on everything else, at once and without a
//! message: anchors, aliases, tags, block scalars (`|`, `>`), scalars over several lines,
//! explicit keys (`?`), directives, `...`, tabs, carriage returns, and every error (the
//! builder's too, such as a duplicate key). The caller then reads the text again with
//! saphyr-parser, which gives the tree or the error with its message. The tests hold it to
//! saphyr-parser: wherever it does not give up, the two trees are equal, positions included.

use std::borrow::Cow;

use saphyr_parser::{Event, ScalarStyle};

use super::{Builder, Node, ParseLimits, Pos};

/// This reader does not take the input; saphyr-parser reads it.
struct GiveUp;

type Step<T = ()> = Result<T, GiveUp>;

/// Reads a YAML stream, or gives up (`None`) where saphyr-parser has to read it.
pub(super) fn parse(text: &str, line_offset: u32, limits: ParseLimits) -> Option<Vec<Node>> {
    if !plain_text(text) {
        return None;
    }
    // Nothing here takes from the alias budget: anchors and aliases are left to saphyr-parser.
    let mut budget = limits.max_alias_nodes;
    let mut reader = Reader {
        s: text,
        b: text.as_bytes(),
        ascii: text.is_ascii(),
        i: 0,
        line: 1 + line_offset,
        line_start: 0,
        out: Builder::new(limits, &mut budget),
    };
    reader.stream().ok()?;
    Some(reader.out.finish())
}

/// No tab, carriage return, other control character or byte-order mark: those have rules of
/// their own (or are errors), which saphyr-parser applies.
fn plain_text(text: &str) -> bool {
    let controls = text.bytes().fold(false, |seen, c| {
        seen | ((c < 0x20 && c != b'\n') | (c == 0x7f))
    });
    if controls {
        return false;
    }
    text.is_ascii()
        || !text.chars().any(|c| {
            matches!(
                c,
                '\u{80}'
                    ..='\u{9f}' | '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
            )
        })
}

/// A space, a line break or the end of the input (read as 0: the text holds no NUL).
fn blank_or_end(c: u8) -> bool {
    matches!(c, b' ' | b'\n' | 0)
}

fn flow_indicator(c: u8) -> bool {
    matches!(c, b',' | b'[' | b']' | b'{' | b'}')
}

/// A scalar as read in block context: a key when a `:` and a blank follow it.
struct Tok<'a> {
    text: Cow<'a, str>,
    style: ScalarStyle,
    pos: Pos,
    /// Where the `:` of a key is.
    colon: Option<usize>,
}

struct Reader<'a, 'b> {
    s: &'a str,
    b: &'a [u8],
    /// The whole text is ASCII, so a column is a byte offset (most manifests).
    ascii: bool,
    i: usize,
    /// The line of `i` (1-based, with the chunk's line offset) and where that line starts.
    line: u32,
    line_start: usize,
    out: Builder<'b>,
}

impl<'a> Reader<'a, '_> {
    fn at(&self, j: usize) -> u8 {
        self.b.get(j).copied().unwrap_or(0)
    }

    fn peek(&self) -> u8 {
        self.at(self.i)
    }

    fn eof(&self) -> bool {
        self.i >= self.b.len()
    }

    /// The position of byte `at` of the current line, its column counted in characters.
    fn pos(&self, at: usize) -> Pos {
        let seg = &self.b[self.line_start..at];
        let col = if self.ascii || seg.is_ascii() {
            seg.len()
        } else {
            self.s[self.line_start..at].chars().count()
        };
        Pos {
            line: self.line,
            col: col as u32 + 1,
        }
    }

    fn here(&self) -> Pos {
        self.pos(self.i)
    }

    /// The indentation of the current line, with `i` at its first character.
    fn indent(&self) -> i64 {
        (self.i - self.line_start) as i64
    }

    fn emit(&mut self, event: Event<'a>, pos: Pos) -> Step {
        self.out.event(event, pos).map(drop).map_err(|_| GiveUp)
    }

    fn emit_scalar(&mut self, text: Cow<'a, str>, style: ScalarStyle, pos: Pos) -> Step {
        self.emit(Event::Scalar(text, style, 0, None), pos)
    }

    /// An empty node (`key:` with nothing after it, `-` alone): saphyr-parser puts it at the
    /// indicator.
    fn emit_empty(&mut self, pos: Pos) -> Step {
        self.emit_scalar(Cow::Borrowed(""), ScalarStyle::Plain, pos)
    }

    fn newline(&mut self) {
        self.i += 1;
        self.line += 1;
        self.line_start = self.i;
    }

    fn skip_spaces(&mut self) {
        while self.peek() == b' ' {
            self.i += 1;
        }
    }

    fn skip_to_line_end(&mut self) {
        self.i = match self.b[self.i..].iter().position(|&c| c == b'\n') {
            Some(n) => self.i + n,
            None => self.b.len(),
        };
    }

    /// A comment may start here: at the start of a line or after a space.
    fn comment_here(&self) -> bool {
        self.peek() == b'#' && (self.i == 0 || matches!(self.b[self.i - 1], b' ' | b'\n'))
    }

    /// From the start of a line: past blank lines and comment lines, to the first character of
    /// the next line with content (or the end).
    fn skip_blank_lines(&mut self) {
        loop {
            self.skip_spaces();
            match self.peek() {
                b'\n' => self.newline(),
                b'#' => self.skip_to_line_end(),
                _ => return,
            }
        }
    }

    /// What is left of the line must be blank or a comment; then on to the next content.
    fn end_line(&mut self) -> Step {
        self.skip_spaces();
        if self.comment_here() {
            self.skip_to_line_end();
        }
        match self.peek() {
            0 if self.eof() => Ok(()),
            b'\n' => {
                self.newline();
                self.skip_blank_lines();
                Ok(())
            }
            _ => Err(GiveUp),
        }
    }

    /// `---` or `...` at the start of a line.
    fn marker(&self, c: u8) -> bool {
        self.i == self.line_start
            && self.b[self.i..].starts_with(&[c, c, c])
            && blank_or_end(self.at(self.i + 3))
    }

    fn any_marker(&self) -> bool {
        self.marker(b'-') || self.marker(b'.')
    }

    fn at_entry(&self) -> bool {
        self.peek() == b'-' && blank_or_end(self.at(self.i + 1))
    }

    fn stream(&mut self) -> Step {
        self.emit(Event::StreamStart, self.here())?;
        loop {
            self.skip_blank_lines();
            if self.eof() {
                break;
            }
            let explicit = self.marker(b'-');
            if explicit {
                self.i += 3;
                self.end_line()?;
            }
            if self.marker(b'.') {
                return Err(GiveUp);
            }
            if explicit && (self.eof() || self.marker(b'-')) {
                // `---` with nothing after it: a document that holds an empty node.
                self.emit(Event::DocumentStart(true), self.here())?;
                // At the end of a text without a final line break, saphyr-parser counts one.
                let at = match self.here() {
                    pos if self.eof() && pos.col > 1 => Pos {
                        line: pos.line + 1,
                        col: 1,
                    },
                    pos => pos,
                };
                self.emit_empty(at)?;
                self.emit(Event::DocumentEnd, self.here())?;
                continue;
            }
            self.emit(Event::DocumentStart(explicit), self.here())?;
            self.block_node(-1)?;
            if !self.eof() && !self.marker(b'-') {
                return Err(GiveUp);
            }
            self.emit(Event::DocumentEnd, self.here())?;
        }
        self.emit(Event::StreamEnd, self.here())
    }

    /// A node in block context, at its first character; `parent` is the indentation of the
    /// collection it is in (-1 at the top). Returns at the next line with content.
    fn block_node(&mut self, parent: i64) -> Step {
        let col = self.here().col as i64 - 1;
        match self.peek() {
            b'-' if self.at_entry() => self.block_seq(col, false),
            b'|' => self.literal(parent),
            b'[' | b'{' => {
                self.flow_node(parent)?;
                self.skip_spaces();
                if self.peek() == b':' {
                    // A flow collection as a key.
                    return Err(GiveUp);
                }
                self.end_value(parent)
            }
            _ => {
                let tok = self.scalar()?;
                if tok.colon.is_some() {
                    self.block_map(col, tok)
                } else {
                    self.emit_scalar(tok.text, tok.style, tok.pos)?;
                    self.end_value(parent)
                }
            }
        }
    }

    /// After a value that ends its line: the next content may not be indented deeper than the
    /// collection the value is in (it would continue a plain scalar, or be an error).
    fn end_value(&mut self, indent: i64) -> Step {
        self.end_line()?;
        if self.eof() || self.any_marker() || self.indent() <= indent {
            Ok(())
        } else {
            Err(GiveUp)
        }
    }

    /// A block sequence, at its first `-`. One at the indentation of the key it is the value of
    /// (`indentless`) starts, for saphyr-parser, at its first item, which must then be on the
    /// `-`'s line.
    fn block_seq(&mut self, indent: i64, indentless: bool) -> Step {
        if indentless {
            let dash = self.i;
            self.i += 1;
            self.skip_spaces();
            if self.peek() == b'\n' || self.eof() || self.comment_here() {
                return Err(GiveUp);
            }
            self.emit(Event::SequenceStart(0, None), self.here())?;
            self.i = dash;
        } else {
            self.emit(Event::SequenceStart(0, None), self.here())?;
        }
        loop {
            self.i += 1;
            self.skip_spaces();
            if self.comment_here() {
                self.skip_to_line_end();
            }
            if self.peek() == b'\n' || self.eof() {
                // saphyr-parser puts an empty item at the end of its `-`'s line.
                let dash = self.here();
                self.end_line()?;
                if !self.eof() && !self.any_marker() && self.indent() > indent {
                    self.block_node(indent)?;
                } else {
                    self.emit_empty(dash)?;
                }
            } else {
                self.block_node(indent)?;
            }
            if self.eof() || self.any_marker() || self.indent() < indent {
                break;
            }
            if self.indent() > indent {
                return Err(GiveUp);
            }
            if !self.at_entry() {
                break;
            }
        }
        self.emit(Event::SequenceEnd, self.here())
    }

    fn block_map(&mut self, indent: i64, first: Tok<'a>) -> Step {
        self.emit(Event::MappingStart(0, None), first.pos)?;
        let mut key = first;
        loop {
            let Some(colon) = key.colon else {
                return Err(GiveUp);
            };
            // saphyr-parser does not take a key longer than this as a key.
            if colon - self.line_start > 1000 {
                return Err(GiveUp);
            }
            let colon = self.pos(colon);
            self.emit_scalar(key.text, key.style, key.pos)?;
            self.map_value(indent, colon)?;
            if self.eof() || self.any_marker() || self.indent() < indent {
                break;
            }
            if self.indent() > indent {
                return Err(GiveUp);
            }
            key = self.scalar()?;
        }
        self.emit(Event::MappingEnd, self.here())
    }

    /// The value of a block mapping's key, with `i` just past the `:`.
    fn map_value(&mut self, indent: i64, colon: Pos) -> Step {
        self.skip_spaces();
        if self.peek() == b'\n' || self.eof() || self.comment_here() {
            self.end_line()?;
            if !self.eof() && !self.any_marker() {
                if self.indent() > indent {
                    return self.block_node(indent);
                }
                if self.indent() == indent && self.at_entry() {
                    // A sequence at the key's own indentation.
                    return self.block_seq(indent, true);
                }
            }
            return self.emit_empty(colon);
        }
        match self.peek() {
            b'|' => self.literal(indent),
            b'[' | b'{' => {
                self.flow_node(indent)?;
                self.end_value(indent)
            }
            _ => {
                let tok = self.scalar()?;
                if tok.colon.is_some() {
                    // `a: b: c`
                    return Err(GiveUp);
                }
                self.emit_scalar(tok.text, tok.style, tok.pos)?;
                self.end_value(indent)
            }
        }
    }

    /// A scalar on one line in block context, and whether it is a key (then `i` is past the
    /// `:`).
    fn scalar(&mut self) -> Step<Tok<'a>> {
        let pos = self.here();
        let (text, style) = match self.peek() {
            q @ (b'"' | b'\'') => self.quoted(q)?,
            _ => return self.plain_block(pos),
        };
        let colon = (self.peek() == b':' && blank_or_end(self.at(self.i + 1))).then_some(self.i);
        if colon.is_some() {
            self.i += 1;
        }
        Ok(Tok {
            text,
            style,
            pos,
            colon,
        })
    }

    /// Whether a plain scalar may start here (`-`, `?` and `:` only before a character that
    /// cannot follow them as indicators).
    fn plain_may_start(&self, flow: bool) -> bool {
        let next = self.at(self.i + 1);
        match self.peek() {
            b'-' | b'?' | b':' => !(blank_or_end(next) || (flow && flow_indicator(next))),
            b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|' | b'>' | b'\''
            | b'"' | b'%' | b'@' | b'`' | b' ' | b'\n' | 0 => false,
            _ => true,
        }
    }

    fn plain_block(&mut self, pos: Pos) -> Step<Tok<'a>> {
        if !self.plain_may_start(false) {
            return Err(GiveUp);
        }
        let start = self.i;
        let mut j = start;
        let mut colon = None;
        loop {
            match self.at(j) {
                0 | b'\n' => break,
                b':' if blank_or_end(self.at(j + 1)) => {
                    colon = Some(j);
                    break;
                }
                b'#' if self.b[j - 1] == b' ' => break,
                _ => j += 1,
            }
        }
        let end = self.trim_end(start, j);
        self.i = match colon {
            Some(c) => c + 1,
            None => end,
        };
        Ok(Tok {
            text: Cow::Borrowed(&self.s[start..end]),
            style: ScalarStyle::Plain,
            pos,
            colon,
        })
    }

    fn trim_end(&self, start: usize, mut end: usize) -> usize {
        while end > start && self.b[end - 1] == b' ' {
            end -= 1;
        }
        end
    }

    /// A quoted scalar on one line, at its opening `quote` (`'` or `"`): borrowed from the
    /// source unless an escape (`''`, or a backslash in double quotes) makes a copy necessary.
    fn quoted(&mut self, quote: u8) -> Step<(Cow<'a, str>, ScalarStyle)> {
        let start = self.i + 1;
        let mut j = start;
        let mut owned: Option<String> = None;
        let mut from = start;
        loop {
            match self.at(j) {
                0 | b'\n' => return Err(GiveUp),
                b'\'' if quote == b'\'' && self.at(j + 1) == b'\'' => {
                    owned
                        .get_or_insert_with(String::new)
                        .push_str(&self.s[from..=j]);
                    j += 2;
                    from = j;
                }
                b'\\' if quote == b'"' => {
                    let (c, len) = escape(&self.b[j + 1..])?;
                    let text = owned.get_or_insert_with(String::new);
                    text.push_str(&self.s[from..j]);
                    text.push(c);
                    j += 1 + len;
                    from = j;
                }
                c if c == quote => break,
                _ => j += 1,
            }
        }
        self.i = j + 1;
        let text = match owned {
            None => Cow::Borrowed(&self.s[start..j]),
            Some(mut text) => {
                text.push_str(&self.s[from..j]);
                Cow::Owned(text)
            }
        };
        let style = if quote == b'"' {
            ScalarStyle::DoubleQuoted
        } else {
            ScalarStyle::SingleQuoted
        };
        Ok((text, style))
    }

    /// A literal block scalar (`|`, `|-`, `|+`), at its `|`; `parent` is the indentation of the
    /// collection it is in. An explicit indentation (`|2`), an empty one, and one that ends
    /// the text without a line break are left to saphyr-parser.
    fn literal(&mut self, parent: i64) -> Step {
        if parent < 0 {
            return Err(GiveUp);
        }
        self.i += 1;
        let chomp = self.peek();
        if matches!(chomp, b'-' | b'+') {
            self.i += 1;
        }
        if self.peek().is_ascii_digit() {
            return Err(GiveUp);
        }
        self.skip_spaces();
        if self.comment_here() {
            self.skip_to_line_end();
        }
        if self.peek() != b'\n' {
            return Err(GiveUp);
        }
        self.newline();
        // Content indentation: that of the first line that is not blank.
        let mut indent: Option<usize> = None;
        let mut text = String::new();
        // Blank lines seen since the last content line, and the most spaces any of them had.
        let mut blanks = 0usize;
        let mut blank_spaces = 0usize;
        let mut lines = 0usize;
        // saphyr-parser puts the scalar where its first content line's text starts.
        let mut pos = Pos::default();
        loop {
            let start = self.i;
            self.skip_spaces();
            let spaces = self.i - start;
            if self.peek() == b'\n' {
                blanks += 1;
                blank_spaces = blank_spaces.max(spaces);
                self.newline();
                continue;
            }
            if self.eof() {
                if spaces > 0 {
                    // A last line of spaces without a line break.
                    return Err(GiveUp);
                }
                break;
            }
            let n = *indent.get_or_insert(spaces);
            if spaces < n {
                break;
            }
            if n as i64 <= parent || blank_spaces > n {
                // Empty, or blank lines deeper than the content (an error).
                return Err(GiveUp);
            }
            if lines > 0 {
                text.push('\n');
            } else {
                pos = self.here();
            }
            for _ in 0..blanks {
                text.push('\n');
            }
            blanks = 0;
            lines += 1;
            self.skip_to_line_end();
            text.push_str(&self.s[start + n..self.i]);
            if self.eof() {
                return Err(GiveUp);
            }
            self.newline();
        }
        if lines == 0 || indent.is_some_and(|n| blank_spaces > n) {
            return Err(GiveUp);
        }
        match chomp {
            b'-' => {}
            b'+' => (0..=blanks).for_each(|_| text.push('\n')),
            _ => text.push('\n'),
        }
        // Back at the start of the line that ended the scalar (or the end).
        self.i = self.line_start;
        self.emit_scalar(Cow::Owned(text), ScalarStyle::Literal, pos)?;
        self.skip_blank_lines();
        if self.eof() || self.any_marker() || self.indent() <= parent {
            Ok(())
        } else {
            Err(GiveUp)
        }
    }

    // --- flow context -------------------------------------------------------------------------

    /// `[...]` or `{...}`, at its opening bracket; `indent` is that of the block collection it is
    /// in, which its lines must be indented past.
    fn flow_node(&mut self, indent: i64) -> Step {
        match self.peek() {
            b'[' => self.flow_seq(indent),
            b'{' => self.flow_map(indent),
            _ => Err(GiveUp),
        }
    }

    /// Spaces, line breaks and comments between flow tokens.
    fn flow_space(&mut self, indent: i64) -> Step {
        let mut new_line = false;
        loop {
            match self.peek() {
                b' ' => self.i += 1,
                b'\n' => {
                    self.newline();
                    new_line = true;
                }
                b'#' if self.comment_here() => self.skip_to_line_end(),
                _ => break,
            }
        }
        if new_line && !self.eof() && self.indent() <= indent {
            return Err(GiveUp);
        }
        Ok(())
    }

    fn flow_seq(&mut self, indent: i64) -> Step {
        self.emit(Event::SequenceStart(0, None), self.here())?;
        self.i += 1;
        self.flow_space(indent)?;
        if self.peek() != b']' {
            loop {
                self.flow_item(indent)?;
                if !self.flow_next(indent, b']')? {
                    break;
                }
            }
        }
        self.i += 1;
        self.emit(Event::SequenceEnd, self.here())
    }

    /// After a flow collection's item: `true` past a `,` (another item follows), `false` at
    /// the closing bracket `close`. A trailing comma is left to saphyr-parser.
    fn flow_next(&mut self, indent: i64, close: u8) -> Step<bool> {
        self.flow_space(indent)?;
        match self.peek() {
            b',' => {
                self.i += 1;
                self.flow_space(indent)?;
                if self.peek() == close {
                    return Err(GiveUp);
                }
                Ok(true)
            }
            c if c == close => Ok(false),
            _ => Err(GiveUp),
        }
    }

    /// A quoted or plain scalar in flow context.
    fn flow_scalar(&mut self) -> Step<(Cow<'a, str>, ScalarStyle)> {
        match self.peek() {
            q @ (b'"' | b'\'') => self.quoted(q),
            _ => Ok((self.plain_flow()?, ScalarStyle::Plain)),
        }
    }

    fn flow_map(&mut self, indent: i64) -> Step {
        self.emit(Event::MappingStart(0, None), self.here())?;
        self.i += 1;
        self.flow_space(indent)?;
        if self.peek() != b'}' {
            loop {
                let pos = self.here();
                let (text, style) = self.flow_scalar()?;
                self.emit_scalar(text, style, pos)?;
                // The `:` on the key's line. Only right after a quoted key (JSON's `"a":1`) may
                // the value touch it; after a plain key, saphyr-parser refuses `a:{` and `a:[`.
                let key_end = self.i;
                self.skip_spaces();
                if self.peek() != b':' {
                    return Err(GiveUp);
                }
                self.i += 1;
                let json_key = style != ScalarStyle::Plain && self.i == key_end + 1;
                if !json_key && !matches!(self.peek(), b' ' | b'\n') {
                    return Err(GiveUp);
                }
                self.flow_space(indent)?;
                if matches!(self.peek(), b',' | b'}') {
                    // An empty value.
                    return Err(GiveUp);
                }
                self.flow_item(indent)?;
                if !self.flow_next(indent, b'}')? {
                    break;
                }
            }
        }
        self.i += 1;
        self.emit(Event::MappingEnd, self.here())
    }

    fn flow_item(&mut self, indent: i64) -> Step {
        if matches!(self.peek(), b'[' | b'{') {
            return self.flow_node(indent);
        }
        let pos = self.here();
        let (text, style) = self.flow_scalar()?;
        self.emit_scalar(text, style, pos)
    }

    fn plain_flow(&mut self) -> Step<Cow<'a, str>> {
        if !self.plain_may_start(true) {
            return Err(GiveUp);
        }
        let start = self.i;
        let mut j = start;
        loop {
            match self.at(j) {
                0 | b'\n' | b',' | b'[' | b']' | b'{' | b'}' => break,
                b':' if blank_or_end(self.at(j + 1)) || flow_indicator(self.at(j + 1)) => break,
                b'#' if self.b[j - 1] == b' ' => break,
                _ => j += 1,
            }
        }
        let end = self.trim_end(start, j);
        // saphyr-parser reads an indicator after a space inside a flow scalar (`[-- -]`) as the
        // start of another token, and refuses it.
        if self.b[start..end]
            .windows(2)
            .any(|w| w[0] == b' ' && matches!(w[1], b'-' | b'?' | b':'))
        {
            return Err(GiveUp);
        }
        self.i = end;
        Ok(Cow::Borrowed(&self.s[start..end]))
    }
}

/// A double-quoted scalar's escape, after its backslash: the character and how many bytes it
/// took. An escaped line break is left to saphyr-parser.
fn escape(b: &[u8]) -> Step<(char, usize)> {
    let c = match b.first() {
        Some(b'0') => '\0',
        Some(b'a') => '\u{7}',
        Some(b'b') => '\u{8}',
        Some(b't') => '\t',
        Some(b'n') => '\n',
        Some(b'v') => '\u{b}',
        Some(b'f') => '\u{c}',
        Some(b'r') => '\r',
        Some(b'e') => '\u{1b}',
        Some(b' ') => ' ',
        Some(b'"') => '"',
        Some(b'/') => '/',
        Some(b'\\') => '\\',
        Some(b'N') => '\u{85}',
        Some(b'_') => '\u{a0}',
        Some(b'L') => '\u{2028}',
        Some(b'P') => '\u{2029}',
        Some(b'x') => return hex(b, 2),
        Some(b'u') => return hex(b, 4),
        Some(b'U') => return hex(b, 8),
        _ => return Err(GiveUp),
    };
    Ok((c, 1))
}

fn hex(b: &[u8], digits: usize) -> Step<(char, usize)> {
    let text = b.get(1..=digits).ok_or(GiveUp)?;
    if !text.iter().all(u8::is_ascii_hexdigit) {
        return Err(GiveUp);
    }
    let text = std::str::from_utf8(text).map_err(|_| GiveUp)?;
    let code = u32::from_str_radix(text, 16).map_err(|_| GiveUp)?;
    Ok((char::from_u32(code).ok_or(GiveUp)?, 1 + digits))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resource::node::parse_documents_saphyr;

    /// Whether the fast reader takes `text`; where it does, its tree must be saphyr-parser's.
    fn taken(text: &str) -> bool {
        let limits = ParseLimits::DEFAULT;
        let fast = parse(text, 3, limits);
        if let Some(fast) = &fast {
            let mut budget = limits.max_alias_nodes;
            match parse_documents_saphyr(text, 3, limits, &mut budget) {
                Ok(slow) if &slow == fast => {}
                Ok(slow) => {
                    let (fast, slow) = (dump(fast), dump(&slow));
                    let first = fast.lines().zip(slow.lines()).position(|(a, b)| a != b);
                    let near = |d: &str| {
                        let from = first.unwrap_or(0).saturating_sub(3);
                        d.lines().skip(from).take(6).collect::<Vec<_>>().join("\n")
                    };
                    let short: String = text.chars().take(400).collect();
                    panic!(
                        "the readers differ on {short:?}... at tree line {first:?}:\nfast:\n{}\nsaphyr:\n{}",
                        near(&fast),
                        near(&slow)
                    );
                }
                Err(e) => {
                    panic!("saphyr-parser fails on {text:?}, which the fast reader took: {e:?}")
                }
            }
        }
        fast.is_some()
    }

    /// One line per node: depth, position, what it is.
    pub(crate) fn dump(docs: &[Node]) -> String {
        fn walk(n: &Node, depth: usize, out: &mut String) {
            use crate::resource::node::Value;
            let what = match &n.value {
                Value::Null => "null".to_string(),
                Value::Scalar(s, k) => format!("{s:?} {k:?}"),
                Value::Seq(items) => format!("seq {}", items.len()),
                Value::Map(entries) => format!("map {}", entries.len()),
            };
            out.push_str(&format!("{depth} {}:{} {what}\n", n.pos.line, n.pos.col));
            match &n.value {
                Value::Seq(items) => items.iter().for_each(|i| walk(i, depth + 1, out)),
                Value::Map(entries) => entries.iter().for_each(|e| {
                    out.push_str(&format!(
                        "{depth} key {:?} {}:{}\n",
                        e.key, e.key_pos.line, e.key_pos.col
                    ));
                    walk(&e.value, depth + 1, out)
                }),
                _ => {}
            }
        }
        let mut out = String::new();
        docs.iter().for_each(|d| walk(d, 0, &mut out));
        out
    }

    #[test]
    fn takes_what_manifests_use() {
        for text in [
            "",
            "# only a comment\n",
            "a: 1\n",
            "a: 1",
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  labels: {app: web, tier: \"front\"}\nspec:\n  ports:\n  - port: 80\n    name: http\n  -   port: 443\n      targetPort: 8443 # tls\n",
            "a:\n- x\n- y\nb: 2\n",
            "a:\n  - x\n  -\n  - - nested\n    - more\n",
            "a:\nb: ~\nc: null\nd: ''\ne: \"\"\n",
            "a:   \n\n\n   # c\nb: x\n",
            "- a\n- b: c\n  d: e\n-\n",
            "-   \n- # c\n-\n-",
            "a:\n-   \n- # c\nb:\n- x\n-\n",
            "a:\n  b:\n  c:    \n  d: # c\ne:",
            "url: http://example.com:80/x#frag\nweird: a:b\nhash: a#b\n",
            "quote: 'it''s'\ndq: \"a\\\"b\\\\c\\n\\u00e9\\x41\"\n",
            "empty: []\nmap: {}\nargs: [\"--a\", '--b', c, 1, 2.5, true, null]\n",
            "nested: {a: [1, {b: c}], d: {}}\n",
            // Found by the `yaml` fuzz target: a plain flow key's `:` touching a collection.
            "a: {labels :{pp: x, y: z}}\n",
            "{a:{b: c}}",
            "{a:[b]}",
            "-\n [-- -]",
            "[a -b, c ?d, e :f]",
            "{\"a\":{\"b\":[1]}}",
            "{\"a\" :{\"b\": 1}}",
            "{'a':[1], 'b' : [2]}",
            "{\n  \"apiVersion\": \"v1\",\n  \"items\": [\n    {\"a\": 1},\n    {\"b\": [true, false]}\n  ]\n}\n",
            "{\"a\":1,\"b\":\"x\"}",
            "naïve: café\nkey: ünïcödé value\n  # indented comment\nnext: 1\n",
            "  indented: root\n  second: 2\n",
            "--- # a comment\na: 1\n---\nb: 2\n",
            "a : spaced\n",
            "-1: minus\n? not a key\n",
            "k: v\n---\n",
            "k: v\n---\n---\nx: 1\n---",
            "---\n",
            "---",
            "scalar at root\n",
            "a: 'x' # c\nb: \"y\"   # c\n",
            "a: [1, 2] # c\nb: {x: y}\n",
            "octal: 0644\nhex: 0x1F\nbig: 123456789012345678901234567890\ninf: .inf\n",
            "- [a, b]\n- {c: d}\n",
            "a: |\n  text\n  more\n\n   deeper\n\nb: |-\n  x\n\n\nc: |+\n  y\n\n\nd: 1\n",
            "a: |  # c\n\n  # not a comment\n  x\n # a comment\nb:\n- |\n  item\n- |-\n   i2\n",
            "a: |\n  x\n  \n    \nb: 1\n",
            "a:\n  b: |\n    x\n  c: |+\n    y\n",
            "a: |\n  x",
            "a: |\n\n",
            "a: |2\n   x\n",
            "a: |\n    x\n  y\n",
            "a: |\n   \n  x\n",
            "a:\n  b:\n    c:\n      d: deep\n  e: back\nf: top\n",
        ] {
            // Not all of these are taken (the explicit key `?` is not); all that are agree.
            taken(text);
        }
        assert!(taken("a: 1\nb:\n  - c\n"));
        assert!(taken("{\"a\": [1, 2, {\"b\": \"c\\u00e9\"}]}\n"));
        assert!(taken("a: 'it''s'\n"));
        assert!(taken("{\"a\":1,\"b\":{\"c\":[true]}}"));
        assert!(taken("--- # c\na: 1\n"));
    }

    #[test]
    fn gives_up_on_the_rest() {
        for text in [
            "a: &x 1\nb: *x\n",
            "a: !!str 1\n",
            "a: >\n  text\n",
            "a: multi\n  line\n",
            "a: 'multi\n  line'\n",
            "? a\n: b\n",
            "%YAML 1.2\n---\na: 1\n",
            "a:\tb\n",
            "a: b\r\n",
            "a: 1\n...\n",
            "a: 1\na: 2\n",
            "a: b: c\n",
            "a: [1, 2,]\n",
            "a: {b}\n",
            "a: \"x\\\n y\"\n",
            "\u{feff}a: 1\n",
        ] {
            assert!(!taken(text), "taken: {text:?}");
        }
    }

    /// Every YAML and JSON file of the repository's test data and of the shared upstream
    /// corpora (read where they are, not copied).
    fn corpus() -> Vec<(String, String)> {
        fn walk(dir: &std::path::Path, out: &mut Vec<(String, String)>) {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return;
            };
            let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
            paths.sort();
            for p in paths {
                if p.is_dir() {
                    walk(&p, out);
                } else if p
                    .extension()
                    .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
                    && let Ok(text) = std::fs::read_to_string(&p)
                {
                    out.push((p.display().to_string(), text));
                }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut out = Vec::new();
        for dir in [
            root.join("testdata"),
            root.join("src"),
            root.join("../shared/conformance"),
            root.join("../shared/istio-release"),
        ] {
            walk(&dir, &mut out);
        }
        out
    }

    #[test]
    fn agrees_with_saphyr_on_every_file_here() {
        let files = corpus();
        assert!(
            files.len() > 100,
            "the corpus is missing: {} files",
            files.len()
        );
        let taken_files = files.iter().filter(|(_, text)| taken(text)).count();
        eprintln!("{taken_files} of {} files were taken", files.len());
        // Most of them are plain manifests; the share that falls back is bounded so that a
        // change that makes the reader give up everywhere does not pass unnoticed.
        assert!(
            taken_files * 10 >= files.len() * 7,
            "the fast reader took only {taken_files} of {} files",
            files.len()
        );
    }

    /// Small random edits of real files (a YAML-significant character put in, taken out or
    /// swapped): wherever the fast reader takes the result, saphyr-parser reads the same tree.
    #[test]
    fn agrees_with_saphyr_on_edited_files() {
        const PIECES: &[&str] = &[
            " ", "\n", ":", ": ", "-", "- ", "#", " #", "'", "\"", "[", "]", "{", "}", ",", "&a ",
            "*a", "!", "|", ">", "?", "%", "\\", "\t", "x", "0", "---\n", "...", "\u{e9}", "  ",
            "\n  ", "\n- ", "''", "\\u00e9", "\\x4",
        ];
        let mut rng = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move |n: usize| {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            (rng % n as u64) as usize
        };
        let files: Vec<String> = corpus()
            .into_iter()
            .map(|(_, t)| t)
            .filter(|t| t.len() < 4000)
            .collect();
        let (mut tried, mut took) = (0, 0);
        for round in 0..20_000 {
            let mut text = files[round % files.len()].clone();
            for _ in 0..1 + next(3) {
                let mut at = next(text.len() + 1);
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                let mut end = (at + next(3)).min(text.len());
                while !text.is_char_boundary(end) {
                    end -= 1;
                }
                match next(3) {
                    0 => text.insert_str(at, PIECES[next(PIECES.len())]),
                    1 => text.replace_range(at..end, ""),
                    _ => text.replace_range(at..end, PIECES[next(PIECES.len())]),
                }
            }
            tried += 1;
            took += usize::from(taken(&text));
        }
        eprintln!("{took} of {tried} edited files were taken");
        assert!(
            took * 10 > tried,
            "only {took} of {tried} edited files were taken"
        );
    }
}
