//! The Kotlin/Java binding on the host JVM: the Java API (bindings/kotlin/java) and the test
//! program (jvm-tests/java) compiled with `javac -Werror`, then run with `java -Xcheck:jni`
//! against libimsdk_jni.so and an embedded dev server, in both dialects. A run fails on any
//! failed Java test and on any warning of the JVM's JNI checker (a local reference leaked
//! on the callback thread shows up there as "JNI local refs: N, exceeds capacity").

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use imsdk_devserver::{DevServer, DevServerConfig, Dialect};

/// Bound on one run of the Java tests (about 3 s on a 2-core machine).
const RUN_LIMIT: Duration = Duration::from_secs(300);
/// The Java tests' main class.
const MAIN_CLASS: &str = "io.imsdk.test.BindingTests";

/// One JVM at a time: the machine is shared.
static RUN_LOCK: Mutex<()> = Mutex::new(());

/// bindings/kotlin/ (this package is bindings/kotlin/jvm-tests/).
fn binding_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

fn work_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("jvm")
}

/// target/<profile>/deps/libimsdk_jni.so: `cargo test` builds it there, as a dependency of
/// this package, in the same invocation and before these tests.
fn jni_library() -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary's path");
    let lib = exe
        .parent()
        .expect("the test binary's folder")
        .join(format!(
            "{}imsdk_jni{}",
            std::env::consts::DLL_PREFIX,
            std::env::consts::DLL_SUFFIX
        ));
    assert!(
        lib.exists(),
        "{} is missing (cargo builds it with these tests)",
        lib.display()
    );
    lib
}

/// `name` from $JAVA_HOME/bin, else from PATH.
fn java_tool(name: &str) -> PathBuf {
    match std::env::var_os("JAVA_HOME") {
        Some(home) if Path::new(&home).join("bin").join(name).exists() => {
            Path::new(&home).join("bin").join(name)
        }
        _ => PathBuf::from(name),
    }
}

fn java_sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            java_sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "java") {
            out.push(path);
        }
    }
}

/// Compiles the API and the tests once; returns the classes folder.
fn classes() -> &'static Path {
    static CLASSES: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    match CLASSES.get_or_init(compile) {
        Ok(path) => path,
        Err(e) => panic!("{e}"),
    }
}

fn compile() -> Result<PathBuf, String> {
    let out = work_dir().join("classes");
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    let mut sources = Vec::new();
    java_sources(&binding_dir().join("java"), &mut sources);
    java_sources(&binding_dir().join("jvm-tests/java"), &mut sources);
    let javac = java_tool("javac");
    let result = Command::new(&javac)
        .args(["-Xlint:all,-options", "-Werror", "--release", "8", "-d"])
        .arg(&out)
        .args(&sources)
        .output()
        .map_err(|e| {
            format!(
                "cannot run {} ({e}): install a JDK (apt-get install openjdk-17-jdk-headless; .ci/run does)",
                javac.display()
            )
        })?;
    if !result.status.success() {
        return Err(format!(
            "javac failed:\n{}{}",
            String::from_utf8_lossy(&result.stdout),
            String::from_utf8_lossy(&result.stderr)
        ));
    }
    Ok(out)
}

/// Runs the Java tests against `url`; returns the exit status and the output.
fn run_java(name: &str, url: &str, dialect: &str) -> (ExitStatus, String) {
    let classes = classes();
    let library = jni_library();
    let _one_at_a_time = RUN_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let log_path = work_dir().join(format!("{name}.out"));
    let log = File::create(&log_path).expect("the log file");
    let mut child = Command::new(java_tool("java"))
        .arg("-Xcheck:jni")
        .arg(format!("-Dimsdk.jni.library={}", library.display()))
        .arg("-cp")
        .arg(classes)
        .args([MAIN_CLASS, url, dialect])
        .stdin(Stdio::null())
        .stdout(log.try_clone().expect("the log file"))
        .stderr(log)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start java ({e}): install a JDK (.ci/run does)"));
    let deadline = Instant::now() + RUN_LIMIT;
    let status = loop {
        if let Some(status) = child.try_wait().expect("waiting for java") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "{name} did not finish within {RUN_LIMIT:?}:\n{}",
                std::fs::read_to_string(&log_path).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    (
        status,
        std::fs::read_to_string(&log_path).unwrap_or_default(),
    )
}

/// Runs `f` with the URL of a fresh dev server of `dialect`.
fn with_server<T>(dialect: Dialect, f: impl FnOnce(&str) -> T) -> T {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let server = rt
        .block_on(DevServer::start(DevServerConfig::new(dialect)))
        .expect("the dev server starts");
    let out = f(&server.ws_url());
    rt.block_on(server.shutdown());
    out
}

/// Lines of the JVM's JNI checker (-Xcheck:jni): warnings and fatal errors.
fn jni_check_findings(output: &str) -> Vec<&str> {
    output
        .lines()
        .filter(|l| l.contains("WARNING") || l.contains("FATAL ERROR") || l.contains("JNI ERROR"))
        .collect()
}

fn assert_java_tests_pass(name: &str, status: ExitStatus, output: &str) {
    for line in output
        .lines()
        .filter(|l| l.starts_with("ok - ") || l.starts_with("FAIL - "))
    {
        println!("{name}: {line}");
    }
    assert!(status.success(), "{name} failed ({status}):\n{output}");
    assert!(
        output.lines().any(|l| l.ends_with(" passed, 0 failed")),
        "{name}: no summary line:\n{output}"
    );
    let findings = jni_check_findings(output);
    assert!(
        findings.is_empty(),
        "{name}: -Xcheck:jni reported {} problem(s), first: {:?}\n{output}",
        findings.len(),
        findings.first()
    );
}

#[test]
fn jvm_binding_against_devserver_seed() {
    let (status, output) = with_server(Dialect::Seed, |url| run_java("seed", url, "seed"));
    assert_java_tests_pass("seed", status, &output);
}

#[test]
fn jvm_binding_against_devserver_mobileimsdk() {
    let (status, output) = with_server(Dialect::MobileImSdk, |url| {
        run_java("mobileimsdk", url, "mobileimsdk")
    });
    assert_java_tests_pass("mobileimsdk", status, &output);
}

/// Android builds use the same classes: the API must not depend on android.*.
#[test]
fn java_api_has_no_android_imports() {
    let mut sources = Vec::new();
    java_sources(&binding_dir().join("java"), &mut sources);
    assert!(!sources.is_empty(), "no Java sources found");
    for path in sources {
        let text = std::fs::read_to_string(&path).expect("a Java source");
        assert!(
            !text
                .lines()
                .any(|l| l.trim_start().starts_with("import android.")),
            "{} imports android.*",
            path.display()
        );
    }
}

#[test]
fn jni_checker_findings_are_recognised() {
    let leaked = "ok - x\nWARNING: JNI local refs: 33, exceeds capacity: 32\n1 passed, 0 failed";
    assert_eq!(jni_check_findings(leaked).len(), 1);
    let pending = "WARNING in native method: JNI call made without checking exceptions when required to from CallVoidMethodA";
    assert_eq!(jni_check_findings(pending).len(), 1);
    assert!(jni_check_findings("ok - x\n1 passed, 0 failed").is_empty());
}
