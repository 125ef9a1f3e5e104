//! B3: resident memory of idle logged-in clients. For each client count the dev server
//! runs in its own process and the clients in a fresh child process of this bench (clean
//! heap, nothing left from B1/B2 or a smaller step), so the RSS delta is client memory
//! only and the login time covers all of them.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use imsdk::client::{Client, Config, Event};
use imsdk::protocol::{encode, Dialect, Packet};
use serde_json::{json, Value};

use crate::gate::Gate;
use crate::{raw, sdk, sys};

/// Logins in flight at most, so the server's accept backlog never overflows.
const LOGINS_IN_FLIGHT: u64 = 500;
/// Idle time before measuring: one seed keepalive round (10 s) and a bit.
const IDLE: Duration = Duration::from_secs(11);

/// One measured step of a B3 run.
#[derive(Debug, Clone)]
pub struct Step {
    pub clients: usize,
    pub rss_delta_kib: u64,
    pub login_all_ms: u64,
}

impl Step {
    pub fn per_client_kib(&self) -> f64 {
        self.rss_delta_kib as f64 / self.clients as f64
    }
}

/// The `imsdk-devserver` process; killed on drop.
struct ServerProcess {
    child: Child,
    url: String,
}

impl ServerProcess {
    fn start(bin: &Path) -> Result<ServerProcess, String> {
        let mut child = Command::new(bin)
            .args(["--dialect", "seed", "--listen", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let url = line
            .trim()
            .strip_prefix("listening on ")
            .map(str::to_string);
        let mut server = ServerProcess {
            child,
            url: String::new(),
        };
        server.url = url.ok_or_else(|| format!("devserver said {line:?}"))?;
        Ok(server)
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Parent side: for each client count of `steps`, a fresh server process and a fresh
/// child process running `imp` ("imsdk" or "raw") with that many clients.
pub fn run(devserver: &Path, imp: &str, steps: &[usize]) -> Result<Vec<Step>, String> {
    steps.iter().map(|&n| run_one(devserver, imp, n)).collect()
}

fn run_one(devserver: &Path, imp: &str, clients: usize) -> Result<Step, String> {
    // The server process inherits the raised limit.
    sys::raise_nofile(clients as u64 * 2 + 1_024);
    let server = ServerProcess::start(devserver)?;
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut child = Command::new(exe)
        .args(["--b3-child", imp, &server.url, &clients.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| e.to_string())?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let mut out = Vec::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.map_err(|e| e.to_string())?;
        let Some(text) = line.strip_prefix("B3STEP ") else {
            continue;
        };
        let v: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        out.push(Step {
            clients: v["clients"].as_u64().unwrap_or(0) as usize,
            rss_delta_kib: v["rss_delta_kib"].as_u64().unwrap_or(0),
            login_all_ms: v["login_all_ms"].as_u64().unwrap_or(0),
        });
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    drop(server);
    match out.pop() {
        Some(step) if status.success() => Ok(step),
        _ => Err(format!("{clients} {imp} clients: child failed ({status})")),
    }
}

/// Child side (`--b3-child IMPL URL STEPS`): prints one `B3STEP {json}` line per step.
pub fn child_main(imp: &str, url: &str, steps: &[usize]) -> Result<(), String> {
    sys::raise_nofile(steps.iter().max().copied().unwrap_or(0) as u64 + 1_024);
    let logins = Arc::new(Gate::new());
    let mut pool = match imp {
        "imsdk" => Pool::Imsdk(Vec::new()),
        "raw" => Pool::Raw(raw_runtime()?),
        other => return Err(format!("unknown implementation {other}")),
    };
    // One warm-up client starts the shared runtime and threads: not per-client memory.
    pool.add(url, "b3-warm", &logins)?;
    if !logins.wait_for(1, Duration::from_secs(20)) {
        return Err("warm-up client did not log in".into());
    }
    let base = sys::rss_kib();
    let mut have = 0usize;
    for &target in steps {
        let start = Instant::now();
        while have < target {
            let done = logins.count().saturating_sub(1);
            if have as u64 >= done + LOGINS_IN_FLIGHT {
                logins.wait_for(have as u64 + 2 - LOGINS_IN_FLIGHT, Duration::from_secs(60));
                continue;
            }
            pool.add(url, &format!("b3-{imp}-{have}"), &logins)?;
            have += 1;
        }
        if !logins.wait_for(target as u64 + 1, Duration::from_secs(120)) {
            return Err(format!(
                "{imp}: {} of {target} logged in",
                logins.count() - 1
            ));
        }
        let login_all_ms = start.elapsed().as_millis() as u64;
        std::thread::sleep(IDLE);
        let line = json!({
            "clients": target,
            "rss_delta_kib": sys::rss_kib().saturating_sub(base),
            "login_all_ms": login_all_ms,
        });
        println!("B3STEP {line}");
    }
    drop(pool);
    Ok(())
}

enum Pool {
    Imsdk(Vec<Client>),
    Raw(tokio::runtime::Runtime),
}

fn raw_runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("raw-io")
        .enable_all()
        .build()
        .map_err(|e| e.to_string())
}

impl Pool {
    fn add(&mut self, url: &str, user: &str, logins: &Arc<Gate>) -> Result<(), String> {
        match self {
            Pool::Imsdk(clients) => {
                let gate = logins.clone();
                let handler = move |event: &Event| {
                    if let Event::LoginResult { code: 0, .. } = event {
                        gate.bump(false);
                    }
                };
                let client = Client::new(Config::new(url, Dialect::Seed), handler)
                    .map_err(|e| e.to_string())?;
                client
                    .login(sdk::login_request(user))
                    .map_err(|e| e.to_string())?;
                clients.push(client);
            }
            Pool::Raw(rt) => {
                let addr = url_addr(url)?;
                let (url, user, gate) = (url.to_string(), user.to_string(), logins.clone());
                rt.spawn(raw_idle_client(addr, url, user, gate));
            }
        }
        Ok(())
    }
}

fn url_addr(url: &str) -> Result<std::net::SocketAddr, String> {
    let rest = url.strip_prefix("ws://").ok_or("not a ws:// URL")?;
    let host = rest.split('/').next().unwrap_or(rest);
    host.parse().map_err(|e| format!("{host}: {e}"))
}

/// A raw idle client: logged in, writing a keepalive every 10 s, reading what comes.
async fn raw_idle_client(addr: std::net::SocketAddr, url: String, user: String, gate: Arc<Gate>) {
    use futures_util::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::Message;
    let Ok(mut ws) = raw::connect_and_login(addr, &url, &user).await else {
        return;
    };
    gate.bump(false);
    let keepalive = encode(Dialect::Seed, &Packet::keepalive(&user));
    let mut tick = tokio::time::interval(Duration::from_secs(10));
    tick.tick().await;
    loop {
        tokio::select! {
            frame = ws.next() => match frame {
                Some(Ok(_)) => {}
                _ => return,
            },
            _ = tick.tick() => {
                if ws.send(Message::text(keepalive.clone())).await.is_err() {
                    return;
                }
            }
        }
    }
}
