package io.imsdk.test;

import io.imsdk.Im;
import io.imsdk.ImClient;
import io.imsdk.ImException;
import io.imsdk.ImMessage;
import io.imsdk.ImOptions;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static io.imsdk.test.Fixture.*;

/** Bad input, throwing listeners, close and release, leaks. */
final class LifecycleTests {
    private LifecycleTests() {}

    static void badInput() {
        Recorder r = new Recorder();
        ImException e = Check.fails(ImException.class, "http URL",
                () -> new ImClient(ImOptions.builder("http://127.0.0.1:1/").build(), r));
        Check.equal(Im.ERR_NO_SERVER, e.getCode(), "http URL code");
        e = Check.fails(ImException.class, "keepalive timeout below its interval",
                () -> new ImClient(options().keepaliveIntervalMs(10_000).keepaliveTimeoutMs(5_000).build(), r));
        Check.equal(Im.ERR_INVALID_ARGUMENT, e.getCode(), "range code");
        Check.that(e.getMessage().contains("keepalive"), "message names the option: " + e.getMessage());
        Check.fails(IllegalArgumentException.class, "negative option",
                () -> options().connectTimeoutMs(-5));
        Check.equal(0, r.releases.get(), "onRelease after a failed create");

        ImClient c = client(r);
        e = Check.fails(ImException.class, "send before login", () -> c.send("bob", "x"));
        Check.equal(Im.ERR_NO_LOGIN, e.getCode(), "send before login");
        e = Check.fails(ImException.class, "NUL in user id", () -> c.login("a\u0000b", "t"));
        Check.equal(Im.ERR_INVALID_ARGUMENT, e.getCode(), "NUL in user id");
        Check.that(e.getMessage().contains("userId contains a NUL"), e.getMessage());
        e = Check.fails(ImException.class, "null user id", () -> c.login(null, "t"));
        Check.equal(Im.ERR_INVALID_ARGUMENT, e.getCode(), "null user id");
        e = Check.fails(ImException.class, "reserved user id", () -> c.login("0", "t"));
        Check.equal(Im.ERR_INVALID_ARGUMENT, e.getCode(), "reserved user id");
        c.close();
        Check.equal(1, r.releases.get(), "onRelease count");
    }

    static void throwingListener() {
        String a = user("alice");
        String b = user("bob");
        Recorder ra = new Recorder();
        AtomicInteger errors = new AtomicInteger();
        Recorder rb = new Recorder() {
            @Override public void onMessage(ImMessage message) {
                super.onMessage(message);
                throw new IllegalStateException("listener bug " + message.getContentString());
            }

            @Override public void onCallbackError(String callback, Throwable error) {
                super.onCallbackError(callback, error);
                // Every second error escapes onCallbackError too: the native side must
                // clear it rather than leave it pending on the SDK's thread.
                if (errors.incrementAndGet() % 2 == 0) {
                    throw new IllegalStateException("handler bug");
                }
            }
        };
        ImClient alice = online(a, ra);
        ImClient bob = online(b, rb);
        for (int i = 0; i < 6; i++) {
            alice.send(b, "m" + i);
        }
        Check.eventually("6 deliveries", () -> rb.messageCount.get() == 6);
        Check.eventually("6 acks", () -> ra.ackCount.get() == 6);
        Check.equal(6, rb.callbackErrors.size(), "errors reported");
        Check.that(rb.callbackErrors.peek().startsWith("onMessage: listener bug m"), rb.callbackErrors.peek());
        bob.echo("still alive");
        Check.eventually("bob's echo after the exceptions", () -> rb.echoes.contains("still alive"));
        bob.close();
        Check.equal(1, rb.releases.get(), "bob onRelease");
    }

