//! Link options of the shared library that depend on the target.
//!
//! Linux: the SONAME is `libimsdk.so.1`, the ABI version (`IMSDK_ABI_VERSION`,
//! `abi_version` in ../Cargo.toml), so a program linked against `libimsdk.so` records the
//! versioned name and an incompatible release (libimsdk.so.2) can be installed beside it.
//! `make install` installs the file under that name with the `libimsdk.so` link for the
//! linker; capi/c-tests/tests/packaging.rs checks that the two numbers agree.
//!
//! Android: the SONAME is the file name, `libimsdk.so`. An APK carries only `lib*.so`
//! files and the loader looks a dependency up by the name recorded from the SONAME, so a
//! JNI library linked against a `libimsdk.so.1` would not load.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    match std::env::var("CARGO_CFG_TARGET_OS").as_deref() {
        Ok("linux") => println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libimsdk.so.1"),
        Ok("android") => println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libimsdk.so"),
        _ => {}
    }
}
