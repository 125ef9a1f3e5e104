//! The process-wide callback thread `imsdk-cb` (DESIGN.md §2). Every client's events go
//! through one FIFO, so each client's callbacks run one at a time and in event order,
//! never on a runtime thread and never while the SDK holds a lock. The dispatcher owns
//! the handlers; a handler is dropped right after its client's `Released` event.
//!
//! The FIFO itself is bounded by the clients' drivers, not here: each driver counts the
//! events it handed over and stops reading its link while too many wait (R61). The
//! dispatcher tells it how many it has finished with (after each callback returned), so
//! the engine can write the ACKs of delivered messages (R36). Once a client is being
//! released, its messages still waiting are dropped unseen (and so never ACKed): release
//! does not wait for a backlog, and no message is delivered after `release()` began.

use std::cell::Cell;
use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::Ordering;
use std::sync::mpsc;
use std::sync::Arc;

use once_cell::sync::OnceCell;
use parking_lot::{Condvar, Mutex};

use super::driver::Shared;
use crate::engine::Event;
use crate::error::{Error, Result};
use crate::log::{self, LogLevel};
use crate::protocol::codes;

/// What the application implements to receive a client's events.
pub trait EventHandler: Send + 'static {
    fn on_event(&mut self, event: &Event);
}

impl<F: FnMut(&Event) + Send + 'static> EventHandler for F {
    fn on_event(&mut self, event: &Event) {
        self(event)
    }
}

/// Opened once a client's `Released` event has been delivered (the release barrier).
#[derive(Default)]
pub struct ReleaseLatch {
    open: Mutex<bool>,
    opened: Condvar,
}

impl ReleaseLatch {
    fn open(&self) {
        *self.open.lock() = true;
        self.opened.notify_all();
    }

    /// Blocks until the latch is open.
    pub fn wait(&self) {
        let mut open = self.open.lock();
        while !*open {
            self.opened.wait(&mut open);
        }
    }
}

enum Job {
    Register {
        client: u64,
        handler: Box<dyn EventHandler>,
        latch: Arc<ReleaseLatch>,
    },
    Deliver {
        client: u64,
        events: Vec<Event>,
        /// The driver's side: counts finished events, says whether release began.
        driver: Option<Arc<Shared>>,
    },
}

/// Delivered events between two reports to the driver inside one long batch.
const REPORT_EVERY: usize = 16;

static QUEUE: OnceCell<mpsc::Sender<Job>> = OnceCell::new();

thread_local! {
    static ON_DISPATCHER: Cell<bool> = const { Cell::new(false) };
}

/// Whether the calling thread is the dispatcher (i.e. we are inside a callback).
pub fn on_dispatcher_thread() -> bool {
    ON_DISPATCHER.with(Cell::get)
}

fn queue() -> Result<&'static mpsc::Sender<Job>> {
    QUEUE.get_or_try_init(|| {
        let (tx, rx) = mpsc::channel();
        std::thread::Builder::new()
            .name("imsdk-cb".into())
            .spawn(move || run(rx))
            .map_err(|e| Error::new(codes::UNKNOWN, format!("cannot start imsdk-cb: {e}")))?;
        Ok(tx)
    })
}

/// Hands `handler` to the dispatcher; events for `client` are delivered to it until
/// `Released`, after which `latch` opens.
pub fn register(
    client: u64,
    handler: Box<dyn EventHandler>,
    latch: Arc<ReleaseLatch>,
) -> Result<()> {
    queue()?
        .send(Job::Register {
            client,
            handler,
            latch,
        })
        .map_err(|_| Error::new(codes::UNKNOWN, "the callback thread is gone"))
}

/// Queues events of `client`, in order.
pub fn deliver(client: u64, events: Vec<Event>) {
    send_job(client, events, None);
}

/// Queues events of the client driven by `driver`, in order, and reports each event to
/// it once its callback returned (R36, R61).
pub fn deliver_counted(driver: &Arc<Shared>, events: Vec<Event>) {
    send_job(driver.client_id, events, Some(driver.clone()));
}

fn send_job(client: u64, events: Vec<Event>, driver: Option<Arc<Shared>>) {
    if events.is_empty() {
        return;
    }
    if let Ok(queue) = queue() {
        let _ = queue.send(Job::Deliver {
            client,
            events,
            driver,
        });
    }
}

struct Registration {
    handler: Box<dyn EventHandler>,
    latch: Arc<ReleaseLatch>,
}

