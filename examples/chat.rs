//! A line-based chat through an IM server (try it with the dev server):
//!
//! ```text
//! cargo run -p imsdk-devserver -- --dialect mobileimsdk        # in one terminal
//! cargo run --example chat -- --url ws://127.0.0.1:3000/websocket \
//!     --dialect mobileimsdk --user alice --token t                # in two more, alice and bob
//! ```
//!
//! Then type `/to bob hello`, `/group g1 hi` (seed), `/echo text`, `/state`, `/quit`.
//! For `wss://` with a private CA add `--ca ca.pem`, and optionally `--pin BASE64` (SPKI).

use std::io::BufRead;
use std::process::ExitCode;

use imsdk::client::{Client, Config, Event, LoginRequest, SendRequest};
use imsdk::protocol::Dialect;
use imsdk::transport::TlsOptions;

struct Args {
    url: String,
    dialect: Dialect,
    user: String,
    token: String,
    app: Option<String>,
    tls: TlsOptions,
}

const USAGE: &str = "usage: chat --url ws(s)://HOST:PORT/PATH [--dialect seed|mobileimsdk] \
                     --user ID [--token TOKEN] [--app NAME] [--ca PEM_FILE] [--pin BASE64]...";

fn parse_args() -> Result<Args, String> {
    let mut url = None;
    let mut dialect = Dialect::Seed;
    let mut user = None;
    let mut token = String::new();
    let mut app = None;
    let mut tls = TlsOptions::default();
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--url" => url = Some(value()?),
            "--dialect" => {
                dialect = match value()?.as_str() {
                    "seed" => Dialect::Seed,
                    "mobileimsdk" => Dialect::MobileImSdk,
                    other => return Err(format!("unknown dialect {other:?}")),
                }
            }
            "--user" => user = Some(value()?),
            "--token" => token = value()?,
            "--app" => app = Some(value()?),
            "--ca" => {
                let path = value()?;
                let pem = std::fs::read_to_string(&path)
                    .map_err(|e| format!("cannot read {path}: {e}"))?;
                tls.extra_ca_pem = Some(pem);
            }
            "--pin" => tls.spki_pins.push(value()?),
            "--help" | "-h" => return Err(USAGE.to_string()),
            other => return Err(format!("unknown option {other:?}\n{USAGE}")),
        }
    }
    Ok(Args {
        url: url.ok_or(USAGE)?,
        dialect,
        user: user.ok_or(USAGE)?,
        token,
        app,
        tls,
    })
}

fn show(event: &Event) {
    match event {
        Event::Message(m) if m.to != m.from && m.typeu == 1 => {
            println!("[{}] {}: {}", m.to, m.from, m.content)
        }
        Event::Message(m) => println!("{}: {}", m.from, m.content),
        Event::MessageAcked { fp } => println!("  ✓ acked by the server ({fp})"),
        Event::MessagesLost(lost) => {
            for m in lost {
                println!(
                    "  ✗ not delivered to {}: {:?} ({:?})",
                    m.to, m.content, m.reason
                )
            }
        }
        Event::LoginResult { code: 0, relogin } => {
            println!("* logged in{}", if *relogin { " again" } else { "" })
        }
        Event::LoginResult { code, .. } => println!("* login failed with code {code}"),
        Event::StateChanged {
            state,
            reason,
            attempt,
            delay_ms,
        } if *attempt > 0 => {
            println!("* {state:?} ({reason:?}), attempt {attempt} in {delay_ms} ms")
        }
        Event::StateChanged { state, reason, .. } => println!("* {state:?} ({reason:?})"),
        Event::LinkClosed { reason } => println!("* connection lost: {reason:?}"),
        Event::ServerError { code, message } => println!("* server error {code}: {message}"),
        Event::Kicked { code, reason } => println!("* kicked (code {code}) {reason}"),
        Event::Echo { text } => println!("* echo: {text}"),
        Event::Released => println!("* bye"),
    }
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let mut config = Config::new(args.url, args.dialect);
    config.tls = args.tls;
    let client = match Client::new(config, show) {
        Ok(client) => client,
        Err(e) => {
            eprintln!("cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    let login = LoginRequest {
        user_id: args.user,
        token: args.token,
        app: args.app,
        extra: None,
    };
    if let Err(e) = client.login(login) {
        eprintln!("login refused: {e}");
        return ExitCode::FAILURE;
    }
    println!("commands: /to USER TEXT, /group GROUP TEXT (seed), /echo TEXT, /state, /quit");
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        let line = line.trim();
        let (command, rest) = line.split_once(' ').unwrap_or((line, ""));
        let result = match command {
            "" => continue,
            "/quit" => break,
            "/state" => {
                println!("* {:?} {:?}", client.state(), client.stats());
                continue;
            }
            "/echo" => client.echo(rest).map(|_| ()),
            "/to" | "/group" => match rest.split_once(' ') {
                Some((to, text)) => {
                    let mut request = SendRequest::new(to, text);
                    if command == "/group" {
                        request.typeu = Some(1);
                    }
                    client.send(request).map(|_| ())
                }
                None => {
                    println!("usage: {command} ID TEXT");
                    continue;
                }
            },
            _ => {
                println!("unknown command {command:?}");
                continue;
            }
        };
        if let Err(e) = result {
            println!("  ✗ {e}");
        }
    }
    let _ = client.logout();
    client.release();
    ExitCode::SUCCESS
}
