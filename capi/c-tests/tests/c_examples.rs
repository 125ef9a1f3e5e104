//! The C examples (examples-c/) built with strict flags against include/imsdk.h and
//! libimsdk.a (the staticlib of capi/), then run against an embedded dev server in both
//! dialects, plainly and under valgrind (DESIGN.md §7: zero errors).

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use imsdk_devserver::{DevServer, DevServerConfig, Dialect};

const STRICT_CFLAGS: &str = "-std=c99 -Wall -Wextra -Werror -pedantic -g -O1";
/// Bounds on one run of an example (they finish in seconds; valgrind is ~5x slower).
const RUN_LIMIT: Duration = Duration::from_secs(120);
const VALGRIND_LIMIT: Duration = Duration::from_secs(300);

/// One example runs at a time: valgrind runs are heavy and the machine is shared.
static RUN_LOCK: Mutex<()> = Mutex::new(());

/// The repository root (examples-c/ and include/ are there; this package is capi/c-tests/).
fn repo_root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

fn work_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("c_examples")
}

/// target/<profile>/deps/, the folder of this test binary. `cargo test` builds the
/// staticlib of imsdk-capi (a dependency of this package) there in the same invocation,
/// before these tests (it copies it up to target/<profile>/ only on `cargo build`, so the
/// copy up there may be stale and is never used here).
fn deps_dir() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    exe.parent().unwrap().to_path_buf()
}

/// Builds demo, chat and smoke once against libimsdk.a; returns their folder.
fn built() -> &'static Path {
    static BUILT: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    match BUILT.get_or_init(|| build_examples("libimsdk.a", "build")) {
        Ok(path) => path,
        Err(e) => panic!("{e}"),
    }
}

/// The same programs linked against libimsdk.so, built once; returns their folder. They
/// record its SONAME (libimsdk.so.<ABI>), which [`shared_lib_dir`] provides at run time.
fn built_shared() -> &'static Path {
    static BUILT: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    match BUILT.get_or_init(|| {
        provide_soname()?;
        build_examples("libimsdk.so", "build-shared")
    }) {
        Ok(path) => path,
        Err(e) => panic!("{e}"),
    }
}

/// The LD_LIBRARY_PATH of the runs: a folder where the SONAME names the shared library.
fn shared_lib_dir() -> PathBuf {
    work_dir().join("shared-lib")
}

/// Links shared_lib_dir()/libimsdk.so.<IMSDK_ABI_VERSION> to the shared library of
/// [`deps_dir`] (cargo names it libimsdk.so only; `make install` installs it by SONAME).
fn provide_soname() -> Result<(), String> {
    let header = std::fs::read_to_string(repo_root().join("include/imsdk.h"))
        .map_err(|e| format!("include/imsdk.h: {e}"))?;
    let abi = header
        .lines()
        .find_map(|l| l.strip_prefix("#define IMSDK_ABI_VERSION "))
        .ok_or("no IMSDK_ABI_VERSION in include/imsdk.h")?
        .trim();
    let dir = shared_lib_dir();
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let link = dir.join(format!("libimsdk.so.{abi}"));
    let _ = std::fs::remove_file(&link);
    std::os::unix::fs::symlink(deps_dir().join("libimsdk.so"), &link)
        .map_err(|e| format!("{}: {e}", link.display()))
}

