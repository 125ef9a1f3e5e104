//! `make install` into a staging folder (DESTDIR, PREFIX), then the C examples built
//! against the installed tree only, with `pkg-config --cflags --libs imsdk` (shared) and
//! `imsdk-static` (static), and run. The libraries installed are those this `cargo test`
//! built (target/<profile>/deps/).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

const PREFIX: &str = "/opt/imsdk";
const CFLAGS: &[&str] = &[
    "-std=c99",
    "-Wall",
    "-Wextra",
    "-Werror",
    "-pedantic",
    "-D_POSIX_C_SOURCE=200809L",
];

fn repo_root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

/// target/<profile>/deps/: cargo builds the libraries of imsdk-capi (a dependency of this
/// package) there before these tests.
fn deps_dir() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    exe.parent().unwrap().to_path_buf()
}

fn work_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("packaging")
}

/// Runs `cmd`, panicking with its output when it fails; returns its stdout.
fn run(cmd: &mut Command) -> String {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{cmd:?} failed:\n{text}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The DESTDIR that `make install` filled, once for all tests of this file.
fn staged() -> &'static Path {
    static STAGE: OnceLock<PathBuf> = OnceLock::new();
    STAGE.get_or_init(|| {
        let stage = work_dir().join("stage");
        let _ = std::fs::remove_dir_all(&stage);
        // Variables given to an outer `make test` would reach this make through MAKEFLAGS.
        run(Command::new("make")
            .env_remove("MAKEFLAGS")
            .env_remove("MFLAGS")
            .arg("-s")
            .arg("-C")
            .arg(repo_root())
            .arg("install")
            .arg("NO_BUILD=1")
            .arg(format!("LIB_FROM={}", deps_dir().display()))
            .arg(format!("DESTDIR={}", stage.display()))
            .arg(format!("PREFIX={PREFIX}")));
        stage
    })
}

fn installed(path: &str) -> PathBuf {
    staged().join(PREFIX.trim_start_matches('/')).join(path)
}

/// `pkg-config args` against the staged tree only (its .pc files, paths under DESTDIR).
fn pkg_config(args: &[&str]) -> Vec<String> {
    let out = run(Command::new("pkg-config")
        .args(args)
        .env("PKG_CONFIG_LIBDIR", installed("lib/pkgconfig"))
        .env_remove("PKG_CONFIG_PATH")
        .env("PKG_CONFIG_SYSROOT_DIR", staged()));
    out.split_whitespace().map(str::to_string).collect()
}

/// Builds examples-c/`program`.c with the flags pkg-config gives for `package`; the
/// header comes from the installed tree only (examples-c/ holds no imsdk.h).
fn build_with_pkg_config(program: &str, package: &str) -> PathBuf {
    let exe = work_dir().join(format!("{program}-{package}"));
    let source = repo_root().join("examples-c").join(format!("{program}.c"));
    run(
        Command::new(std::env::var("CC").unwrap_or_else(|_| "cc".into()))
            .args(CFLAGS)
            .arg(&source)
            .args(pkg_config(&["--cflags", "--libs", package]))
            .arg("-lpthread")
            .arg("-o")
            .arg(&exe),
    );
    exe
}

/// The dynamic section entries of `file` with `tag` (NEEDED, SONAME).
fn dynamic_entries(file: &Path, tag: &str) -> Vec<String> {
    run(Command::new("readelf").arg("-dW").arg(file))
        .lines()
        .filter(|l| l.contains(&format!("({tag})")))
        .filter_map(|l| Some(l.rsplit_once('[')?.1.trim_end_matches(']').to_string()))
        .collect()
}

/// `IMSDK_ABI_VERSION` of include/imsdk.h.
fn header_abi_version() -> String {
    let header = std::fs::read_to_string(repo_root().join("include/imsdk.h")).unwrap();
    header
        .lines()
        .find_map(|l| l.strip_prefix("#define IMSDK_ABI_VERSION "))
        .expect("IMSDK_ABI_VERSION in imsdk.h")
        .trim()
        .to_string()
}

fn assert_smoke_passes(exe: &Path, library_path: Option<&Path>) {
    let mut cmd = Command::new(exe);
    if let Some(dir) = library_path {
        cmd.env("LD_LIBRARY_PATH", dir);
    }
    let out = run(&mut cmd);
    assert!(out.contains(", 0 failed"), "{out}");
}

#[test]
fn install_lays_out_header_libraries_and_pkg_config_files() {
    let abi = header_abi_version();
    let header = std::fs::read(installed("include/imsdk.h")).unwrap();
    assert_eq!(
        header,
        std::fs::read(repo_root().join("include/imsdk.h")).unwrap()
    );
    assert!(installed("lib/libimsdk.a").is_file());
    let shared = installed(&format!("lib/libimsdk.so.{abi}"));
    assert!(shared.is_file() && !shared.is_symlink(), "{shared:?}");
    let link = std::fs::read_link(installed("lib/libimsdk.so")).unwrap();
    assert_eq!(link, Path::new(&format!("libimsdk.so.{abi}")));
    for pc in ["imsdk.pc", "imsdk-static.pc"] {
        let text = std::fs::read_to_string(installed(&format!("lib/pkgconfig/{pc}"))).unwrap();
        assert!(text.contains(&format!("prefix={PREFIX}\n")), "{text}");
        assert!(!text.contains('@'), "unsubstituted in {pc}:\n{text}");
    }
    let version = pkg_config(&["--modversion", "imsdk"]);
    assert_eq!(version, [env!("CARGO_PKG_VERSION")]);
}

#[test]
fn shared_library_soname_is_the_abi_version() {
    let abi = header_abi_version();
    let shared = installed(&format!("lib/libimsdk.so.{abi}"));
    assert_eq!(
        dynamic_entries(&shared, "SONAME"),
        [format!("libimsdk.so.{abi}")]
    );
}

#[test]
fn example_links_against_installed_shared_library_with_pkg_config() {
    let flags = pkg_config(&["--cflags", "--libs", "imsdk"]);
    let stage = staged().display().to_string();
    assert!(
        flags.contains(&format!("-I{stage}{PREFIX}/include")),
        "{flags:?}"
    );
    assert!(flags.contains(&"-limsdk".to_string()), "{flags:?}");
    let smoke = build_with_pkg_config("smoke", "imsdk");
    let abi = header_abi_version();
    assert!(
        dynamic_entries(&smoke, "NEEDED").contains(&format!("libimsdk.so.{abi}")),
        "smoke does not record the SONAME"
    );
    assert_smoke_passes(&smoke, Some(&installed("lib")));
    build_with_pkg_config("demo", "imsdk");
}

#[test]
fn example_links_against_installed_static_library_with_pkg_config() {
    let smoke = build_with_pkg_config("smoke", "imsdk-static");
    assert!(
        !dynamic_entries(&smoke, "NEEDED")
            .iter()
            .any(|lib| lib.starts_with("libimsdk")),
        "smoke linked the shared library"
    );
    assert_smoke_passes(&smoke, None);
}
