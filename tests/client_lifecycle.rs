//! Client integration: init checks, threads, the release barrier (also from inside a
//! callback), panicking handlers.

mod client_support;

use std::sync::mpsc;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use client_support::*;
use imsdk::client::{Client, Config, Event, SendRequest, State};
use imsdk::protocol::{codes, Dialect};

#[test]
fn init_refuses_bad_url_205_and_bad_options_1000_without_connecting() {
    let err = Client::new(Config::new("http://x/ws", Dialect::Seed), |_: &Event| {}).unwrap_err();
    assert_eq!(err.code, codes::NO_SERVER);
    let err = Client::new(Config::new("", Dialect::MobileImSdk), |_: &Event| {}).unwrap_err();
    assert_eq!(err.code, codes::NO_SERVER);
    let mut config = Config::new("ws://127.0.0.1:1/websocket", Dialect::MobileImSdk);
    config.subprotocol = Some("chat".into());
    assert_eq!(
        Client::new(config, |_: &Event| {}).unwrap_err().code,
        codes::INVALID_ARGUMENT
    );
    let mut config = Config::new("ws://127.0.0.1:1/ws", Dialect::Seed);
    config.engine.keepalive_interval_ms = 0;
    assert_eq!(
        Client::new(config, |_: &Event| {}).unwrap_err().code,
        codes::INVALID_ARGUMENT
    );
}

#[test]
fn callbacks_run_on_the_imsdk_cb_thread() {
    let server = Server::with_dialect(Dialect::Seed);
    let (tx, rx) = mpsc::channel();
    let client = Client::new(
        fast_config(server.url(), Dialect::Seed),
        move |e: &Event| {
            let name = std::thread::current().name().map(str::to_owned);
            let _ = tx.send((e.clone(), name));
        },
    )
    .unwrap();
    client.login(login_request("alice")).unwrap();
    loop {
        let (event, thread) = rx.recv_timeout(PATIENCE).unwrap();
        assert_eq!(thread.as_deref(), Some("imsdk-cb"));
        if matches!(event, Event::LoginResult { .. }) {
            break;
        }
    }
    client.release();
}

#[test]
fn r32_release_inside_a_callback_is_deferred_and_completes_after_it() {
    for dialect in DIALECTS {
        let server = Server::with_dialect(dialect);
        let slot: Arc<OnceLock<Client>> = Arc::new(OnceLock::new());
        let (tx, rx) = mpsc::channel();
        let handler_slot = slot.clone();
        let client = Client::new(fast_config(server.url(), dialect), move |e: &Event| {
            let _ = tx.send(format!("{e:?}"));
            if matches!(e, Event::LoginResult { code: 0, .. }) {
                let me = handler_slot.get().unwrap();
                me.release();
                // Returned at once (deferred); the handle is already unusable.
                let code = me.send(SendRequest::new("bob", "x")).unwrap_err().code;
                let _ = tx.send(format!("after release: {code}"));
            }
        })
        .unwrap();
        slot.set(client.clone()).unwrap();
        client.login(login_request("alice")).unwrap();

        let mut seen = Vec::new();
        loop {
            let text = rx.recv_timeout(PATIENCE).unwrap();
            let done = text == "Released";
            seen.push(text);
            if done {
                break;
            }
        }
        let login_at = seen
            .iter()
            .position(|t| t.starts_with("LoginResult"))
            .unwrap();
        assert_eq!(
            seen[login_at + 1],
            format!("after release: {}", codes::INVALID_HANDLE)
        );
        // Released is the last callback: nothing follows.
        assert!(rx.recv_timeout(Duration::from_millis(300)).is_err());
        assert_eq!(
            client.login(login_request("alice")).unwrap_err().code,
            codes::INVALID_HANDLE
        );
        assert_eq!(client.state(), State::Idle);
        // A later release from a normal thread returns at once (already complete).
        client.release();
    }
}

#[test]
fn a_panicking_handler_does_not_stop_later_callbacks() {
    let server = Server::with_dialect(Dialect::MobileImSdk);
    let (tx, rx) = mpsc::channel();
    let client = Client::new(
        fast_config(server.url(), Dialect::MobileImSdk),
        move |e: &Event| {
            if matches!(e, Event::StateChanged { .. }) {
                panic!("handler bug (expected by the test)");
            }
            let _ = tx.send(e.clone());
        },
    )
    .unwrap();
    client.login(login_request("alice")).unwrap();
    let first = rx.recv_timeout(PATIENCE).unwrap();
    assert_eq!(
        first,
        Event::LoginResult {
            code: 0,
            relogin: false
        }
    );
    client.echo("still alive").unwrap();
    let echo = rx.recv_timeout(PATIENCE).unwrap();
    assert_eq!(
        echo,
        Event::Echo {
            text: "still alive".into()
        }
    );
    client.release();
    assert_eq!(rx.try_recv().unwrap(), Event::Released);
}

#[test]
fn many_clients_share_the_runtime_and_release_cleanly() {
    let server = Server::with_dialect(Dialect::Seed);
    let clients: Vec<_> = (0..20)
        .map(|i| {
            online_client(
                fast_config(server.url(), Dialect::Seed),
                &format!("user{i}"),
            )
        })
        .collect();
    wait_until("all online at the server", || {
        server.get().online_users().len() == 20
    });
    for (client, mut events) in clients {
        client.release();
        assert_eq!(events.drain_now().last(), Some(&Event::Released));
    }
    wait_until("all gone at the server", || {
        server.get().online_users().is_empty()
    });
}