/// Builds examples-c/ against `lib_file` of [`deps_dir`] into `work_dir()/folder`.
fn build_examples(lib_file: &str, folder: &str) -> Result<PathBuf, String> {
    let lib = deps_dir().join(lib_file);
    if !lib.exists() {
        return Err(format!(
            "{} is missing (cargo builds it with the tests)",
            lib.display()
        ));
    }
    let build = work_dir().join(folder);
    let out = Command::new("make")
        .arg("-B")
        .arg("-C")
        .arg(repo_root().join("examples-c"))
        .arg(format!("BUILD={}", build.display()))
        .arg(format!("LIB={}", lib.display()))
        .arg(format!("CFLAGS={STRICT_CFLAGS}"))
        .output()
        .map_err(|e| format!("cannot run make: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "examples-c did not build with {STRICT_CFLAGS} against {lib_file}:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(build)
}

/// Runs `program args` (under valgrind when asked) with output to a file; returns the
/// exit status and the output. Killed and failed after `limit`.
fn run(name: &str, program: &str, args: &[&str], valgrind: bool) -> (ExitStatus, String) {
    run_exe(name, &built().join(program), args, valgrind)
}

/// [`run`] for any executable.
fn run_exe(name: &str, exe: &Path, args: &[&str], valgrind: bool) -> (ExitStatus, String) {
    let _one_at_a_time = RUN_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    std::fs::create_dir_all(work_dir()).unwrap();
    let log_path = work_dir().join(format!("{name}.out"));
    let log = File::create(&log_path).unwrap();
    let mut cmd = if valgrind {
        let mut c = Command::new("valgrind");
        c.args([
            "--error-exitcode=1",
            "--leak-check=full",
            "--errors-for-leak-kinds=definite",
        ]);
        c.arg(exe);
        c
    } else {
        Command::new(exe)
    };
    let mut child = cmd
        .env("LD_LIBRARY_PATH", shared_lib_dir())
        .args(args)
        .stdin(Stdio::null())
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .unwrap_or_else(|e| {
            if valgrind {
                panic!("valgrind is required for this test and could not be started ({e}); install it (apt-get install valgrind; .ci/run does)")
            }
            panic!("cannot start {}: {e}", exe.display())
        });
    let limit = if valgrind { VALGRIND_LIMIT } else { RUN_LIMIT };
    let deadline = Instant::now() + limit;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "{name} did not finish within {limit:?}; output:\n{}",
                std::fs::read_to_string(&log_path).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    (status, std::fs::read_to_string(&log_path).unwrap())
}

/// Runs `f` with the URL of a fresh dev server of `dialect`.
fn with_server<T>(dialect: Dialect, f: impl FnOnce(&str) -> T) -> T {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let server = rt
        .block_on(DevServer::start(DevServerConfig::new(dialect)))
        .unwrap();
    let url = server.ws_url();
    let out = f(&url);
    rt.block_on(server.shutdown());
    out
}

fn dialect_name(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Seed => "seed",
        Dialect::MobileImSdk => "mobileimsdk",
    }
}

fn assert_success(name: &str, status: ExitStatus, output: &str) {
    assert!(status.success(), "{name} failed ({status}):\n{output}");
}

/// Prints valgrind's summary lines and checks there were no errors.
fn assert_valgrind_clean(name: &str, status: ExitStatus, output: &str) {
    for line in output.lines().filter(|l| {
        l.contains("ERROR SUMMARY") || l.contains("definitely lost") || l.contains("possibly lost:")
    }) {
        println!("{name}: {line}");
    }
    assert_success(name, status, output);
    assert!(
        output.contains("ERROR SUMMARY: 0 errors from 0 contexts"),
        "{name}: valgrind reported errors:\n{output}"
    );
}

fn demo(dialect: Dialect, valgrind: bool) -> (ExitStatus, String) {
    let d = dialect_name(dialect);
    let name = format!("demo_{d}{}", if valgrind { "_valgrind" } else { "" });
    with_server(dialect, |url| run(&name, "demo", &[url, d], valgrind))
}

fn smoke(dialect: Dialect, valgrind: bool) -> (ExitStatus, String) {
    let d = dialect_name(dialect);
    let name = format!("smoke_{d}{}", if valgrind { "_valgrind" } else { "" });
    with_server(dialect, |url| run(&name, "smoke", &[url, d], valgrind))
}

fn assert_demo_transcript(output: &str, loss_line: &str) {
    for needle in [
        "ok: alice is online",
        "ok: bob received it",
        "ok: alice got on_message_acked for it",
        "ok: bob got on_message_acked for it",
        loss_line,
        "reason CANCELLED",
        "DEMO OK",
    ] {
        assert!(
            output.contains(needle),
            "demo transcript lacks {needle:?}:\n{output}"
        );
    }
    assert!(!output.contains("FAILED"), "{output}");
}

#[test]
fn examples_build_with_strict_c99_flags() {
    let dir = built();
    for program in ["demo", "chat", "smoke"] {
        assert!(dir.join(program).exists(), "{program} not built");
    }
}

#[test]
fn smoke_without_server_passes() {
    let (status, output) = run("smoke_offline", "smoke", &[], false);
    assert_success("smoke", status, &output);
    assert!(output.contains(", 0 failed"), "{output}");
}

#[test]
fn smoke_linked_against_the_shared_library_passes() {
    let smoke = built_shared().join("smoke");
    let (status, output) = run_exe("smoke_shared_offline", &smoke, &[], false);
    assert_success("smoke (libimsdk.so)", status, &output);
    assert!(output.contains(", 0 failed"), "{output}");
    let (status, output) = with_server(Dialect::Seed, |url| {
        run_exe("smoke_shared_seed", &smoke, &[url, "seed"], false)
    });
    assert_success("smoke (libimsdk.so) seed", status, &output);
    assert!(
        output.contains("release from inside a callback"),
        "{output}"
    );
}

#[test]
fn smoke_against_devserver_seed() {
    let (status, output) = smoke(Dialect::Seed, false);
    assert_success("smoke seed", status, &output);
    assert!(
        output.contains("4 threads send 25 QoS messages"),
        "{output}"
    );
}

#[test]
fn smoke_against_devserver_mobileimsdk() {
    let (status, output) = smoke(Dialect::MobileImSdk, false);
    assert_success("smoke mobileimsdk", status, &output);
    assert!(
        output.contains("release from inside a callback"),
        "{output}"
    );
}

#[test]
fn demo_against_devserver_seed_shows_acks_and_losses() {
    let (status, output) = demo(Dialect::Seed, false);
    assert_success("demo seed", status, &output);
    assert_demo_transcript(&output, "alice got on_server_error(303)");
    assert!(output.contains("reason REJECTED"), "{output}");
}

#[test]
fn demo_against_devserver_mobileimsdk_shows_acks_and_losses() {
    let (status, output) = demo(Dialect::MobileImSdk, false);
    assert_success("demo mobileimsdk", status, &output);
    assert_demo_transcript(&output, "alice -> carol");
    assert!(output.contains("reason TIMEOUT"), "{output}");
}

#[test]
fn demo_fails_when_the_server_is_unreachable() {
    // A port that was free a moment ago: connecting is refused, login fails with 202.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("ws://127.0.0.1:{port}/ws");
    let (status, output) = run("demo_unreachable", "demo", &[&url, "seed"], false);
    assert_eq!(status.code(), Some(1), "{output}");
    assert!(output.contains("FAILED: alice is online"), "{output}");
    assert!(output.contains("DEMO FAILED"), "{output}");
}

#[test]
fn smoke_under_valgrind_seed() {
    let (status, output) = smoke(Dialect::Seed, true);
    assert_valgrind_clean("smoke seed", status, &output);
}

#[test]
fn smoke_under_valgrind_mobileimsdk() {
    let (status, output) = smoke(Dialect::MobileImSdk, true);
    assert_valgrind_clean("smoke mobileimsdk", status, &output);
}

#[test]
fn demo_under_valgrind_seed() {
    let (status, output) = demo(Dialect::Seed, true);
    assert_valgrind_clean("demo seed", status, &output);
    assert!(output.contains("DEMO OK"), "{output}");
}

#[test]
fn demo_under_valgrind_mobileimsdk() {
    let (status, output) = demo(Dialect::MobileImSdk, true);
    assert_valgrind_clean("demo mobileimsdk", status, &output);
    assert!(output.contains("DEMO OK"), "{output}");
}
