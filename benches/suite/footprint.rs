//! B4: sizes of the shipped libraries of the release profile (the staticlib and cdylib
//! of `capi/`, package `imsdk-capi`), stripped the way they ship (`strip` for the shared
//! library; debug sections only for the static library, whose symbol table a linker
//! needs).

use std::path::Path;
use std::process::Command;

#[derive(Debug, Clone)]
pub struct Footprint {
    pub cdylib_bytes: u64,
    pub cdylib_stripped_bytes: u64,
    pub staticlib_bytes: u64,
    pub staticlib_stripped_bytes: u64,
}

fn stripped_size(lib: &Path, args: &[&str], scratch: &Path) -> Result<u64, String> {
    let status = Command::new("strip")
        .args(args)
        .arg("-o")
        .arg(scratch)
        .arg(lib)
        .status()
        .map_err(|e| format!("strip: {e}"))?;
    if !status.success() {
        return Err(format!("strip {} failed: {status}", lib.display()));
    }
    let size = std::fs::metadata(scratch).map_err(|e| e.to_string())?.len();
    let _ = std::fs::remove_file(scratch);
    Ok(size)
}

/// Measures `libimsdk.so` and `libimsdk.a` in `lib_dir` (built by `make bench` with
/// `cargo build --release -p imsdk-capi`).
pub fn measure(lib_dir: &Path) -> Result<Footprint, String> {
    let so = lib_dir.join("libimsdk.so");
    let a = lib_dir.join("libimsdk.a");
    let size = |p: &Path| {
        std::fs::metadata(p).map(|m| m.len()).map_err(|e| {
            format!(
                "{}: {e} (run `cargo build --release -p imsdk-capi` first)",
                p.display()
            )
        })
    };
    let scratch = std::env::temp_dir().join(format!("imsdk-bench-{}", std::process::id()));
    Ok(Footprint {
        cdylib_bytes: size(&so)?,
        cdylib_stripped_bytes: stripped_size(&so, &[], &scratch)?,
        staticlib_bytes: size(&a)?,
        staticlib_stripped_bytes: stripped_size(&a, &["--strip-debug"], &scratch)?,
    })
}
