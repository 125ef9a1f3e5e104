//! The committed include/imsdk.h must equal the header build.rs generates from
//! src/ffi/ (DESIGN.md §4). `make header` refreshes it (IMSDK_UPDATE_HEADER=1).

use std::path::Path;

const GENERATED: &str = env!("IMSDK_GENERATED_HEADER");

fn committed_path() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("include/imsdk.h")
}

/// The first line where `committed` and `generated` differ, described; `None` if equal.
fn drift(committed: &str, generated: &str) -> Option<String> {
    if committed == generated {
        return None;
    }
    let mut c = committed.lines();
    let mut g = generated.lines();
    let mut line = 1;
    loop {
        match (c.next(), g.next()) {
            (Some(a), Some(b)) if a == b => line += 1,
            (a, b) => {
                return Some(format!(
                    "line {line}:\n  committed: {}\n  generated: {}",
                    a.unwrap_or("<end of file>"),
                    b.unwrap_or("<end of file>")
                ))
            }
        }
    }
}

#[test]
fn committed_header_matches_generated_header() {
    let generated = std::fs::read_to_string(GENERATED).expect("generated header");
    if std::env::var_os("IMSDK_UPDATE_HEADER").is_some() {
        std::fs::write(committed_path(), &generated).expect("write include/imsdk.h");
        return;
    }
    let committed = std::fs::read_to_string(committed_path()).unwrap_or_default();
    if let Some(diff) = drift(&committed, &generated) {
        panic!(
            "include/imsdk.h differs from the header generated from src/ffi/ ({GENERATED}) at {diff}\n\
             Run `make header` and commit include/imsdk.h."
        );
    }
}

#[test]
fn drift_check_detects_any_change() {
    let generated = std::fs::read_to_string(GENERATED).expect("generated header");
    assert_eq!(drift(&generated, &generated), None);
    // An edited constant, a removed declaration and an appended line are all caught.
    let edited = generated.replacen("#define IM_OK 0", "#define IM_OK 1", 1);
    assert!(drift(&edited, &generated)
        .unwrap()
        .contains("#define IM_OK 1"));
    let removed = generated.replacen("int32_t im_logout(struct ImClient *client);", "", 1);
    assert!(drift(&removed, &generated).is_some());
    let appended = format!("{generated}\n/* extra */\n");
    assert!(drift(&appended, &generated)
        .unwrap()
        .contains("<end of file>"));
    let trailing_space = generated.replacen('\n', " \n", 1);
    assert!(drift(&trailing_space, &generated).is_some());
}
