//! The `imsdk-devserver` command: runs a dev server until SIGINT or SIGTERM.

use std::collections::HashMap;
use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;

use imsdk_devserver::{DevServer, DevServerConfig, Dialect};

const USAGE: &str = "\
imsdk-devserver: development IM server (seed and mobileimsdk dialects)

USAGE:
    imsdk-devserver [OPTIONS]

OPTIONS:
    --dialect seed|mobileimsdk   protocol to speak (default: seed)
    --listen ADDR:PORT           address to bind (default: 127.0.0.1:3000 for mobileimsdk,
                                 127.0.0.1:7901 for seed; port 0 = any free port)
    --path PATH                  mobileimsdk: the only path answered (default /websocket);
                                 seed: accepts any path, PATH (default /ws) is only printed
    --tokens FILE                accept only the logins listed in FILE (default: accept all)
    --groups FILE                seed group table
    --idle-timeout-ms N          close connections silent for N ms (default: mobileimsdk
                                 11000, counted from connect; seed 30000, from login)
    --login-wait-ms N            seed: close connections not logged in after N ms (300000)
    --resend-after-ms N          resend an unacked forwarded message once after N ms (3000)
    --offline-queue-cap N        seed: messages kept per offline user (1000)
    --max-msgs-per-sec N         seed: answer 302 above N data frames per second
    --drop-acks                  start with server ACKs dropped (fault injection)
    -h, --help                   print this help

FILES:
    tokens: one `USER TOKEN` pair per line, separated by white space.
    groups: one group per line: `GROUP MEMBER MEMBER...`, separated by white space.
    In both, empty lines and lines starting with `#` are ignored.

On start-up one line `listening on ws://ADDR/PATH` is printed on stdout.
Set RUST_LOG=debug (or IMSDK_DEVSERVER_LOG=debug) to log every frame on stderr.
";

struct Options {
    config: DevServerConfig,
    drop_acks: bool,
}

fn parse_args(args: &[String]) -> Result<Option<Options>, String> {
    let mut dialect = Dialect::Seed;
    let mut values: Vec<(&str, &str)> = Vec::new();
    let mut drop_acks = false;
    let mut i = 0;
    while i < args.len() {
        let arg = args[i].as_str();
        match arg {
            "-h" | "--help" => return Ok(None),
            "--drop-acks" => drop_acks = true,
            "--dialect"
            | "--listen"
            | "--path"
            | "--tokens"
            | "--groups"
            | "--idle-timeout-ms"
            | "--login-wait-ms"
            | "--resend-after-ms"
            | "--offline-queue-cap"
            | "--max-msgs-per-sec" => {
                let value = args
                    .get(i + 1)
                    .ok_or_else(|| format!("{arg} needs a value"))?;
                if arg == "--dialect" {
                    dialect = Dialect::from_name(value)
                        .ok_or_else(|| format!("unknown dialect `{value}`"))?;
                } else {
                    values.push((arg, value));
                }
                i += 1;
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
        i += 1;
    }
    let mut config = DevServerConfig::new(dialect);
    config.listen = SocketAddr::from(([127, 0, 0, 1], dialect.spec().default_port));
    for (key, value) in values {
        match key {
            "--listen" => {
                config.listen = value
                    .parse()
                    .map_err(|_| format!("--listen: `{value}` is not ADDR:PORT"))?;
            }
            "--path" => config.path = value.to_string(),
            "--tokens" => config.tokens = Some(read_tokens(value)?),
            "--groups" => config.groups = read_groups(value)?,
            "--idle-timeout-ms" => config.idle_timeout_ms = number(key, value)?,
            "--login-wait-ms" if dialect == Dialect::Seed => {
                config.login_wait_ms = Some(number(key, value)?)
            }
            "--login-wait-ms" => return Err("--login-wait-ms is for seed only".to_string()),
            "--resend-after-ms" => config.resend_after_ms = number(key, value)?,
            "--offline-queue-cap" => config.offline_queue_cap = number(key, value)?,
            "--max-msgs-per-sec" => config.max_msgs_per_sec = Some(number(key, value)?),
            _ => {}
        }
    }
    Ok(Some(Options { config, drop_acks }))
}

fn number<T: std::str::FromStr>(key: &str, value: &str) -> Result<T, String> {
    value
        .parse()
        .map_err(|_| format!("{key}: `{value}` is not a number"))
}

/// The meaningful lines of a table file, split into words.
fn table_lines(path: &str) -> Result<Vec<Vec<String>>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.split_whitespace().map(str::to_string).collect())
        .collect())
}

fn read_tokens(path: &str) -> Result<HashMap<String, String>, String> {
    table_lines(path)?
        .into_iter()
        .map(|words| match words.as_slice() {
            [user, token] => Ok((user.clone(), token.clone())),
            _ => Err(format!(
                "{path}: expected `USER TOKEN`, got `{}`",
                words.join(" ")
            )),
        })
        .collect()
}

fn read_groups(path: &str) -> Result<HashMap<String, Vec<String>>, String> {
    Ok(table_lines(path)?
        .into_iter()
        .filter_map(|mut words| {
            if words.is_empty() {
                return None;
            }
            let group = words.remove(0);
            Some((group, words))
        })
        .collect())
}

/// SIGINT and SIGTERM, listened to from creation on (so a signal that arrives right after
/// the "listening on" line is not missed).
struct Signals {
    #[cfg(unix)]
    streams: Option<(tokio::signal::unix::Signal, tokio::signal::unix::Signal)>,
}

impl Signals {
    fn install() -> Signals {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            let streams = match (
                signal(SignalKind::interrupt()),
                signal(SignalKind::terminate()),
            ) {
                (Ok(interrupt), Ok(terminate)) => Some((interrupt, terminate)),
                _ => None,
            };
            Signals { streams }
        }
        #[cfg(not(unix))]
        Signals {}
    }

    async fn wait(self) {
        #[cfg(unix)]
        if let Some((mut interrupt, mut terminate)) = self.streams {
            tokio::select! {
                _ = interrupt.recv() => {}
                _ = terminate.recv() => {}
            }
            return;
        }
        let _ = tokio::signal::ctrl_c().await;
    }
}

async fn run(options: Options) -> Result<(), String> {
    let server = DevServer::start(options.config)
        .await
        .map_err(|e| format!("cannot start: {e}"))?;
    server.set_drop_acks(options.drop_acks);
    let signals = Signals::install();
    let mut stdout = std::io::stdout();
    writeln!(stdout, "listening on {}", server.ws_url()).map_err(|e| e.to_string())?;
    stdout.flush().map_err(|e| e.to_string())?;
    signals.wait().await;
    server.shutdown().await;
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let options = match parse_args(&args) {
        Ok(Some(options)) => options,
        Ok(None) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("imsdk-devserver: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("imsdk-devserver: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(options)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("imsdk-devserver: {message}");
            ExitCode::FAILURE
        }
    }
}
