//! The `imsdk-devserver` binary prints one `listening on` line, serves, and exits cleanly
//! on SIGTERM.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::Client;
use imsdk::protocol::{packet_type, Dialect};

struct Running(std::process::Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn spawn(args: &[&str]) -> (Running, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_imsdk-devserver"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let running = Running(child);
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    (running, line.trim_end().to_string())
}

fn url_of(line: &str) -> &str {
    line.strip_prefix("listening on ").unwrap()
}

#[tokio::test]
async fn cli_prints_the_listening_line_and_serves_each_dialect() {
    for (dialect, path) in [(Dialect::MobileImSdk, "/websocket"), (Dialect::Seed, "/ws")] {
        let (_server, line) = spawn(&["--dialect", dialect.name(), "--listen", "127.0.0.1:0"]);
        assert!(line.starts_with("listening on ws://127.0.0.1:"), "{line}");
        assert!(line.ends_with(path), "{line}");
        let mut client = Client::connect_url(dialect, url_of(&line)).await;
        assert_eq!(client.login("alice", "t", 0).await.code, 0);
    }
}

#[tokio::test]
async fn cli_reads_the_token_file() {
    let dir = std::env::temp_dir().join(format!("imsdk-devserver-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let tokens = dir.join("tokens.txt");
    let mut file = std::fs::File::create(&tokens).unwrap();
    writeln!(file, "# user token\nalice secret\n").unwrap();
    let (_server, line) = spawn(&[
        "--dialect",
        "mobileimsdk",
        "--listen",
        "127.0.0.1:0",
        "--tokens",
        tokens.to_str().unwrap(),
    ]);
    let mut bad = Client::connect_url(Dialect::MobileImSdk, url_of(&line)).await;
    assert_eq!(bad.login("alice", "wrong", 0).await.code, 1025);
    let mut good = Client::connect_url(Dialect::MobileImSdk, url_of(&line)).await;
    assert_eq!(good.login("alice", "secret", 0).await.code, 0);
    good.keepalive().await;
    good.recv_type(packet_type::KEEPALIVE_RESPONSE).await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn cli_exits_cleanly_on_sigterm() {
    let (mut server, _line) = spawn(&["--listen", "127.0.0.1:0"]);
    let pid = server.0.id().to_string();
    let status = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        if let Some(status) = server.0.try_wait().unwrap() {
            assert!(status.success(), "{status:?}");
            break;
        }
        assert!(Instant::now() < deadline, "still running after SIGTERM");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn cli_rejects_unknown_arguments() {
    let output = Command::new(env!("CARGO_BIN_EXE_imsdk-devserver"))
        .arg("--bogus")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let help = Command::new(env!("CARGO_BIN_EXE_imsdk-devserver"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&help.stdout).contains("USER TOKEN"));
}
