//! Executing parsed templates with Go's semantics and Helm's engine functions (`include`,
//! `tpl`, `required`, `fail`) that need the template set.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use super::funcs;
use super::parse::{self, Arg, Cmd, Node, Pipe};
use super::value::Value;

/// Why rendering failed: the template, the line, and what went wrong.
#[derive(Debug, Clone, thiserror::Error)]
#[error("template: {template}:{line}: {message}")]
pub struct ExecError {
    pub template: String,
    pub line: usize,
    pub message: String,
}

/// Nesting bound for `include`/`template`, so a template that includes itself fails instead
/// of overflowing the stack (Helm's limit is 1000; ours is lower because frames are bigger).
const MAX_DEPTH: usize = 200;

/// A set of named templates (a chart's files and their `define`s).
#[derive(Default)]
pub struct Templates {
    trees: RefCell<HashMap<String, Rc<Vec<Node>>>>,
}

impl Templates {
    pub fn new() -> Templates {
        Templates::default()
    }

    /// Parses a file and adds its body and definitions; later definitions replace earlier
    /// ones, as Go's template set does.
    pub fn add(&self, name: &str, src: &str) -> Result<(), parse::ParseError> {
        let set = parse::parse(name, src)?;
        let mut trees = self.trees.borrow_mut();
        for (k, v) in set {
            trees.insert(k, Rc::new(v));
        }
        Ok(())
    }

    pub fn has(&self, name: &str) -> bool {
        self.trees.borrow().contains_key(name)
    }

    /// Executes the template `name` with `data` as dot and `$`.
    pub fn execute(&self, name: &str, data: &Value) -> Result<String, ExecError> {
        let mut ex = Exec {
            set: self,
            depth: 0,
            template: name.to_string(),
            line: 0,
        };
        let mut out = String::new();
        ex.run_named(name, data, &mut out, 0)?;
        Ok(out)
    }
}

enum Flow {
    Normal,
    Break,
    Continue,
}

struct Exec<'a> {
    set: &'a Templates,
    depth: usize,
    template: String,
    line: usize,
}

type Vars = Vec<(String, Value)>;

