//! Go `text/template` parsing: actions between `{{` and `}}`, `{{-`/`-}}` whitespace trimming,
//! comments, pipelines, variables, and the control structures (`if`/`else if`, `range`,
//! `with`/`else with`, `define`, `block`, `template`, `break`, `continue`).

use std::collections::BTreeMap;

use super::value::Value;

#[derive(Debug, Clone, thiserror::Error)]
#[error("template: {name}:{line}: {message}")]
pub struct ParseError {
    pub name: String,
    pub line: usize,
    pub message: String,
}

#[derive(Debug, Clone)]
pub enum Node {
    Text(String),
    Action(Pipe),
    If(Pipe, Vec<Node>, Vec<Node>),
    Range(Pipe, Vec<Node>, Vec<Node>),
    With(Pipe, Vec<Node>, Vec<Node>),
    Template(String, Option<Pipe>, usize),
    Break,
    Continue,
}

#[derive(Debug, Clone)]
pub struct Pipe {
    pub decl: Vec<String>,
    /// `=` rather than `:=`.
    pub assign: bool,
    pub cmds: Vec<Cmd>,
    pub line: usize,
}

#[derive(Debug, Clone)]
pub struct Cmd {
    pub args: Vec<Arg>,
}

#[derive(Debug, Clone)]
pub enum Arg {
    /// `.a.b` (empty: `.`).
    Field(Vec<String>),
    /// `$x.a.b`.
    Var(String, Vec<String>),
    /// A function name.
    Ident(String),
    Lit(Value),
    /// `(pipeline).a.b`.
    Sub(Box<Pipe>, Vec<String>),
}

/// The named templates of one file: its body under its own name, and every `define`/`block`.
pub type TreeSet = BTreeMap<String, Vec<Node>>;

#[derive(Debug, Clone)]
enum Tok {
    Field(String),
    Dot,
    Var(String),
    Ident(String),
    Str(String),
    Num(Value),
    Bool(bool),
    Nil,
    Pipe,
    LParen,
    RParen,
    Declare,
    Assign,
    Comma,
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    /// Whitespace before it (a field right after a term without space chains onto it).
    spaced: bool,
}

enum Seg {
    Text(String),
    Action(Vec<Token>, usize),
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

struct Ctx<'a> {
    name: &'a str,
}

impl Ctx<'_> {
    fn err(&self, line: usize, message: impl Into<String>) -> ParseError {
        ParseError {
            name: self.name.to_string(),
            line,
            message: message.into(),
        }
    }
}

/// Splits a template into text and actions, applying the trim markers and dropping comments.
fn segments(ctx: &Ctx, src: &str) -> Result<Vec<Seg>, ParseError> {
    let mut out = Vec::new();
    let mut rest = src;
    let mut line = 1usize;
    let mut trim_next = false;
    while !rest.is_empty() {
        let Some(open) = rest.find("{{") else {
            let mut text = rest.to_string();
            if trim_next {
                text = text.trim_start_matches(is_space).to_string();
            }
            out.push(Seg::Text(text));
            break;
        };
        let mut text = rest[..open].to_string();
        line += rest[..open].matches('\n').count();
        let after = &rest[open + 2..];
        let trim_left = after.starts_with('-') && after[1..].starts_with(is_space);
        if trim_next {
            text = text.trim_start_matches(is_space).to_string();
        }
        if trim_left {
            text = text.trim_end_matches(is_space).to_string();
        }
        if !text.is_empty() {
            out.push(Seg::Text(text));
        }
        let body_start = if trim_left { 2 } else { 0 };
        let body = &after[body_start..];
        // Comments: `{{/* ... */}}`, possibly with trim markers around them.
        let trimmed_body = body.trim_start_matches(is_space);
        if trimmed_body.starts_with("/*") {
            let Some(end) = trimmed_body.find("*/") else {
                return Err(ctx.err(line, "unclosed comment"));
            };
            let tail = &trimmed_body[end + 2..];
            let tail_t = tail.trim_start_matches(is_space);
            let (trim_right, close_len) = if tail_t.starts_with("-}}") && tail_t.len() < tail.len()
            {
                (true, tail.len() - tail_t.len() + 3)
            } else if tail.starts_with("}}") {
                (false, 2)
            } else {
                return Err(ctx.err(line, "comment ends before closing delimiter"));
            };
            let consumed = (body.len() - trimmed_body.len()) + end + 2 + close_len;
            line += body[..consumed].matches('\n').count();
            rest = &body[consumed..];
            trim_next = trim_right;
            continue;
        }
        let (tokens, consumed, trim_right) = lex_action(ctx, body, line)?;
        out.push(Seg::Action(tokens, line));
        line += body[..consumed].matches('\n').count();
        rest = &body[consumed..];
        trim_next = trim_right;
    }
    Ok(out)
}

