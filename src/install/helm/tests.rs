//! The template engine against Go's documented `text/template` semantics and Helm's functions.

use super::value::Value;
use super::{Templates, render_str};
use crate::resource::node::parse_documents;

fn data(yaml: &str) -> Value {
    Value::from_node(&parse_documents(yaml, 0).unwrap()[0])
}

fn r(src: &str, yaml: &str) -> String {
    render_str(src, &data(yaml)).unwrap_or_else(|e| panic!("{src}: {e}"))
}

fn err(src: &str, yaml: &str) -> String {
    render_str(src, &data(yaml)).unwrap_err().to_string()
}

#[test]
fn trim_markers_eat_whitespace_on_their_side_only() {
    assert_eq!(r("a  {{- 1 -}}  b", "{}"), "a1b");
    assert_eq!(r("a  {{- 1 }}  b", "{}"), "a1  b");
    assert_eq!(r("a\n{{ 1 -}}\n\n b", "{}"), "a\n1b");
    // `{{-3}}` is the number -3, not a trim marker.
    assert_eq!(r("a {{-3}}", "{}"), "a -3");
    assert_eq!(r("x {{- /* note */ -}} y", "{}"), "xy");
    assert_eq!(r("x{{/* note */}}y", "{}"), "xy");
}

#[test]
fn pipelines_pass_the_value_as_the_last_argument() {
    assert_eq!(r(r#"{{ "a" | printf "%s-%s" "b" }}"#, "{}"), "b-a");
    assert_eq!(r(r#"{{ .x | default "d" | quote }}"#, "{}"), "\"d\"");
    assert_eq!(r(r#"{{ .x | default "d" }}"#, "x: set"), "set");
    assert_eq!(r("{{ (.a).b }}", "a: {b: 2}"), "2");
}

#[test]
fn conditionals_follow_go_truth() {
    let t = "{{ if .v }}yes{{ else }}no{{ end }}";
    for (v, want) in [
        ("0", "no"),
        ("1", "yes"),
        ("''", "no"),
        ("'x'", "yes"),
        ("[]", "no"),
        ("{}", "no"),
        ("{a: 1}", "yes"),
        ("null", "no"),
        ("false", "no"),
    ] {
        assert_eq!(r(t, &format!("v: {v}")), want, "v: {v}");
    }
    assert_eq!(
        r(
            "{{ if .a }}A{{ else if .b }}B{{ else }}C{{ end }}",
            "b: true"
        ),
        "B"
    );
    assert_eq!(
        r(
            "{{ with .a }}{{ .b }}{{ else with .c }}c={{ . }}{{ end }}",
            "c: 3"
        ),
        "c=3"
    );
    // `and`/`or` return an operand and stop early: the nil `.x.y` is never evaluated.
    assert_eq!(r("{{ and .x .x.y }}", "x: null"), "<no value>");
    assert_eq!(r("{{ or .a .b }}", "a: 0\nb: two"), "two");
}

#[test]
fn range_over_lists_maps_and_ints_with_variables() {
    assert_eq!(
        r(
            "{{ range $i, $v := .l }}{{ $i }}={{ $v }};{{ end }}",
            "l: [a, b]"
        ),
        "0=a;1=b;"
    );
    assert_eq!(
        r(
            "{{ range $k, $v := .m }}{{ $k }}{{ $v }} {{ end }}",
            "m: {z: 1, a: 2}"
        ),
        "a2 z1 "
    );
    assert_eq!(
        r("{{ range .l }}{{ . }}{{ else }}none{{ end }}", "l: []"),
        "none"
    );
    assert_eq!(r("{{ range 3 }}{{ . }}{{ end }}", "{}"), "012");
    assert_eq!(
        r(
            "{{ range .l }}{{ if eq . 2.0 }}{{ break }}{{ end }}{{ . }}{{ end }}",
            "l: [1, 2, 3]"
        ),
        "1"
    );
    assert_eq!(
        r(
            "{{ range .l }}{{ if eq . 2.0 }}{{ continue }}{{ end }}{{ . }}{{ end }}",
            "l: [1, 2, 3]"
        ),
        "13"
    );
    // `$` is the data the template started with, also inside range.
    assert_eq!(
        r("{{ range .l }}{{ $.n }}{{ end }}", "l: [1, 2]\nn: x"),
        "xx"
    );
    // Assignment with `=` changes the outer variable.
    assert_eq!(
        r(
            "{{ $x := 1 }}{{ range .l }}{{ $x = . }}{{ end }}{{ $x }}",
            "l: [5, 6]"
        ),
        "6"
    );
}

#[test]
fn define_template_block_and_include() {
    let src = r#"{{ define "n" }}[{{ . }}]{{ end }}{{ template "n" .a }}{{ block "b" .a }}<{{ . }}>{{ end }}{{ include "n" .a | upper }}"#;
    assert_eq!(r(src, "a: x"), "[x]<x>[X]");
    assert!(err(r#"{{ template "missing" }}"#, "{}").contains("no template \"missing\""));
}

#[test]
fn missing_keys_print_no_value_and_nil_fields_fail() {
    assert_eq!(r("{{ .missing }}", "{}"), "<no value>");
    let e = err("{{ .missing.deeper }}", "{}");
    assert!(
        e.contains("nil pointer evaluating interface {}.deeper"),
        "{e}"
    );
    // A nil out of a pipeline or a variable yields nil for the rest of the chain.
    assert_eq!(r("{{ ((.a).b).c }}", "{}"), "<no value>");
    assert_eq!(r("{{ $x := .a }}{{ $x.b }}", "{}"), "<no value>");
    assert!(err("{{ .s.x }}", "s: str").contains("can't evaluate field x in type string"));
}

#[test]
fn comparisons() {
    assert_eq!(
        r(
            r#"{{ eq .a "x" }} {{ ne .a "x" }} {{ eq .a "y" "x" }}"#,
            "a: x"
        ),
        "true false true"
    );
    assert_eq!(
        r("{{ lt 1 2 }} {{ ge .n 3 }} {{ gt \"b\" \"a\" }}", "n: 3"),
        "true true true"
    );
    assert_eq!(r("{{ eq .missing \"x\" }}", "{}"), "false");
}

#[test]
fn numbers_from_values_are_float64() {
    assert_eq!(
        r("{{ .n }} {{ .big }} {{ .f }}", "n: 3\nbig: 1000000\nf: 0.5"),
        "3 1e+06 0.5"
    );
    assert_eq!(r("{{ add .n 1 }} {{ int .f }}", "n: 3\nf: 2.7"), "4 2");
}

#[test]
fn helm_functions() {
    assert_eq!(
        r("{{ toYaml .m }}", "m: {b: [1, x], a: {c: true}}"),
        "a:\n  c: true\nb:\n- 1\n- x"
    );
    assert_eq!(r("{{ toYaml .m | nindent 2 }}", "m: {a: 1}"), "\n  a: 1");
    assert_eq!(
        r("{{ toJson .m }}", "m: {b: '<a>', a: [1, 2.5]}"),
        r#"{"a":[1,2.5],"b":"\u003ca\u003e"}"#
    );
    assert_eq!(r(r#"{{ (fromYaml "a: 1\nb: [x]").b }}"#, "{}"), "[x]");
    assert_eq!(
        r(
            r#"{{ $d := dict "a" 1 "b" "two" }}{{ $d.b }} {{ hasKey $d "a" }} {{ get $d "none" | quote }}"#,
            "{}"
        ),
        "two true \"\""
    );
    assert_eq!(
        r(
            r#"{{ quote .s "x" }} {{ squote "y" }} {{ quote .missing }}"#,
            "s: a\"b"
        ),
        r#""a\"b" "x" 'y' "#
    );
    assert_eq!(
        r(
            "{{ default \"d\" .e }} {{ empty .e }} {{ coalesce .e .f }}",
            "e: ''\nf: F"
        ),
        "d true F"
    );
    assert_eq!(r(r#"{{ required "need x" .x }}"#, "x: ok"), "ok");
    assert!(err(r#"{{ required "need x" .x }}"#, "{}").contains("need x"));
    assert!(err(r#"{{ fail "stop here" }}"#, "{}").contains("stop here"));
    assert_eq!(r(r#"{{ tpl "{{ .a }}!" . }}"#, "a: hi"), "hi!");
    assert_eq!(
        r(
            r#"{{ trunc 3 "abcdef" }} {{ trimSuffix "-" "ab-" }} {{ replace "+" "_" "a+b" }} {{ cat "a" .missing "b" }}"#,
            "{}"
        ),
        "abc ab a_b a b"
    );
    assert_eq!(r(r#"{{ indent 2 "a\nb" }}"#, "{}"), "  a\n  b");
    assert_eq!(
        r(
            r#"{{ $s := split "," "a,b" }}{{ $s._1 }} {{ splitList "," "x,y" | join "+" }}"#,
            "{}"
        ),
        "b x+y"
    );
    assert_eq!(
        r(
            r#"{{ regexMatch "^[0-9.]+$" "1.2.3" }} {{ contains "b" "abc" }} {{ hasPrefix "a" "abc" }}"#,
            "{}"
        ),
        "true true true"
    );
    assert_eq!(
        r(
            r#"{{ kindIs "map" .m }} {{ typeOf .s }} {{ kindOf .l }}"#,
            "m: {}\ns: x\nl: []"
        ),
        "true string slice"
    );
    assert_eq!(
        r(r#"{{ semverCompare ">=1.25-0" "1.32.0" }}"#, "{}"),
        "true"
    );
    assert_eq!(
        r(r#"{{ printf "%s=%d %v %q" "a" 3 .l "q" }}"#, "l: [1, 2]"),
        "a=3 [1 2] \"q\""
    );
    assert_eq!(
        r(
            r#"{{ omit .m "a" | toJson }} {{ pick .m "a" | toJson }} {{ keys .m | toJson }}"#,
            "m: {a: 1, b: 2}"
        ),
        r#"{"b":2} {"a":1} ["a","b"]"#
    );
    assert_eq!(
        r(
            r#"{{ list 1 2 | first }} {{ until 3 | toJson }} {{ has 2 (list 1 2) }}"#,
            "{}"
        ),
        "1 [0,1,2] true"
    );
}

#[test]
fn set_unset_and_merges_change_the_shared_map() {
    // Helm charts rely on Go maps being references: a change through one holder is seen by all.
    assert_eq!(r(r#"{{ $_ := set .m "b" 2 }}{{ .m.b }}"#, "m: {a: 1}"), "2");
    assert_eq!(
        r(
            r#"{{ $_ := unset .m "a" }}{{ hasKey .m "a" }}"#,
            "m: {a: 1}"
        ),
        "false"
    );
    assert_eq!(
        r(
            r#"{{ $_ := mustMergeOverwrite .d .s }}{{ toJson .d }}"#,
            "d: {a: 1, n: {x: 1, y: 1}}\ns: {a: 2, n: {y: 2}, z: 3}"
        ),
        r#"{"a":2,"n":{"x":1,"y":2},"z":3}"#
    );
    assert_eq!(
        r(
            r#"{{ $_ := merge .d .s }}{{ toJson .d }}"#,
            "d: {a: 1, e: ''}\ns: {a: 2, e: 'f', z: 3}"
        ),
        r#"{"a":1,"e":"f","z":3}"#
    );
    assert_eq!(
        r(
            r#"{{ $c := deepCopy .m }}{{ $_ := set $c "a" 9 }}{{ .m.a }}"#,
            "m: {a: 1}"
        ),
        "1"
    );
    // `set $ "Values" ...` in one template is seen by the next one rendered with the same data.
    let set = Templates::new();
    set.add("one", r#"{{ $_ := set $ "Values" (dict "x" "changed") }}"#)
        .unwrap();
    set.add("two", "{{ .Values.x }}").unwrap();
    let top = data("Values: {x: original}");
    set.execute("one", &top).unwrap();
    assert_eq!(set.execute("two", &top).unwrap(), "changed");
}

#[test]
fn parse_errors_name_the_template_and_line() {
    let e = render_str("a\n{{ if .x }}\nb", &Value::new_map())
        .unwrap_err()
        .to_string();
    assert!(e.contains("t:2") && e.contains("unexpected EOF"), "{e}");
    let e = render_str("{{ end }}", &Value::new_map())
        .unwrap_err()
        .to_string();
    assert!(e.contains("unexpected {{end}}"), "{e}");
    let e = render_str("{{ nosuchfunc 1 }}", &Value::new_map())
        .unwrap_err()
        .to_string();
    assert!(e.contains("nosuchfunc"), "{e}");
}

#[test]
fn self_including_templates_stop_with_an_error() {
    let e = render_str(
        r#"{{ define "a" }}{{ include "a" . }}{{ end }}{{ include "a" . }}"#,
        &Value::new_map(),
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("max template depth"), "{e}");
}
