//! The code reads as its data flow: the runner's library modules form layers, each importing only
//! the layers beneath it, and no crate of the workspace has an import loop between its files.
//!
//! The layer order is written once, here ([`LAYERS`]); `src/lib.rs` shows the same table to
//! readers. Imports are read from the source text: every `crate::`, `super::` and `self::` path,
//! `use` groups expanded, and bare paths into a file's own child modules. Test code (`#[cfg(test)]`
//! modules and files) may reach across layers and is left out.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The runner library's layers, lowest first. A module may import its own files and modules of
/// lower layers; never a module of its own layer or of a higher one.
const LAYERS: &[&[&str]] = &[
    &["error", "num", "stats"],
    &["config"],
    &["plan"],
    &["records"],
    &["run"],
    &["speed"],
    &["outcome"],
    &["guidelines"],
    &["compare", "reproduce"],
    &["report"],
];

/// Files of the binary (they call the library; nothing in the library calls them).
const BINARY: &[&str] = &["main.rs", "cli.rs", "commands"];

/// One source file: its module path and the module paths it imports.
#[derive(Debug)]
struct File {
    path: PathBuf,
    module: Vec<String>,
    imports: BTreeSet<Vec<String>>,
}

#[test]
fn every_runner_module_imports_only_layers_beneath_it() {
    let files = read_crate(&crate_dir("runner").join("src"));
    let violations = upward_imports(&files);
    assert!(violations.is_empty(), "imports against the data flow:\n{}", violations.join("\n"));
    // Every library module has a layer.
    for file in &files {
        // The crate root (lib.rs) is above every layer.
        let Some(top) = file.module.first() else { continue };
        assert!(
            is_binary(file) || layer(top).is_some(),
            "{}: module `{top}` is in no layer; add it to LAYERS in tests/layers.rs and to the table in src/lib.rs",
            file.path.display()
        );
    }
}

#[test]
fn no_crate_of_the_workspace_has_an_import_loop() {
    for name in ["activations", "models", "data", "runner"] {
        let files = read_crate(&crate_dir(name).join("src"));
        if let Some(cycle) = find_cycle(&files) {
            panic!("crates/{name}: import loop {}", cycle.join(" -> "));
        }
    }
}

/// The checks themselves: a planted upward import and a planted loop are found.
#[test]
fn the_checks_find_planted_faults() {
    let file = |path: &str, module: &[&str], imports: &[&[&str]]| File {
        path: path.into(),
        module: module.iter().map(|s| s.to_string()).collect(),
        imports: imports.iter().map(|i| i.iter().map(|s| s.to_string()).collect()).collect(),
    };
    let planted = [
        file("plan.rs", &["plan"], &[&["guidelines"]]),
        file("guidelines/mod.rs", &["guidelines"], &[&["plan"]]),
    ];
    let violations = upward_imports(&planted);
    assert_eq!(violations.len(), 1, "{violations:?}");
    assert!(violations[0].contains("plan.rs") && violations[0].contains("crate::guidelines"));
    assert!(find_cycle(&planted).is_some());
    assert!(find_cycle(&planted[1..]).is_none());
    // The parser sees grouped, nested and relative imports, and skips test modules.
    let source = "use crate::{stats::mean, records::{cell, run_file::RunFile}};\nuse super::engine::Part;\nfn f() { crate::num::num(1.0); }\n#[cfg(test)]\nmod tests {\n    use crate::report::x;\n}\n";
    let modules: BTreeSet<Vec<String>> = [
        vec![],
        vec!["stats".into()],
        vec!["num".into()],
        vec!["records".into()],
        vec!["records".into(), "cell".into()],
        vec!["records".into(), "run_file".into()],
        vec!["report".into()],
        vec!["guidelines".into()],
        vec!["guidelines".into(), "engine".into()],
        vec!["guidelines".into(), "g01".into()],
    ]
    .into();
    let module = vec!["guidelines".to_string(), "g01".to_string()];
    let imports = imports_of(source, &module, &modules);
    let names: BTreeSet<String> = imports.iter().map(|m| m.join("::")).collect();
    assert_eq!(
        names,
        ["stats", "records::cell", "records::run_file", "guidelines::engine", "num"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    );
}

fn crate_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(name)
}

fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

fn is_binary(file: &File) -> bool {
    file.module.first().is_some_and(|top| BINARY.iter().any(|b| top == b.trim_end_matches(".rs")))
}