    static void closeInsideCallback() {
        String a = user("alice");
        String b = user("bob");
        Recorder ra = new Recorder();
        AtomicReference<ImClient> self = new AtomicReference<>();
        AtomicBoolean releasedDuringCallback = new AtomicBoolean();
        AtomicBoolean closedInside = new AtomicBoolean();
        Recorder rb = new Recorder() {
            @Override public void onMessage(ImMessage message) {
                super.onMessage(message);
                if (message.getContentString().equals("bye")) {
                    self.get().close();
                    self.get().close();
                    closedInside.set(true);
                    // Deferred: onRelease runs only after this method returns.
                    releasedDuringCallback.set(releases.get() != 0);
                }
            }
        };
        ImClient alice = online(a, ra);
        ImClient bob = online(b, rb);
        self.set(bob);
        alice.send(b, "bye");
        Check.eventually("bob's onRelease", () -> rb.releases.get() == 1);
        Check.that(closedInside.get(), "close returned inside the callback");
        Check.that(!releasedDuringCallback.get(), "onRelease ran before the callback returned");
        bob.close();
        bob.close();
        Check.that(bob.isClosed(), "isClosed");
        ImException e = Check.fails(ImException.class, "send after close", () -> bob.send(a, "x"));
        Check.equal(Im.ERR_INVALID_HANDLE, e.getCode(), "send after close");
        e = Check.fails(ImException.class, "login after close", () -> bob.login(b, "t"));
        Check.equal(Im.ERR_INVALID_HANDLE, e.getCode(), "login after close");
        Check.equal(1, rb.releases.get(), "onRelease exactly once");
        Check.equal(0, rb.afterRelease.get(), "events after onRelease");
    }

    static void closeBarrier() {
        for (int i = 0; i < 20; i++) {
            String a = user("alice");
            Recorder ra = new Recorder();
            ImClient alice = client(ra);
            alice.login(a, "token");
            alice.send("bob", "pending");
            alice.close();
            // No wait: the barrier means onRelease has already run, once, last.
            Check.equal(1, ra.releases.get(), "onRelease when close returned");
            alice.close();
            Check.equal(1, ra.releases.get(), "onRelease after a second close");
            Check.equal(0, ra.afterRelease.get(), "events after onRelease");
        }
    }

    static int threadCount() {
        return Thread.getAllStackTraces().size();
    }

    static List<Thread> callbackThreads() {
        List<Thread> found = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("imsdk-cb")) {
                found.add(t);
            }
        }
        return found;
    }

    static void tenThousand() throws Exception {
        WeakReference<Recorder> weak = bulkExchange(10_000);
        // After close the binding holds no reference to the listener: it is collectable.
        for (int i = 0; i < 50 && weak.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        Check.that(weak.get() == null, "the listener is still referenced after close");
    }

    /** Sends {@code total} QoS messages and closes both clients; returns alice's listener, weakly. */
    static WeakReference<Recorder> bulkExchange(int total) {
        final int window = 500;
        String a = user("alice");
        String b = user("bob");
        Recorder ra = new Recorder();
        Recorder rb = new Recorder();
        ra.countOnly = true;
        rb.countOnly = true;
        ImClient alice = new ImClient(options().build(), ra);
        ImClient bob = new ImClient(options().build(), rb);
        alice.login(a, "token");
        bob.login(b, "token");
        Check.eventually("both online",
                () -> alice.state() == Im.STATE_ONLINE && bob.state() == Im.STATE_ONLINE);
        alice.send(b, "warm-up");
        Check.eventually("warm-up ack", () -> ra.ackCount.get() == 1);
        int threadsBefore = threadCount();

        for (int i = 0; i < total; i++) {
            final int sent = i + 1;
            Check.eventually("a free window", () -> sent - 1 - (ra.ackCount.get() - 1) < window);
            alice.send(b, TRICKY);
        }
        Check.eventually(total + " acks", () -> ra.ackCount.get() == total + 1);
        Check.eventually(total + " deliveries", () -> rb.messageCount.get() == total + 1);
        Check.equal(0, ra.lost.size(), "lost");

        Check.equal(threadsBefore, threadCount(), "Java threads after " + total + " messages");
        List<Thread> cb = callbackThreads();
        Check.equal(1, cb.size(), "imsdk-cb threads known to the JVM");
        Check.that(cb.get(0).isDaemon(), "imsdk-cb is attached as a daemon");

        alice.close();
        bob.close();
        Check.equal(1, ra.releases.get(), "alice onRelease");
        Check.equal(1, rb.releases.get(), "bob onRelease");
        return new WeakReference<>(ra);
    }
}
