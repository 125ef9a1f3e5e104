//! Link options of the shared library that depend on the target.
//!
//! Linux and Android: the SONAME is `libimsdk.so.1`, the ABI version (`IMSDK_ABI_VERSION`,
//! `abi_version` in ../Cargo.toml), so a program linked against `libimsdk.so` records the
//! versioned name and an incompatible release (libimsdk.so.2) can be installed beside it.
//! `make install` installs the file under that name with the `libimsdk.so` link for the
//! linker. A test checks that the two numbers agree.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if os == "linux" || os == "android" {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libimsdk.so.1");
    }
}
