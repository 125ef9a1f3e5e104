//! Link options of the shared library (libimsdk.so) that depend on the target.
//!
//! Linux with glibc: relative relocations are packed (DT_RELR, `-z pack-relative-relocs`).
//! The library holds about 2,400 of them (string and vtable pointers in read-only data);
//! as RELA entries of 24 bytes they take 58 KB, packed under 1 KB (the file shrinks by
//! about 53 KB), and the loader has less to read. The price: the shared library needs glibc ≥ 2.36 (instead of
//! 2.34); it declares this (version GLIBC_ABI_DT_RELR), so an older glibc refuses to load
//! it with a clear message. The static library is not affected: its user's link decides.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    if var("CARGO_CFG_TARGET_OS") == "linux" && var("CARGO_CFG_TARGET_ENV") == "gnu" {
        println!("cargo:rustc-link-arg-cdylib=-Wl,-z,pack-relative-relocs");
    }
}
