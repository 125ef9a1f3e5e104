//! `make bench`: throughput (B1), latency (B2), memory per idle client (B3), library
//! footprint (B4) and CPU per message (B5) of imsdk, side by side with a raw
//! tokio-tungstenite baseline through the same dev server, in one run, plus the engine's
//! own CPU per message (B0, a diagnostic). Writes `bench-results.json` and the table of
//! `BENCHMARKS.md`.
//!
//! Options: `--quick` (small counts, for trying the harness), `--only b0,b1,b2,b3,b4`,
//! `--side imsdk|raw` (B1/B2 of one side only, for profiling), `--rounds N`,
//! `--b1-messages N`, `--lib-dir DIR` (where `libimsdk.so`/`.a` are; default: this
//! binary's profile directory), `--devserver PATH` (the `imsdk-devserver` binary; same
//! default), `--out DIR` (default: the current directory). `--b3-child` is internal.

mod engine_micro;
mod footprint;
mod gate;
mod memory;
mod raw;
mod report;
mod sdk;
mod sys;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use imsdk_devserver::{DevServer, DevServerConfig, Dialect};
use report::{Percentiles, Rate, Results};

/// 100-byte application text (the content of every B1/B2 message).
const CONTENT: &str =
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghijklmnopqrstuvwxyz+-";

struct Plan {
    b1_messages: usize,
    b1_window: usize,
    b1_rounds: usize,
    b2_messages: usize,
    b2_rounds: usize,
    b3_steps: Vec<usize>,
    only: Vec<String>,
    /// `imsdk`, `raw` or both (B1, B2).
    sides: Vec<String>,
    lib_dir: PathBuf,
    devserver: PathBuf,
    out: PathBuf,
}

impl Plan {
    fn runs(&self, part: &str) -> bool {
        self.only.is_empty() || self.only.iter().any(|p| p == part)
    }

    fn side(&self, side: &str) -> bool {
        self.sides.iter().any(|s| s == side)
    }
}

fn parse_args() -> Result<Plan, String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let profile_dir = std::env::current_exe()
        .ok()
        .and_then(|exe| {
            exe.parent()
                .and_then(|deps| deps.parent())
                .map(PathBuf::from)
        })
        .unwrap_or_else(|| PathBuf::from("target/release"));
    let mut plan = Plan {
        b1_messages: 50_000,
        b1_window: 10_000,
        b1_rounds: 5,
        b2_messages: 10_000,
        b2_rounds: 3,
        b3_steps: vec![1_000, 5_000],
        only: Vec::new(),
        sides: vec!["imsdk".into(), "raw".into()],
        lib_dir: profile_dir.clone(),
        devserver: profile_dir.join("imsdk-devserver"),
        out: PathBuf::from("."),
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = || it.next().cloned().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--bench" => {}
            "--quick" => {
                plan.b1_messages = 10_000;
                plan.b1_rounds = 1;
                plan.b2_messages = 2_000;
                plan.b2_rounds = 1;
                plan.b3_steps = vec![200, 1_000];
            }
            "--only" => plan.only = value()?.split(',').map(str::to_string).collect(),
            "--side" => plan.sides = vec![value()?],
            "--b1-messages" => {
                plan.b1_messages = value()?.parse().map_err(|_| "--b1-messages N")?
            }
            "--rounds" => {
                plan.b1_rounds = value()?.parse().map_err(|_| "--rounds N")?;
                plan.b2_rounds = plan.b1_rounds;
            }
            "--lib-dir" => plan.lib_dir = value()?.into(),
            "--devserver" => plan.devserver = value()?.into(),
            "--out" => plan.out = value()?.into(),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(plan)
}

/// Records a part that failed, and says so at once (a run can take minutes).
fn problem(problems: &mut Vec<String>, what: String) {
    eprintln!("problem: {what}");
    problems.push(what);
}

fn runtime(name: &str) -> tokio::runtime::Runtime {
    match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name(name)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cannot start a runtime: {e}");
            std::process::exit(2);
        }
    }
}

fn median_rate(runs: &[(Duration, sys::Cpu)], n: usize) -> Option<Rate> {
    let mut rates: Vec<Rate> = runs
        .iter()
        .map(|(elapsed, cpu)| Rate {
            msgs_per_s: n as f64 / elapsed.as_secs_f64(),
            process_us_per_msg: cpu.process.as_secs_f64() * 1e6 / n as f64,
            client_us_per_msg: cpu.clients.as_secs_f64() * 1e6 / n as f64,
        })
        .collect();
    rates.sort_by(|a, b| a.msgs_per_s.total_cmp(&b.msgs_per_s));
    rates.get(rates.len() / 2).copied()
}