/// Lexes one action up to its `}}`; returns the tokens, the bytes consumed (delimiter
/// included) and whether it ended with ` -}}`.
fn lex_action(ctx: &Ctx, body: &str, line: usize) -> Result<(Vec<Token>, usize, bool), ParseError> {
    let b = body.as_bytes();
    let mut i = 0;
    let mut toks = Vec::new();
    let mut spaced = true;
    let mut line = line;
    let mut depth = 0i32;
    loop {
        if i >= b.len() {
            return Err(ctx.err(line, "unclosed action"));
        }
        let c = b[i] as char;
        if is_space(c) {
            // ` -}}` closes with a trim.
            let rest = &body[i..];
            let t = rest.trim_start_matches(is_space);
            if t.starts_with("-}}") {
                return Ok((toks, i + (rest.len() - t.len()) + 3, true));
            }
            if c == '\n' {
                line += 1;
            }
            i += 1;
            spaced = true;
            continue;
        }
        if body[i..].starts_with("}}") {
            return Ok((toks, i + 2, false));
        }
        let start = i;
        let tok = match c {
            '|' => {
                i += 1;
                Tok::Pipe
            }
            '(' => {
                i += 1;
                depth += 1;
                Tok::LParen
            }
            ')' => {
                i += 1;
                depth -= 1;
                if depth < 0 {
                    return Err(ctx.err(line, "unexpected right paren"));
                }
                Tok::RParen
            }
            ',' => {
                i += 1;
                Tok::Comma
            }
            ':' if b.get(i + 1) == Some(&b'=') => {
                i += 2;
                Tok::Declare
            }
            '=' => {
                i += 1;
                Tok::Assign
            }
            '"' => {
                let (s, n) = lex_quoted(body, i)
                    .ok_or_else(|| ctx.err(line, "unterminated quoted string"))?;
                i = n;
                Tok::Str(s)
            }
            '`' => {
                let end = body[i + 1..]
                    .find('`')
                    .ok_or_else(|| ctx.err(line, "unterminated raw quoted string"))?;
                let s = body[i + 1..i + 1 + end].to_string();
                line += s.matches('\n').count();
                i += end + 2;
                Tok::Str(s)
            }
            '\'' => {
                let (s, n) = lex_char(body, i)
                    .ok_or_else(|| ctx.err(line, "malformed character constant"))?;
                i = n;
                Tok::Num(Value::Int(s as i64))
            }
            '$' => {
                i += 1;
                while i < b.len() && is_alnum(b[i]) {
                    i += 1;
                }
                Tok::Var(body[start..i].to_string())
            }
            '.' => {
                if i + 1 < b.len() && (b[i + 1] as char).is_ascii_digit() {
                    let n = lex_number_end(b, i);
                    let v = number(&body[i..n]).ok_or_else(|| {
                        ctx.err(line, format!("bad number syntax: {:?}", &body[i..n]))
                    })?;
                    i = n;
                    Tok::Num(v)
                } else {
                    i += 1;
                    let s = i;
                    while i < b.len() && is_alnum(b[i]) {
                        i += 1;
                    }
                    if s == i {
                        Tok::Dot
                    } else {
                        Tok::Field(body[s..i].to_string())
                    }
                }
            }
            c if c.is_ascii_digit()
                || ((c == '-' || c == '+')
                    && b.get(i + 1)
                        .is_some_and(|d| d.is_ascii_digit() || *d == b'.')) =>
            {
                let n = lex_number_end(b, i);
                let v = number(&body[i..n]).ok_or_else(|| {
                    ctx.err(line, format!("bad number syntax: {:?}", &body[i..n]))
                })?;
                i = n;
                Tok::Num(v)
            }
            c if is_alnum(c as u8) => {
                while i < b.len() && is_alnum(b[i]) {
                    i += 1;
                }
                match &body[start..i] {
                    "true" => Tok::Bool(true),
                    "false" => Tok::Bool(false),
                    "nil" => Tok::Nil,
                    w => Tok::Ident(w.to_string()),
                }
            }
            other => return Err(ctx.err(line, format!("unexpected {other:?} in command"))),
        };
        toks.push(Token { tok, spaced });
        spaced = false;
    }
}

