//! Generates the C header from `src/ffi/` with cbindgen (settings in cbindgen.toml) into
//! OUT_DIR, and passes its path (IMSDK_GENERATED_HEADER) and the ABI version
//! (IMSDK_ABI_VERSION, from `[package.metadata.imsdk]` of Cargo.toml) to the crate.
//! `make header` copies the generated header to include/imsdk.h; tests/header_drift.rs
//! fails when the two differ.

use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=src/ffi");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rerun-if-changed=Cargo.toml");

    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));

    let abi_version = abi_version(&root.join("Cargo.toml"));
    println!("cargo:rustc-env=IMSDK_ABI_VERSION={abi_version}");

    let mut config =
        cbindgen::Config::from_file(root.join("cbindgen.toml")).expect("read cbindgen.toml");
    let fixed = config.after_includes.take().unwrap_or_default();
    config.after_includes = Some(version_macros(abi_version) + &fixed);

    let header = out_dir.join("imsdk.h");
    cbindgen::Builder::new()
        .with_config(config)
        .with_src(root.join("src/ffi/mod.rs"))
        .generate()
        .expect("generate the C header from src/ffi")
        .write_to_file(&header);
    println!(
        "cargo:rustc-env=IMSDK_GENERATED_HEADER={}",
        header.display()
    );
}

/// `IMSDK_VERSION*` and `IMSDK_ABI_VERSION`, from the package version.
fn version_macros(abi_version: u32) -> String {
    let var = |name: &str| std::env::var(name).expect("cargo sets the package version");
    format!(
        "\n/** Major version of this header. */\n\
         #define IMSDK_VERSION_MAJOR {}\n\
         /** Minor version of this header. */\n\
         #define IMSDK_VERSION_MINOR {}\n\
         /** Patch version of this header. */\n\
         #define IMSDK_VERSION_PATCH {}\n\
         /** Version of this header as a string; im_version() gives the library's. */\n\
         #define IMSDK_VERSION \"{}\"\n\
         /** ABI version of this header; compare with im_abi_version() at run time. */\n\
         #define IMSDK_ABI_VERSION {abi_version}\n",
        var("CARGO_PKG_VERSION_MAJOR"),
        var("CARGO_PKG_VERSION_MINOR"),
        var("CARGO_PKG_VERSION_PATCH"),
        var("CARGO_PKG_VERSION"),
    )
}

/// `abi_version = N` of the `[package.metadata.imsdk]` table.
fn abi_version(cargo_toml: &Path) -> u32 {
    let text = std::fs::read_to_string(cargo_toml).expect("read Cargo.toml");
    let mut in_table = false;
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            in_table = line == "[package.metadata.imsdk]";
        } else if in_table {
            if let Some(value) = line.strip_prefix("abi_version") {
                let value = value.trim_start().trim_start_matches('=').trim();
                return value
                    .parse()
                    .expect("abi_version in Cargo.toml must be a number");
            }
        }
    }
    panic!("Cargo.toml has no [package.metadata.imsdk] abi_version");
}
