//! include/imsdk.h compiles cleanly as strict C99 and C++17, and its version macros
//! match Cargo.toml and the library (`im_version`, `im_abi_version`).

use std::ffi::CStr;
use std::path::{Path, PathBuf};
use std::process::Command;

fn include_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("include")
}

fn header() -> String {
    std::fs::read_to_string(include_dir().join("imsdk.h")).expect("include/imsdk.h")
}

/// Uses every type, constant group and function of the header, so that each
/// declaration is checked by the compiler.
const USES_EVERYTHING: &str = r#"
#include "imsdk.h"
#include <stdio.h>

static void on_login(void *ud, int32_t code, bool relogin) { (void)ud; (void)code; (void)relogin; }
static void on_msg(void *ud, const ImMessage *m) { (void)ud; (void)m->content_len; }
static void on_lost(void *ud, const ImLostMessage *m, size_t n) { (void)ud; (void)m; (void)n; }
static void on_state(void *ud, int32_t s, int32_t r, uint32_t a, uint64_t d) { (void)ud; (void)s; (void)r; (void)a; (void)d; }
static void on_log(void *ud, int32_t level, const char *text) { (void)ud; (void)level; (void)text; }

int main(void) {
    ImOptions o;
    ImCallbacks cb;
    ImSendRequest r;
    ImStats st;
    ImClient *c = NULL;
    char fp[IM_FP_BUF_LEN];
    int32_t state = IM_STATE_IDLE;
    size_t len = IM_CONTENT_NUL_TERMINATED;
    int32_t codes[] = { IM_OK, IM_ERR_INVALID_ARGUMENT, IM_ERR_INVALID_HANDLE, IM_ERR_PANIC,
                        IM_REASON_LOGIN_REQUESTED, IM_LINK_SERVER_CLOSED, IM_LOST_TIMEOUT,
                        IM_LOG_TRACE, IM_DIALECT_MOBILEIMSDK, IM_TYPEU_DEFAULT, IM_KICK_BY_ADMIN };
    im_options_init(&o, sizeof o);
    cb.struct_size = sizeof cb;
    cb.user_data = NULL;
    cb.on_login_result = on_login;
    cb.on_message = on_msg;
    cb.on_messages_lost = on_lost;
    cb.on_state_changed = on_state;
    im_set_log_callback(on_log, NULL, IM_LOG_INFO);
    im_init(&o, &cb, &c);
    im_login(c, "u", "t", NULL, NULL);
    im_send_request_init(&r, sizeof r);
    r.content_len = len;
    im_send(c, &r, fp);
    im_echo(c, "x");
    im_network_changed(c, 1);
    im_get_state(c, &state);
    st.struct_size = sizeof st;
    im_get_stats(c, &st);
    im_logout(c);
    im_release(c);
    printf("%s %s %s %u %u %d %d\n", im_strerror(codes[0]), im_last_error(), im_version(),
           (unsigned)im_abi_version(), (unsigned)IMSDK_ABI_VERSION, IMSDK_VERSION_MAJOR,
           (int)sizeof codes);
    return IMSDK_VERSION[0] == '\0';
}
"#;

fn compile(compiler: &str, std: &str, ext: &str) {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("header_{std}"));
    std::fs::create_dir_all(&dir).unwrap();
    let src = dir.join(format!("uses_everything.{ext}"));
    std::fs::write(&src, USES_EVERYTHING).unwrap();
    let out = Command::new(compiler)
        .args([
            &format!("-std={std}"),
            "-Wall",
            "-Wextra",
            "-Werror",
            "-pedantic",
            "-fsyntax-only",
            "-I",
        ])
        .arg(include_dir())
        .arg(&src)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {compiler} (install it: .ci/run does): {e}"));
    assert!(
        out.status.success(),
        "{compiler} -std={std} rejected include/imsdk.h:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn header_compiles_as_strict_c99() {
    compile("cc", "c99", "c");
}