impl Exec<'_> {
    fn err(&self, message: impl Into<String>) -> ExecError {
        ExecError {
            template: self.template.clone(),
            line: self.line,
            message: message.into(),
        }
    }

    fn run_named(
        &mut self,
        name: &str,
        data: &Value,
        out: &mut String,
        line: usize,
    ) -> Result<(), ExecError> {
        let tree = self.set.trees.borrow().get(name).cloned();
        let Some(tree) = tree else {
            self.line = line;
            return Err(self.err(format!("no template {name:?} associated with template")));
        };
        if self.depth >= MAX_DEPTH {
            return Err(self.err(format!(
                "exceeded max template depth ({MAX_DEPTH}) in {name:?}"
            )));
        }
        self.depth += 1;
        let saved = std::mem::replace(&mut self.template, name.to_string());
        let mut vars: Vars = vec![("$".into(), data.clone())];
        let r = self.list(&tree, data, &mut vars, out);
        self.template = saved;
        self.depth -= 1;
        r.map(|_| ())
    }

    fn list(
        &mut self,
        nodes: &[Node],
        dot: &Value,
        vars: &mut Vars,
        out: &mut String,
    ) -> Result<Flow, ExecError> {
        for n in nodes {
            match self.node(n, dot, vars, out)? {
                Flow::Normal => {}
                f => return Ok(f),
            }
        }
        Ok(Flow::Normal)
    }

    fn node(
        &mut self,
        n: &Node,
        dot: &Value,
        vars: &mut Vars,
        out: &mut String,
    ) -> Result<Flow, ExecError> {
        match n {
            Node::Text(t) => out.push_str(t),
            Node::Action(p) => {
                let v = self.pipe(p, dot, vars)?;
                if p.decl.is_empty() {
                    out.push_str(&v.to_print_string());
                }
            }
            Node::If(p, body, els) | Node::With(p, body, els) => {
                let is_with = matches!(n, Node::With(..));
                let mark = vars.len();
                let v = self.pipe(p, dot, vars)?;
                let r = if v.truthy() {
                    let d = if is_with { v } else { dot.clone() };
                    self.list(body, &d, vars, out)
                } else {
                    self.list(els, dot, vars, out)
                };
                vars.truncate(mark);
                return r;
            }
            Node::Range(p, body, els) => return self.range(p, body, els, dot, vars, out),
            Node::Template(name, p, line) => {
                let data = match p {
                    Some(p) => self.pipe(p, dot, vars)?,
                    None => Value::Nil,
                };
                self.run_named(name, &data, out, *line)?;
            }
            Node::Break => return Ok(Flow::Break),
            Node::Continue => return Ok(Flow::Continue),
        }
        Ok(Flow::Normal)
    }

    fn range(
        &mut self,
        p: &Pipe,
        body: &[Node],
        els: &[Node],
        dot: &Value,
        vars: &mut Vars,
        out: &mut String,
    ) -> Result<Flow, ExecError> {
        let mark = vars.len();
        // The declared variables are set per element, not to the pipeline's value.
        let mut decl_pipe = p.clone();
        let decl = std::mem::take(&mut decl_pipe.decl);
        let v = self.pipe(&decl_pipe, dot, vars)?;
        let items: Vec<(Value, Value)> = match &v {
            Value::List(l) => l
                .iter()
                .enumerate()
                .map(|(i, x)| (Value::Int(i as i64), x.clone()))
                .collect(),
            Value::Map(m) => m
                .borrow()
                .iter()
                .map(|(k, x)| (Value::str(k.as_str()), x.clone()))
                .collect(),
            Value::Int(n) => (0..*n).map(|i| (Value::Int(i), Value::Int(i))).collect(),
            Value::Nil => Vec::new(),
            other => {
                return Err(self.err(format!(
                    "range can't iterate over {}",
                    other.to_print_string()
                )));
            }
        };
        if items.is_empty() {
            let r = self.list(els, dot, vars, out);
            vars.truncate(mark);
            return r.map(|_| Flow::Normal);
        }
        for (k, item) in items {
            let inner = vars.len();
            match decl.len() {
                0 => {}
                1 => vars.push((decl[0].clone(), item.clone())),
                _ => {
                    vars.push((decl[0].clone(), k));
                    vars.push((decl[1].clone(), item.clone()));
                }
            }
            let f = self.list(body, &item, vars, out)?;
            vars.truncate(inner);
            if let Flow::Break = f {
                break;
            }
        }
        vars.truncate(mark);
        Ok(Flow::Normal)
    }

    fn pipe(&mut self, p: &Pipe, dot: &Value, vars: &mut Vars) -> Result<Value, ExecError> {
        self.line = p.line;
        let mut value: Option<Value> = None;
        for cmd in &p.cmds {
            value = Some(self.cmd(cmd, dot, vars, value)?);
        }
        let v = value.unwrap_or(Value::Nil);
        for name in &p.decl {
            if p.assign {
                let Some(slot) = vars.iter_mut().rev().find(|(n, _)| n == name) else {
                    return Err(self.err(format!("undefined variable: {name}")));
                };
                slot.1 = v.clone();
            } else {
                vars.push((name.clone(), v.clone()));
            }
        }
        Ok(v)
    }

    fn cmd(
        &mut self,
        cmd: &Cmd,
        dot: &Value,
        vars: &mut Vars,
        fin: Option<Value>,
    ) -> Result<Value, ExecError> {
        let first = &cmd.args[0];
        match first {
            Arg::Ident(name) => self.call(name, &cmd.args[1..], dot, vars, fin),
            Arg::Field(fields) | Arg::Var(_, fields) if cmd.args.len() > 1 || fin.is_some() => {
                // A method call: only `.Files.Get` and friends exist on our values.
                let (recv, method) = match fields.split_last() {
                    Some((m, rest)) => {
                        let base = match first {
                            Arg::Var(v, _) => self.var(v, vars)?,
                            _ => dot.clone(),
                        };
                        (self.fields(base, rest)?, m.clone())
                    }
                    None => return Err(self.err("can't give argument to non-function .")),
                };
                let mut args = Vec::new();
                for a in &cmd.args[1..] {
                    args.push(self.arg(a, dot, vars)?);
                }
                if let Some(f) = fin {
                    args.push(f);
                }
                self.method(&recv, &method, args)
            }
            _ => {
                if cmd.args.len() > 1 || fin.is_some() {
                    return Err(self.err(format!(
                        "can't give argument to non-function {}",
                        describe(first)
                    )));
                }
                self.arg(first, dot, vars)
            }
        }
    }

    fn method(&self, recv: &Value, method: &str, args: Vec<Value>) -> Result<Value, ExecError> {
        match (recv, method) {
            (Value::Files(files), "Get") => {
                let name = args.first().and_then(|a| a.as_str()).unwrap_or_default();
                Ok(Value::str(
                    files.get(name).map(String::as_str).unwrap_or(""),
                ))
            }
            (Value::Files(files), "Glob") => {
                let pat = args.first().and_then(|a| a.as_str()).unwrap_or_default();
                let m = wildmatch::WildMatch::new(pat);
                Ok(Value::from_map(
                    files
                        .iter()
                        .filter(|(k, _)| m.matches(k))
                        .map(|(k, v)| (k.clone(), Value::str(v.as_str())))
                        .collect(),
                ))
            }
            _ => Err(self.err(format!(
                "can't evaluate field {method} in type {}",
                recv.type_name()
            ))),
        }
    }

    fn var(&self, name: &str, vars: &Vars) -> Result<Value, ExecError> {
        vars.iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .ok_or_else(|| self.err(format!("undefined variable: {name}")))
    }

    /// Follows `.a.b` from `v`. As in Go, a nil that a pipeline or variable produced (an
    /// invalid reflect.Value there) yields nil for the whole chain, while a nil found by a map
    /// lookup inside the chain stops it with "nil pointer evaluating".
    fn fields(&self, mut v: Value, fields: &[String]) -> Result<Value, ExecError> {
        let mut invalid = v.is_nil();
        for f in fields {
            v = match &v {
                Value::Map(m) => {
                    invalid = false;
                    m.borrow().get(f).cloned().unwrap_or(Value::Nil)
                }
                Value::Nil if invalid => Value::Nil,
                Value::Nil => {
                    return Err(self.err(format!("nil pointer evaluating interface {{}}.{f}")));
                }
                Value::Files(_) => {
                    return Err(self.err(format!("{f} is a method of Files and needs arguments")));
                }
                other => {
                    return Err(self.err(format!(
                        "can't evaluate field {f} in type {}",
                        other.type_name()
                    )));
                }
            };
        }
        Ok(v)
    }

    fn arg(&mut self, a: &Arg, dot: &Value, vars: &mut Vars) -> Result<Value, ExecError> {
        match a {
            Arg::Field(fields) => self.fields(dot.clone(), fields),
            Arg::Var(name, fields) => {
                let v = self.var(name, vars)?;
                self.fields(v, fields)
            }
            Arg::Lit(v) => Ok(v.clone()),
            Arg::Sub(p, fields) => {
                let mark = vars.len();
                let v = self.pipe(p, dot, vars);
                vars.truncate(mark);
                self.fields(v?, fields)
            }
            Arg::Ident(name) => self.call(name, &[], dot, vars, None),
        }
    }

    fn call(
        &mut self,
        name: &str,
        args: &[Arg],
        dot: &Value,
        vars: &mut Vars,
        fin: Option<Value>,
    ) -> Result<Value, ExecError> {
        // `and` and `or` evaluate their arguments only as far as needed (Go 1.18).
        if name == "and" || name == "or" {
            if args.is_empty() && fin.is_none() {
                return Err(self.err(format!(
                    "wrong number of args for {name}: want at least 1 got 0"
                )));
            }
            let mut last = Value::Nil;
            for a in args {
                last = self.arg(a, dot, vars)?;
                if last.truthy() != (name == "and") {
                    return Ok(last);
                }
            }
            if let Some(f) = fin {
                last = f;
            }
            return Ok(last);
        }
        let mut vals = Vec::with_capacity(args.len() + 1);
        for a in args {
            vals.push(self.arg(a, dot, vars)?);
        }
        if let Some(f) = fin {
            vals.push(f);
        }
        match name {
            "include" => {
                let tname = vals
                    .first()
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .ok_or_else(|| {
                        self.err("include: the first argument must be a template name")
                    })?;
                let data = vals.get(1).cloned().unwrap_or(Value::Nil);
                let mut out = String::new();
                let line = self.line;
                self.run_named(&tname, &data, &mut out, line)
                    .map_err(|e| self.err(format!("error calling include: {e}")))?;
                self.line = line;
                Ok(Value::str(out))
            }
            "tpl" => {
                let text = vals
                    .first()
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string();
                let data = vals.get(1).cloned().unwrap_or(Value::Nil);
                let name = format!("{}/tpl", self.template);
                self.set
                    .add(&name, &text)
                    .map_err(|e| self.err(format!("error calling tpl: {e}")))?;
                let mut out = String::new();
                let line = self.line;
                self.run_named(&name, &data, &mut out, line)
                    .map_err(|e| self.err(format!("error calling tpl: {e}")))?;
                self.line = line;
                // Helm's tpl removes `<no value>` as its engine does for whole files.
                Ok(Value::str(out.replace("<no value>", "")))
            }
            "required" => {
                let msg = vals.first().map(Value::to_print_string).unwrap_or_default();
                match vals.get(1) {
                    None | Some(Value::Nil) => {
                        Err(self.err(format!("error calling required: {msg}")))
                    }
                    Some(Value::Str(s)) if s.is_empty() => {
                        Err(self.err(format!("error calling required: {msg}")))
                    }
                    Some(v) => Ok(v.clone()),
                }
            }
            "fail" => {
                let msg = vals.first().map(Value::to_print_string).unwrap_or_default();
                Err(self.err(format!("error calling fail: {msg}")))
            }
            "lookup" => Ok(Value::new_map()),
            _ => {
                funcs::call(name, vals).map_err(|e| self.err(format!("error calling {name}: {e}")))
            }
        }
    }
}

fn describe(a: &Arg) -> String {
    match a {
        Arg::Lit(v) => v.to_print_string(),
        Arg::Field(f) => format!(".{}", f.join(".")),
        Arg::Var(v, f) if f.is_empty() => v.clone(),
        Arg::Var(v, f) => format!("{v}.{}", f.join(".")),
        Arg::Sub(..) => "(pipeline)".into(),
        Arg::Ident(i) => i.clone(),
    }
}