/// Every import of a library file into a module of its own layer or a higher one.
fn upward_imports(files: &[File]) -> Vec<String> {
    let mut violations = Vec::new();
    for file in files.iter().filter(|f| !is_binary(f)) {
        let Some(top_module) = file.module.first() else { continue };
        let Some(own) = layer(top_module) else { continue };
        for import in &file.imports {
            let Some(top) = import.first() else { continue };
            if top == top_module {
                continue;
            }
            match layer(top) {
                Some(l) if l < own => {}
                Some(l) => violations.push(format!(
                    "{}: imports crate::{} ({} layer {l}) from layer {own}; a module may import only the layers beneath it",
                    file.path.display(),
                    import.join("::"),
                    if l == own { "same" } else { "higher" },
                )),
                None => {}
            }
        }
    }
    violations
}

/// A loop of imports between files, if any (as module paths).
fn find_cycle(files: &[File]) -> Option<Vec<String>> {
    let graph: BTreeMap<&Vec<String>, &BTreeSet<Vec<String>>> =
        files.iter().map(|f| (&f.module, &f.imports)).collect();
    // Depth-first search with colours: 1 on the stack, 2 done.
    fn visit<'a>(
        node: &'a Vec<String>,
        graph: &BTreeMap<&'a Vec<String>, &'a BTreeSet<Vec<String>>>,
        colour: &mut BTreeMap<&'a Vec<String>, u8>,
        stack: &mut Vec<&'a Vec<String>>,
    ) -> Option<Vec<String>> {
        colour.insert(node, 1);
        stack.push(node);
        for next in graph.get(node).into_iter().flat_map(|s| s.iter()) {
            let Some((next, _)) = graph.get_key_value(next) else { continue };
            match colour.get(next).copied().unwrap_or(0) {
                1 => {
                    let start = stack.iter().position(|m| m == next).unwrap();
                    let mut cycle: Vec<String> =
                        stack[start..].iter().map(|m| format!("crate::{}", m.join("::"))).collect();
                    cycle.push(format!("crate::{}", next.join("::")));
                    return Some(cycle);
                }
                0 => {
                    if let Some(c) = visit(next, graph, colour, stack) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        stack.pop();
        colour.insert(node, 2);
        None
    }
    let mut colour = BTreeMap::new();
    for node in graph.keys() {
        if !colour.contains_key(node)
            && let Some(c) = visit(node, &graph, &mut colour, &mut Vec::new())
        {
            return Some(c);
        }
    }
    None
}

/// Every `.rs` file under `src` with its module path and imports (test-only files left out).
/// `lib.rs` is the crate root (no segments), `a/mod.rs` is module `a`.
fn read_crate(src: &Path) -> Vec<File> {
    let mut paths = Vec::new();
    collect(src, &mut paths);
    let files: Vec<(PathBuf, Vec<String>, String)> = paths
        .iter()
        .map(|path| {
            let relative = path.strip_prefix(src).unwrap().to_path_buf();
            let mut module: Vec<String> = relative
                .with_extension("")
                .iter()
                .map(|p| p.to_string_lossy().into_owned())
                .collect();
            if module.last().is_some_and(|p| p == "mod") || module == ["lib"] {
                module.pop();
            }
            (relative, module, std::fs::read_to_string(path).unwrap())
        })
        .collect();
    let modules: BTreeSet<Vec<String>> = files.iter().map(|(_, m, _)| m.clone()).collect();
    // Files declared `#[cfg(test)] mod name;` are test code.
    let test_only: BTreeSet<Vec<String>> = files
        .iter()
        .flat_map(|(_, parent, text)| {
            let lines: Vec<&str> = text.lines().map(str::trim).collect();
            lines
                .windows(2)
                .filter(|w| w[0] == "#[cfg(test)]" && w[1].ends_with(';') && w[1].contains("mod "))
                .map(|w| {
                    let name = w[1].trim_end_matches(';').rsplit(' ').next().unwrap().to_string();
                    [parent.clone(), vec![name]].concat()
                })
                .collect::<Vec<_>>()
        })
        .collect();
    files
        .into_iter()
        .filter(|(_, module, _)| !test_only.contains(module))
        .map(|(path, module, text)| {
            let imports = imports_of(&text, &module, &modules)
                .into_iter()
                .filter(|m| *m != module && !m.is_empty())
                .collect();
            File { path, module, imports }
        })
        .collect()
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The modules (of `modules`) that `source`, the file of module `own`, imports: `crate::`,
/// `self::` and `super::` paths, and bare paths into `own`'s child modules.
fn imports_of(
    source: &str,
    own: &[String],
    modules: &BTreeSet<Vec<String>>,
) -> BTreeSet<Vec<String>> {
    let children: BTreeSet<&String> = modules
        .iter()
        .filter(|m| m.len() == own.len() + 1 && m.starts_with(own))
        .filter_map(|m| m.last())
        .collect();
    let mut imports = BTreeSet::new();
    for raw in paths_in(&without_tests(source)) {
        let mut segments = raw.into_iter().peekable();
        let mut path: Vec<String> = match segments.peek().map(String::as_str) {
            Some("crate") => Vec::new(),
            Some("self") => own.to_vec(),
            Some("super") => {
                let mut base = own.to_vec();
                while segments.peek().is_some_and(|s| s == "super") {
                    segments.next();
                    base.pop();
                }
                base
            }
            Some(first) if children.contains(&first.to_string()) => own.to_vec(),
            _ => continue,
        };
        path.extend(segments.filter(|s| s != "crate" && s != "self"));
        // The longest prefix that is a module file.
        if let Some(module) =
            (0..=path.len()).rev().map(|n| path[..n].to_vec()).find(|p| modules.contains(p))
        {
            imports.insert(module);
        }
    }
    imports
}

/// The source without `#[cfg(test)]` items (a test module's braces, or one declaration line) and
/// without comments.
fn without_tests(source: &str) -> String {
    let mut out = String::new();
    let mut lines = source.lines().peekable();
    while let Some(line) = lines.next() {
        let trimmed = line.trim();
        if trimmed.starts_with("//") {
            continue;
        }
        if trimmed == "#[cfg(test)]" {
            let Some(next) = lines.next() else { break };
            if next.trim_end().ends_with('{') {
                let mut depth = brace_balance(next);
                while depth > 0 {
                    let Some(l) = lines.next() else { break };
                    depth += brace_balance(l);
                }
            }
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn brace_balance(line: &str) -> i64 {
    line.chars()
        .map(|c| {
            if c == '{' {
                1
            } else if c == '}' {
                -1
            } else {
                0
            }
        })
        .sum()
}

/// Every path that starts `crate::`, `super::`, `self::` or a bare identifier followed by `::`,
/// with `use` groups (`a::{b, c::{d}}`) expanded; as segments.
fn paths_in(code: &str) -> Vec<Vec<String>> {
    let chars: Vec<char> = code.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let starts_word = i == 0
            || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '_' || chars[i - 1] == ':');
        if starts_word && (chars[i].is_alphabetic() || chars[i] == '_') {
            let (paths, end) = parse_path(&chars, i);
            if paths.iter().any(|p| p.len() > 1) {
                out.extend(paths.into_iter().filter(|p| p.len() > 1));
            }
            i = end.max(i + 1);
        } else {
            i += 1;
        }
    }
    out
}

/// Parses `a::b::{c, d::e}` from `start`: every full path, and where it ended.
fn parse_path(chars: &[char], start: usize) -> (Vec<Vec<String>>, usize) {
    let mut i = start;
    let mut prefix = Vec::new();
    loop {
        let word_start = i;
        while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
            i += 1;
        }
        if word_start == i {
            return (vec![prefix], i);
        }
        prefix.push(chars[word_start..i].iter().collect::<String>());
        if chars.get(i) == Some(&':') && chars.get(i + 1) == Some(&':') {
            i += 2;
            if chars.get(i) == Some(&'{') {
                i += 1;
                let mut paths = Vec::new();
                loop {
                    while i < chars.len() && (chars[i].is_whitespace() || chars[i] == ',') {
                        i += 1;
                    }
                    if i >= chars.len() || chars[i] == '}' {
                        return (paths, i + 1);
                    }
                    let (inner, end) = parse_path(chars, i);
                    for p in inner {
                        let mut full = prefix.clone();
                        full.extend(p.into_iter().filter(|s| s != "self"));
                        paths.push(full);
                    }
                    // Skip `as name` and anything else up to the next item.
                    i = end;
                    while i < chars.len() && chars[i] != ',' && chars[i] != '}' {
                        i += 1;
                    }
                }
            }
        } else {
            return (vec![prefix], i);
        }
    }
}