/// Median of each percentile over rounds.
fn median_percentiles(rounds: &[Percentiles]) -> Option<Percentiles> {
    let pick = |f: fn(&Percentiles) -> f64| {
        let mut v: Vec<f64> = rounds.iter().map(f).collect();
        v.sort_by(f64::total_cmp);
        v.get(v.len() / 2).copied()
    };
    Some(Percentiles {
        p50: pick(|p| p.p50)?,
        p99: pick(|p| p.p99)?,
        max: rounds
            .iter()
            .map(|p| p.max)
            .fold(None, |m: Option<f64>, v| Some(m.map_or(v, |m| m.max(v))))?,
    })
}

/// A baseline run that hangs (a lost frame) fails after two minutes instead of
/// holding up the whole run.
async fn bounded<T>(
    run: impl std::future::Future<Output = std::io::Result<T>>,
) -> std::io::Result<T> {
    tokio::time::timeout(Duration::from_secs(120), run)
        .await
        .map_err(|_| std::io::Error::other("no result within 120 s"))?
}

/// B1 and B2 (and B5 from B1's CPU time) through an embedded dev server.
fn run_b1_b2(plan: &Plan, results: &mut Results) {
    let server_rt = runtime(sys::SERVER_THREADS);
    let raw_rt = runtime("raw-io");
    let mut config = DevServerConfig::new(Dialect::Seed);
    // Receivers ack at once; no server resend may muddle the counts.
    config.resend_after_ms = 60_000;
    let server = match server_rt.block_on(DevServer::start(config)) {
        Ok(s) => s,
        Err(e) => {
            problem(
                &mut results.problems,
                format!("B1/B2: dev server did not start: {e}"),
            );
            return;
        }
    };
    let (addr, url): (SocketAddr, String) = (server.addr(), server.ws_url());

    if plan.runs("b1") {
        let (mut raw_runs, mut sdk_runs) = (Vec::new(), Vec::new());
        let n = plan.b1_messages;
        for round in 0..plan.b1_rounds {
            let raw = || {
                plan.side("raw").then(|| {
                    raw_rt.block_on(bounded(raw::throughput(
                        addr,
                        &url,
                        &format!("b1-raw-{round}"),
                        n,
                        plan.b1_window,
                        CONTENT,
                    )))
                })
            };
            let sdk = || {
                plan.side("imsdk").then(|| {
                    sdk::throughput(
                        &url,
                        &format!("b1-imsdk-{round}"),
                        n,
                        plan.b1_window,
                        CONTENT,
                    )
                })
            };
            // Alternate the order so neither side always runs on a warmer machine.
            let (r, s) = if round % 2 == 0 {
                let r = raw();
                (r, sdk())
            } else {
                let s = sdk();
                (raw(), s)
            };
            let (round_raw, round_sdk) = (raw_runs.len(), sdk_runs.len());
            let mut line = format!("round {}:", round + 1);
            match r {
                None => {}
                Some(Ok(run)) => {
                    line.push_str(&format!(" raw {:.0}", n as f64 / run.0.as_secs_f64()));
                    raw_runs.push(run);
                }
                Some(Err(e)) => problem(
                    &mut results.problems,
                    format!("B1 raw round {}: {e}", round + 1),
                ),
            }
            match s {
                None => {}
                Some(Ok(run)) => {
                    line.push_str(&format!(" imsdk {:.0}", n as f64 / run.0.as_secs_f64()));
                    sdk_runs.push(run);
                }
                Some(Err(e)) => problem(
                    &mut results.problems,
                    format!("B1 imsdk round {}: {e}", round + 1),
                ),
            }
            let paired = raw_runs.len() == round_raw + 1 && sdk_runs.len() == round_sdk + 1;
            if let (true, Some(r), Some(s)) = (paired, raw_runs.last(), sdk_runs.last()) {
                // Both sides of this round ran under the same conditions.
                results
                    .b1_round_ratios
                    .push(r.0.as_secs_f64() / s.0.as_secs_f64());
            }
            eprintln!("B1 {line}");
            results.b1_rounds.push(line);
        }
        results.b1_raw = median_rate(&raw_runs, n);
        results.b1_imsdk = median_rate(&sdk_runs, n);
    }

    if plan.runs("b2") {
        let (mut raw_p, mut sdk_p, mut raw_thread_p) = (Vec::new(), Vec::new(), Vec::new());
        let n = plan.b2_messages;
        for round in 0..plan.b2_rounds {
            if plan.side("raw") {
                match raw_rt.block_on(bounded(raw::latency(
                    addr,
                    &url,
                    &format!("b2-raw-{round}"),
                    n,
                    CONTENT,
                ))) {
                    Ok(s) => raw_p.extend(Percentiles::of(&s)),
                    Err(e) => problem(
                        &mut results.problems,
                        format!("B2 raw round {}: {e}", round + 1),
                    ),
                }
            }
            if plan.side("raw") {
                let tag = format!("b2-rawthread-{round}");
                match raw::latency_from_thread(&raw_rt, addr, &url, &tag, n, CONTENT) {
                    Ok(s) => raw_thread_p.extend(Percentiles::of(&s)),
                    Err(e) => problem(
                        &mut results.problems,
                        format!("B2 raw from a thread, round {}: {e}", round + 1),
                    ),
                }
            }
            if plan.side("imsdk") {
                match sdk::latency(&url, &format!("b2-imsdk-{round}"), n, CONTENT) {
                    Ok(s) => sdk_p.extend(Percentiles::of(&s)),
                    Err(e) => problem(
                        &mut results.problems,
                        format!("B2 imsdk round {}: {e}", round + 1),
                    ),
                }
            }
            eprintln!(
                "B2 round {}: raw {:?} imsdk {:?}",
                round + 1,
                raw_p.last(),
                sdk_p.last()
            );
        }
        results.b2_raw = median_percentiles(&raw_p);
        results.b2_imsdk = median_percentiles(&sdk_p);
        results.b2_raw_thread = median_percentiles(&raw_thread_p);
    }
    drop(server);
    server_rt.shutdown_timeout(Duration::from_secs(1));
    raw_rt.shutdown_timeout(Duration::from_secs(1));
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--b3-child") {
        let steps: Vec<usize> = args
            .get(4)
            .map(|s| s.split(',').filter_map(|v| v.parse().ok()).collect())
            .unwrap_or_default();
        let (imp, url) = (
            args.get(2).cloned().unwrap_or_default(),
            args.get(3).cloned().unwrap_or_default(),
        );
        if let Err(e) = memory::child_main(&imp, &url, &steps) {
            eprintln!("B3 {imp}: {e}");
            std::process::exit(1);
        }
        return;
    }
    let plan = match parse_args() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let started = Instant::now();
    let mut results = Results {
        params: format!(
            "B1 {} messages, window {}, median of {} rounds; B2 {} messages × {} rounds; B3 {:?} clients",
            plan.b1_messages, plan.b1_window, plan.b1_rounds, plan.b2_messages, plan.b2_rounds, plan.b3_steps
        ),
        load_at_start: report::load_average(),
        ..Results::default()
    };
    if plan.runs("b0") {
        match engine_micro::measure(plan.b1_messages, CONTENT) {
            Ok(cost) => results.b0 = Some(cost),
            Err(e) => problem(&mut results.problems, format!("B0: {e}")),
        }
    }
    if plan.runs("b4") {
        match footprint::measure(&plan.lib_dir) {
            Ok(fp) => results.b4 = Some(fp),
            Err(e) => problem(&mut results.problems, format!("B4: {e}")),
        }
    }
    if plan.runs("b1") || plan.runs("b2") {
        run_b1_b2(&plan, &mut results);
    }
    if plan.runs("b3") {
        for imp in ["imsdk", "raw"] {
            match memory::run(&plan.devserver, imp, &plan.b3_steps) {
                Ok(steps) => {
                    eprintln!("B3 {imp}: {steps:?}");
                    if imp == "imsdk" {
                        results.b3_imsdk = steps;
                    } else {
                        results.b3_raw = steps;
                    }
                }
                Err(e) => problem(&mut results.problems, format!("B3 {imp}: {e}")),
            }
        }
    }
    results.duration = started.elapsed();
    println!("{}", results.markdown());
    if let Err(e) = results.write(&plan.out) {
        eprintln!("cannot write the results: {e}");
        std::process::exit(1);
    }
}