fn is_alnum(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

fn lex_number_end(b: &[u8], mut i: usize) -> usize {
    if b[i] == b'+' || b[i] == b'-' {
        i += 1;
    }
    while i < b.len() {
        let c = b[i];
        let exp_sign =
            (c == b'+' || c == b'-') && i > 0 && matches!(b[i - 1], b'e' | b'E' | b'p' | b'P');
        if c.is_ascii_alphanumeric() || c == b'.' || c == b'_' || exp_sign {
            i += 1;
        } else {
            break;
        }
    }
    i
}

fn number(s: &str) -> Option<Value> {
    let clean = s.replace('_', "");
    let (neg, body) = match clean.strip_prefix('-') {
        Some(b) => (true, b.to_string()),
        None => (false, clean.strip_prefix('+').unwrap_or(&clean).to_string()),
    };
    let int = if let Some(h) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        i64::from_str_radix(h, 16).ok()
    } else if let Some(o) = body.strip_prefix("0o").or_else(|| body.strip_prefix("0O")) {
        i64::from_str_radix(o, 8).ok()
    } else if let Some(bn) = body.strip_prefix("0b").or_else(|| body.strip_prefix("0B")) {
        i64::from_str_radix(bn, 2).ok()
    } else if body.len() > 1 && body.starts_with('0') && body.bytes().all(|c| c.is_ascii_digit()) {
        i64::from_str_radix(&body[1..], 8).ok()
    } else {
        body.parse::<i64>().ok()
    };
    if let Some(i) = int {
        return Some(Value::Int(if neg { -i } else { i }));
    }
    body.parse::<f64>()
        .ok()
        .map(|f| Value::Float(if neg { -f } else { f }))
}

fn lex_quoted(s: &str, start: usize) -> Option<(String, usize)> {
    let mut out = String::new();
    let mut chars = s[start + 1..].char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((out, start + 1 + i + 1)),
            '\n' => return None,
            '\\' => {
                let (_, e) = chars.next()?;
                match e {
                    'n' => out.push('\n'),
                    't' => out.push('\t'),
                    'r' => out.push('\r'),
                    '\\' => out.push('\\'),
                    '"' => out.push('"'),
                    '\'' => out.push('\''),
                    'a' => out.push('\x07'),
                    'b' => out.push('\x08'),
                    'f' => out.push('\x0c'),
                    'v' => out.push('\x0b'),
                    'x' | 'u' | 'U' => {
                        let n = match e {
                            'x' => 2,
                            'u' => 4,
                            _ => 8,
                        };
                        let mut hex = String::new();
                        for _ in 0..n {
                            hex.push(chars.next()?.1);
                        }
                        out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
                    }
                    _ => return None,
                }
            }
            c => out.push(c),
        }
    }
    None
}

fn lex_char(s: &str, start: usize) -> Option<(char, usize)> {
    let rest = &s[start + 1..];
    let mut chars = rest.char_indices();
    let (_, c) = chars.next()?;
    let c = if c == '\\' {
        let (_, e) = chars.next()?;
        match e {
            'n' => '\n',
            't' => '\t',
            '\\' => '\\',
            '\'' => '\'',
            _ => return None,
        }
    } else {
        c
    };
    let (i, q) = chars.next()?;
    (q == '\'').then_some((c, start + 1 + i + 1))
}

/// Parses `src` (the file `name`) into its named templates.
pub fn parse(name: &str, src: &str) -> Result<TreeSet, ParseError> {
    let ctx = Ctx { name };
    let segs = segments(&ctx, src)?;
    let mut p = Parser {
        ctx,
        segs,
        pos: 0,
        defs: TreeSet::new(),
    };
    let (body, end) = p.list(0)?;
    if let Some((word, line)) = end {
        return Err(p.ctx.err(line, format!("unexpected {{{{{word}}}}}")));
    }
    let mut set = std::mem::take(&mut p.defs);
    // A file that only defines templates does not replace a body of the same name.
    set.entry(name.to_string()).or_insert(body);
    Ok(set)
}

struct Parser<'a> {
    ctx: Ctx<'a>,
    segs: Vec<Seg>,
    pos: usize,
    defs: TreeSet,
}

/// How a list ended: `end`, `else` (with the rest of the else action's tokens).
type End = Option<(String, usize)>;