#[test]
fn header_compiles_as_strict_cpp17() {
    compile("g++", "c++17", "cpp");
}

/// The value of `#define NAME value` in the header.
fn define(name: &str) -> String {
    let prefix = format!("#define {name} ");
    header()
        .lines()
        .find_map(|l| l.strip_prefix(&prefix).map(str::to_owned))
        .unwrap_or_else(|| panic!("header has no #define {name}"))
}

#[test]
fn version_macros_match_cargo_toml() {
    assert_eq!(
        define("IMSDK_VERSION_MAJOR"),
        env!("CARGO_PKG_VERSION_MAJOR")
    );
    assert_eq!(
        define("IMSDK_VERSION_MINOR"),
        env!("CARGO_PKG_VERSION_MINOR")
    );
    assert_eq!(
        define("IMSDK_VERSION_PATCH"),
        env!("CARGO_PKG_VERSION_PATCH")
    );
    assert_eq!(
        define("IMSDK_VERSION"),
        format!("\"{}\"", env!("CARGO_PKG_VERSION"))
    );

    let cargo_toml =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml")).unwrap();
    let abi_line = cargo_toml
        .lines()
        .skip_while(|l| l.trim() != "[package.metadata.imsdk]")
        .find(|l| l.trim_start().starts_with("abi_version"))
        .expect("Cargo.toml [package.metadata.imsdk] abi_version");
    let abi: u32 = abi_line.split('=').nth(1).unwrap().trim().parse().unwrap();
    assert_eq!(define("IMSDK_ABI_VERSION"), abi.to_string());
}

#[test]
fn library_version_functions_agree_with_header() {
    let version = unsafe { CStr::from_ptr(imsdk::ffi::im_version()) };
    assert_eq!(
        format!("\"{}\"", version.to_str().unwrap()),
        define("IMSDK_VERSION")
    );
    assert_eq!(
        imsdk::ffi::im_abi_version().to_string(),
        define("IMSDK_ABI_VERSION")
    );
}

#[test]
fn content_nul_terminated_sentinel_is_size_max_on_both_sides() {
    assert_eq!(define("IM_CONTENT_NUL_TERMINATED"), "SIZE_MAX");
    assert_eq!(imsdk::ffi::IM_CONTENT_NUL_TERMINATED, usize::MAX);
    assert_eq!(define("IM_TYPEU_DEFAULT"), "INT32_MIN");
    assert_eq!(imsdk::ffi::IM_TYPEU_DEFAULT, i32::MIN);
    assert_eq!(define("IM_FP_BUF_LEN"), "65");
}

#[test]
fn every_item_of_the_header_has_a_doc_comment() {
    let text = header();
    let lines: Vec<&str> = text.lines().collect();
    let mut items = 0;
    let mut undocumented = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let is_comment = line.starts_with('/') || line.starts_with(" *");
        let is_item = (line.starts_with("#define IM") && *line != "#define IMSDK_H")
            || line.starts_with("typedef ")
            || (line.contains(" im_")
                && line.contains('(')
                && !line.starts_with(' ')
                && !is_comment);
        if !is_item {
            continue;
        }
        items += 1;
        let previous = lines[..i].iter().rev().find(|l| !l.trim().is_empty());
        if !previous.is_some_and(|p| p.trim_end().ends_with("*/")) {
            undocumented.push(*line);
        }
    }
    // Also every struct field: the line before a field declaration closes a comment.
    for (i, line) in lines.iter().enumerate() {
        let field = line.starts_with("    ")
            && !line.starts_with("     ")
            && line.trim_end().ends_with(';');
        if field && !lines[i - 1].trim_end().ends_with("*/") {
            undocumented.push(*line);
        }
    }
    assert!(
        items > 80,
        "only {items} items found: is the check still parsing the header?"
    );
    assert!(
        undocumented.is_empty(),
        "undocumented items: {undocumented:#?}"
    );
}
