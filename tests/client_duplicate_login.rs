//! Client integration, R29: two clients logged in as one seed user. seed has no kickout
//! frame, so the dev server closes the older connection with 4001 "replaced by a newer
//! login"; that client ends its session as kicked instead of logging in again (which
//! would replace the newer one, and so on in a loop), and the newer one stays online.

mod client_support;

use std::time::Duration;

use client_support::*;
use imsdk::client::{Event, LossReason, SendRequest, State};
use imsdk::protocol::{codes, Dialect};

fn is_relogin_step(event: &Event) -> bool {
    matches!(
        event,
        Event::LoginResult { .. }
            | Event::StateChanged {
                state: State::Connecting,
                ..
            }
    )
}

#[test]
fn r29_seed_same_user_twice_the_older_client_is_kicked_once_and_the_newer_stays() {
    let dialect = Dialect::Seed;
    let server = Server::with_dialect(dialect);
    let (first, mut first_events) = online_client(fast_config(server.url(), dialect), "alice");
    // A message the server never confirms, pending when the session is taken over.
    server.get().set_drop_acks(true);
    let pending = first
        .send(SendRequest::new("0", "pending at the takeover"))
        .unwrap();

    let (second, mut second_events) = online_client(fast_config(server.url(), dialect), "alice");
    let ended = first_events.wait_for("the end of the first session", |e| {
        matches!(e, Event::Kicked { .. } | Event::LinkClosed { .. })
    });
    assert_eq!(
        ended,
        Event::Kicked {
            code: codes::KICK_DUPLICATE_LOGIN,
            reason: codes::CLOSE_REPLACED_REASON.into()
        },
        "a replaced seed session is a kickout, not a link loss"
    );
    assert_eq!(first.state(), State::Idle);
    let cancelled: Vec<_> = first_events
        .seen()
        .iter()
        .filter_map(|e| match e {
            Event::MessagesLost(lost) => Some(lost.clone()),
            _ => None,
        })
        .flatten()
        .map(|m| (m.fp, m.reason))
        .collect();
    assert_eq!(cancelled, vec![(pending, LossReason::Cancelled)]);

    // The first re-login would start within 1 s (R20): none comes, so the loop is gone.
    let relogins = first_events.during(Duration::from_millis(1_200), is_relogin_step);
    assert!(relogins.is_empty(), "no re-login after R29: {relogins:?}");
    let trouble = second_events.during(Duration::from_millis(200), |e| {
        matches!(e, Event::LinkClosed { .. } | Event::Kicked { .. })
    });
    assert!(trouble.is_empty(), "the newer session stays: {trouble:?}");
    assert_eq!(second.state(), State::Online);
    assert_eq!(server.get().online_users(), vec!["alice".to_string()]);

    server.get().set_drop_acks(false);
    let fp = second.send(SendRequest::new("0", "still here")).unwrap();
    second_events.wait_for(
        "ack on the newer session",
        |e| matches!(e, Event::MessageAcked { fp: f } if *f == fp),
    );
    let kicks = first_events
        .seen()
        .iter()
        .filter(|e| matches!(e, Event::Kicked { .. }))
        .count();
    assert_eq!(kicks, 1, "the older client is kicked once");
}