fn run(jobs: mpsc::Receiver<Job>) {
    ON_DISPATCHER.with(|flag| flag.set(true));
    let mut clients: HashMap<u64, Registration> = HashMap::new();
    while let Some(job) = next_job(&jobs) {
        match job {
            Job::Register {
                client,
                handler,
                latch,
            } => {
                clients.insert(client, Registration { handler, latch });
            }
            Job::Deliver {
                client,
                events,
                driver,
            } => {
                for (index, event) in events.into_iter().enumerate() {
                    let Some(registration) = clients.get_mut(&client) else {
                        // Released already: nothing of this client runs any more.
                        break;
                    };
                    let releasing = driver.as_ref().is_some_and(|d| d.release.is_requested());
                    if !(releasing && matches!(event, Event::Message(_))) {
                        call(client, registration.handler.as_mut(), &event);
                    }
                    if let Some(driver) = &driver {
                        driver.delivered.fetch_add(1, Ordering::AcqRel);
                        if (index + 1) % REPORT_EVERY == 0 {
                            driver.wake.notify_one();
                        }
                    }
                    if matches!(event, Event::Released) {
                        if let Some(done) = clients.remove(&client) {
                            // The handler is dropped before the barrier opens, so
                            // release() returns only after everything of it is gone.
                            let handler = done.handler;
                            let _ = catch_unwind(AssertUnwindSafe(move || drop(handler)));
                            done.latch.open();
                        }
                    }
                }
                if let Some(driver) = driver {
                    driver.wake.notify_one();
                }
            }
        }
    }
}

/// Times the thread offers its CPU to others, looking for a job between, before it
/// sleeps. Events come in bursts (a batch of acks, then the frames behind it): a thread
/// that sleeps after every batch costs a futex wait here and a futex wake on the
/// runtime per batch. Yielding is not spinning: with other threads runnable they run
/// meanwhile, with none it returns at once, so an idle client pays a few system calls
/// per burst.
const YIELDS_BEFORE_SLEEP: usize = 2;

/// The next job; `None` once every sender is gone.
fn next_job(jobs: &mpsc::Receiver<Job>) -> Option<Job> {
    for _ in 0..YIELDS_BEFORE_SLEEP {
        match jobs.try_recv() {
            Ok(job) => return Some(job),
            Err(mpsc::TryRecvError::Disconnected) => return None,
            Err(mpsc::TryRecvError::Empty) => std::thread::yield_now(),
        }
    }
    jobs.recv().ok()
}

fn call(client: u64, handler: &mut dyn EventHandler, event: &Event) {
    if catch_unwind(AssertUnwindSafe(|| handler.on_event(event))).is_err() {
        log::write(
            LogLevel::Error,
            &format!("client {client}: the event handler panicked; event dropped"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc as std_mpsc;
    use std::time::Duration;

    fn echo(text: &str) -> Event {
        Event::Echo { text: text.into() }
    }

    fn recording(client: u64) -> (std_mpsc::Receiver<(u64, Event, bool)>, Arc<ReleaseLatch>) {
        let (tx, rx) = std_mpsc::channel();
        let latch = Arc::new(ReleaseLatch::default());
        let handler = move |event: &Event| {
            if *event == echo("boom") {
                panic!("handler bug (expected by the test)");
            }
            let _ = tx.send((client, event.clone(), on_dispatcher_thread()));
        };
        register(client, Box::new(handler), latch.clone()).unwrap();
        (rx, latch)
    }

    #[test]
    fn events_arrive_in_order_per_client_and_stop_after_released() {
        // Ids far from those clients draw, so the shared dispatcher never mixes them up.
        let (a, b) = (u64::MAX - 10, u64::MAX - 11);
        let (rx_a, latch_a) = recording(a);
        let (rx_b, _latch_b) = recording(b);
        deliver(a, vec![echo("a1"), echo("boom"), echo("a2")]);
        deliver(b, vec![echo("b1")]);
        deliver(a, vec![Event::Released, echo("after")]);
        deliver(b, vec![echo("b2")]);
        latch_a.wait();
        let got_a: Vec<Event> = rx_a
            .try_iter()
            .map(|(_, e, on_cb)| {
                assert!(on_cb);
                e
            })
            .collect();
        assert_eq!(got_a, vec![echo("a1"), echo("a2"), Event::Released]);
        let first_b = rx_b.recv_timeout(Duration::from_secs(10)).unwrap().1;
        let second_b = rx_b.recv_timeout(Duration::from_secs(10)).unwrap().1;
        assert_eq!((first_b, second_b), (echo("b1"), echo("b2")));
        assert!(!on_dispatcher_thread());
    }
}
