//! Symbol hygiene of the C library (docs/packaging.md).
//!
//! * libimsdk.so exports exactly the `im_*` functions that include/imsdk.h declares.
//! * libimsdk.a defines, besides them, only symbols of known families, which this test
//!   prints: ring's C and assembly (`ring_core_<version>_*`), compiler-rt builtins (`__*`
//!   from compiler_builtins), `rust_eh_personality`, and Rust-mangled symbols (the release
//!   build keeps two of the standard library; a debug build all of them). Another
//!   unprefixed C symbol fails the test: it could clash with the application's.
//!
//! The libraries checked are those of this `cargo test` (target/<profile>/deps/), or those
//! of `IMSDK_LIB_DIR` (`make symbols` checks the release build that way).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo_root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

fn lib_dir() -> PathBuf {
    match std::env::var_os("IMSDK_LIB_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => {
            let exe = std::env::current_exe().unwrap();
            exe.parent().unwrap().to_path_buf()
        }
    }
}

/// `nm args file` (args include `-A`), one (member, type, name) per symbol line. Other
/// lines (the bfd plugin's complaints about Rust's LLVM bitcode) are skipped.
fn nm(args: &[&str], file: &Path) -> Vec<(String, String, String)> {
    let out = Command::new("nm")
        .arg("-A")
        .args(args)
        .arg(file)
        .output()
        .unwrap_or_else(|e| panic!("cannot run nm (binutils): {e}"));
    assert!(
        out.status.success(),
        "nm {args:?} {file:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let prefix = format!("{}:", file.display());
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|line| {
            // "file: value type name" (shared library) or "file:member:value type name".
            let rest = line.strip_prefix(&prefix)?;
            let (member, rest) = match rest.split_once(':') {
                Some((member, rest)) => (member.to_string(), rest),
                None => (String::new(), rest),
            };
            match rest.split_whitespace().collect::<Vec<_>>()[..] {
                [_, kind, name] | [kind, name] if kind.len() == 1 => {
                    Some((member, kind.to_string(), name.to_string()))
                }
                _ => None,
            }
        })
        .collect()
}

/// The functions include/imsdk.h declares: `im_*` names followed by `(` outside comments.
fn header_functions() -> BTreeSet<String> {
    let header = std::fs::read_to_string(repo_root().join("include/imsdk.h")).unwrap();
    let mut code = String::new();
    let mut rest = header.as_str();
    while let Some(start) = rest.find("/*") {
        code.push_str(&rest[..start]);
        rest = rest[start..]
            .split_once("*/")
            .map_or("", |(_, after)| after);
    }
    code.push_str(rest);
    let code: String = code
        .lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    let mut names = BTreeSet::new();
    for (i, _) in code.match_indices("im_") {
        let preceded_by_ident = code[..i]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        if preceded_by_ident {
            continue;
        }
        let name: String = code[i..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if code[i + name.len()..].trim_start().starts_with('(') {
            names.insert(name);
        }
    }
    names
}

/// The family a global symbol of libimsdk.a belongs to, or `None` for an unknown one.
fn family(member: &str, name: &str) -> Option<&'static str> {
    if name.starts_with("im_") {
        Some("im_* (the API)")
    } else if name.starts_with("ring_core_") {
        Some("ring_core_* (ring's C and assembly, versioned prefix)")
    } else if name == "rust_eh_personality" || name == "DW.ref.rust_eh_personality" {
        Some("rust_eh_personality (Rust's unwinding personality)")
    } else if is_compiler_builtin(member, name) {
        Some("__* (compiler-rt builtins of compiler_builtins)")
    } else if (name.starts_with("_ZN") && name.contains("17h"))
        || name.starts_with("_R")
        || name.starts_with("__rustc")
    {
        Some("Rust-mangled (hash-suffixed)")
    } else {
        None
    }
}

/// compiler-rt's helpers (`__mulsc3`, `__popcountdi2`, …), members of compiler_builtins or
/// one object each (`<hash>-absvdi2.o`).
fn is_compiler_builtin(member: &str, name: &str) -> bool {
    let Some(bare) = name.strip_prefix("__") else {
        return false;
    };
    member.starts_with("compiler_builtins")
        || member.ends_with(&format!("-{bare}.o"))
        || name == "__compilerrt_abort_impl"
}

#[test]
fn shared_library_exports_exactly_the_header_functions() {
    let declared = header_functions();
    assert!(declared.len() >= 10, "header parse found only {declared:?}");
    let exported: BTreeSet<String> = nm(&["-D", "--defined-only"], &lib_dir().join("libimsdk.so"))
        .into_iter()
        .map(|(_, _, name)| name)
        .collect();
    let extra: Vec<_> = exported.difference(&declared).collect();
    let missing: Vec<_> = declared.difference(&exported).collect();
    assert!(
        extra.is_empty() && missing.is_empty(),
        "libimsdk.so exports {} symbols; not in imsdk.h: {extra:?}; declared but not exported: {missing:?}",
        exported.len()
    );
}

#[test]
fn static_library_defines_only_known_symbol_families() {
    let archive = lib_dir().join("libimsdk.a");
    let symbols = nm(&["-g", "--defined-only"], &archive);
    let mut families: BTreeMap<&str, usize> = BTreeMap::new();
    let mut unknown = Vec::new();
    let mut api = BTreeSet::new();
    for (member, kind, name) in &symbols {
        match family(member, name) {
            Some(f) => *families.entry(f).or_default() += 1,
            None => unknown.push(format!("{member}: {kind} {name}")),
        }
        if name.starts_with("im_") && kind == "T" {
            api.insert(name.clone());
        }
    }
    println!("global symbols defined by {}:", archive.display());
    for (f, count) in &families {
        println!("{count:>8}  {f}");
    }
    assert!(
        unknown.is_empty(),
        "libimsdk.a defines unprefixed symbols:\n{}",
        unknown.join("\n")
    );
    assert_eq!(api, header_functions(), "im_* functions of libimsdk.a");
}