impl Parser<'_> {
    /// Parses nodes until `{{end}}` / `{{else ...}}` or the end of input.
    fn list(&mut self, depth: usize) -> Result<(Vec<Node>, End), ParseError> {
        let mut nodes = Vec::new();
        while self.pos < self.segs.len() {
            let seg = std::mem::replace(&mut self.segs[self.pos], Seg::Text(String::new()));
            self.pos += 1;
            match seg {
                Seg::Text(t) => nodes.push(Node::Text(t)),
                Seg::Action(toks, line) => {
                    let first = match toks.first().map(|t| &t.tok) {
                        Some(Tok::Ident(w)) => Some(w.clone()),
                        None => return Err(self.ctx.err(line, "missing value for command")),
                        _ => None,
                    };
                    match first.as_deref() {
                        Some("end") => {
                            if depth == 0 {
                                return Err(self.ctx.err(line, "unexpected {{end}}"));
                            }
                            return Ok((nodes, Some(("end".into(), line))));
                        }
                        Some("else") => {
                            if depth == 0 {
                                return Err(self.ctx.err(line, "unexpected {{else}}"));
                            }
                            // Keep the rest (`if x`, `with y`) for the caller.
                            self.pos -= 1;
                            self.segs[self.pos] = Seg::Action(toks[1..].to_vec(), line);
                            return Ok((nodes, Some(("else".into(), line))));
                        }
                        Some(kw @ ("if" | "range" | "with")) => {
                            let node = self.control(kw, &toks[1..], line, depth)?;
                            nodes.push(node);
                        }
                        Some(kw @ ("define" | "block")) => {
                            let Some(Token {
                                tok: Tok::Str(tname),
                                ..
                            }) = toks.get(1)
                            else {
                                return Err(self
                                    .ctx
                                    .err(line, format!("{kw} needs a template name")));
                            };
                            let tname = tname.clone();
                            let pipe = if kw == "block" {
                                Some(self.pipeline(&toks[2..], line, false)?)
                            } else {
                                if toks.len() > 2 {
                                    return Err(self
                                        .ctx
                                        .err(line, "unexpected tokens after define name"));
                                }
                                None
                            };
                            let (body, end) = self.list(depth + 1)?;
                            match end {
                                Some((e, _)) if e == "end" => {}
                                _ => {
                                    return Err(self
                                        .ctx
                                        .err(line, format!("unexpected EOF in {kw}")));
                                }
                            }
                            self.defs.insert(tname.clone(), body);
                            if kw == "block" {
                                nodes.push(Node::Template(tname, pipe, line));
                            }
                        }
                        Some("template") => {
                            let Some(Token {
                                tok: Tok::Str(tname),
                                ..
                            }) = toks.get(1)
                            else {
                                return Err(self.ctx.err(line, "template needs a name string"));
                            };
                            let pipe = if toks.len() > 2 {
                                Some(self.pipeline(&toks[2..], line, false)?)
                            } else {
                                None
                            };
                            nodes.push(Node::Template(tname.clone(), pipe, line));
                        }
                        Some("break") => nodes.push(Node::Break),
                        Some("continue") => nodes.push(Node::Continue),
                        _ => nodes.push(Node::Action(self.pipeline(&toks, line, true)?)),
                    }
                }
            }
        }
        Ok((nodes, None))
    }

    fn control(
        &mut self,
        kw: &str,
        toks: &[Token],
        line: usize,
        depth: usize,
    ) -> Result<Node, ParseError> {
        let pipe = self.pipeline(toks, line, true)?;
        let (body, end) = self.list(depth + 1)?;
        let else_body = match end {
            Some((e, _)) if e == "end" => Vec::new(),
            Some((e, eline)) if e == "else" => {
                // `{{else}}` or `{{else if ...}}` / `{{else with ...}}`.
                let Seg::Action(rest, _) =
                    std::mem::replace(&mut self.segs[self.pos], Seg::Text(String::new()))
                else {
                    unreachable!("else was put back as an action")
                };
                self.pos += 1;
                match rest.first().map(|t| &t.tok) {
                    None => {
                        let (eb, end2) = self.list(depth + 1)?;
                        match end2 {
                            Some((e, _)) if e == "end" => eb,
                            _ => {
                                return Err(self
                                    .ctx
                                    .err(eline, format!("expected end; found else in {kw}")));
                            }
                        }
                    }
                    Some(Tok::Ident(w)) if w == "if" || w == "with" => {
                        let w = w.clone();
                        // The chained control ends at the same `{{end}}`.
                        vec![self.control(&w, &rest[1..], eline, depth)?]
                    }
                    _ => return Err(self.ctx.err(eline, "unexpected tokens after else")),
                }
            }
            _ => return Err(self.ctx.err(line, format!("unexpected EOF in {kw}"))),
        };
        Ok(match kw {
            "if" => Node::If(pipe, body, else_body),
            "range" => Node::Range(pipe, body, else_body),
            _ => Node::With(pipe, body, else_body),
        })
    }

    fn pipeline(&self, toks: &[Token], line: usize, allow_decl: bool) -> Result<Pipe, ParseError> {
        let mut decl = Vec::new();
        let mut assign = false;
        let mut rest = toks;
        // `$x :=`, `$x =`, `$i, $v :=`
        if allow_decl {
            let mut vars = Vec::new();
            let mut i = 0;
            while let Some(Tok::Var(v)) = rest.get(i).map(|t| &t.tok) {
                vars.push(v.clone());
                match rest.get(i + 1).map(|t| &t.tok) {
                    Some(Tok::Comma) if vars.len() < 2 => i += 2,
                    Some(Tok::Declare) => {
                        decl = vars;
                        rest = &rest[i + 2..];
                        break;
                    }
                    Some(Tok::Assign) => {
                        decl = vars;
                        assign = true;
                        rest = &rest[i + 2..];
                        break;
                    }
                    _ => break,
                }
            }
        }
        let mut cmds = Vec::new();
        let mut i = 0;
        let mut cur = Vec::new();
        while i < rest.len() {
            match &rest[i].tok {
                Tok::Pipe => {
                    if cur.is_empty() {
                        return Err(self.ctx.err(line, "missing command"));
                    }
                    cmds.push(Cmd {
                        args: std::mem::take(&mut cur),
                    });
                    i += 1;
                }
                _ => {
                    let (arg, n) = self.operand(rest, i, line)?;
                    cur.push(arg);
                    i = n;
                }
            }
        }
        if cur.is_empty() {
            return Err(self.ctx.err(line, "missing value for command"));
        }
        cmds.push(Cmd { args: cur });
        Ok(Pipe {
            decl,
            assign,
            cmds,
            line,
        })
    }

    /// One operand starting at `i` (a term and any fields chained onto it).
    fn operand(&self, toks: &[Token], i: usize, line: usize) -> Result<(Arg, usize), ParseError> {
        let mut i = i;
        let arg = match &toks[i].tok {
            Tok::LParen => {
                // Find the matching paren.
                let mut depth = 0;
                let mut j = i;
                loop {
                    match toks.get(j).map(|t| &t.tok) {
                        Some(Tok::LParen) => depth += 1,
                        Some(Tok::RParen) => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        None => return Err(self.ctx.err(line, "unclosed left paren")),
                        _ => {}
                    }
                    j += 1;
                }
                let inner = self.pipeline(&toks[i + 1..j], line, false)?;
                i = j + 1;
                let fields = chain(toks, &mut i);
                return Ok((Arg::Sub(Box::new(inner), fields), i));
            }
            Tok::Field(f) => {
                let mut fields = vec![f.clone()];
                i += 1;
                fields.extend(chain(toks, &mut i));
                return Ok((Arg::Field(fields), i));
            }
            Tok::Dot => Arg::Field(Vec::new()),
            Tok::Var(v) => {
                i += 1;
                let fields = chain(toks, &mut i);
                return Ok((Arg::Var(v.clone(), fields), i));
            }
            Tok::Ident(w) => Arg::Ident(w.clone()),
            Tok::Str(s) => Arg::Lit(Value::str(s.as_str())),
            Tok::Num(n) => Arg::Lit(n.clone()),
            Tok::Bool(b) => Arg::Lit(Value::Bool(*b)),
            Tok::Nil => Arg::Lit(Value::Nil),
            other => {
                return Err(self
                    .ctx
                    .err(line, format!("unexpected {other:?} in operand")));
            }
        };
        Ok((arg, i + 1))
    }
}

/// Fields written right after a term (`$x.a.b`, `(f).a`).
fn chain(toks: &[Token], i: &mut usize) -> Vec<String> {
    let mut fields = Vec::new();
    while let Some(Token {
        tok: Tok::Field(f),
        spaced: false,
    }) = toks.get(*i)
    {
        fields.push(f.clone());
        *i += 1;
    }
    fields
}
