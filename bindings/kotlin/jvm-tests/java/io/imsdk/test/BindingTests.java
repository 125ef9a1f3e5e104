package io.imsdk.test;

import io.imsdk.Im;
import io.imsdk.ImClient;
import io.imsdk.ImException;
import io.imsdk.ImLostMessage;
import io.imsdk.ImMessage;
import io.imsdk.ImOptions;
import io.imsdk.ImStats;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The JVM tests of the binding, against a dev server: {@code BindingTests URL DIALECT}
 * (DIALECT: seed or mobileimsdk). Prints one line per test and "N passed, N failed";
 * exits 1 on any failure. Run with -Xcheck:jni (the Rust harness does, and fails on its
 * warnings).
 */
public final class BindingTests {
    private static String url;
    private static int dialect;
    private static int passed;
    private static int failed;
    private static final List<ImClient> open = new ArrayList<>();
    private static final AtomicInteger users = new AtomicInteger();

    /** Content with a NUL byte, an emoji (outside the BMP), CJK and a trailing NUL. */
    static final byte[] TRICKY = "a\u0000b \uD83D\uDE00 \u4E2D\u6587 \u0000".getBytes(StandardCharsets.UTF_8);

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: BindingTests URL seed|mobileimsdk");
            System.exit(2);
        }
        url = args[0];
        dialect = args[1].equals("mobileimsdk") ? Im.DIALECT_MOBILEIMSDK : Im.DIALECT_SEED;

        run("the library loads and reports its version", BindingTests::version);
        run("bad options and arguments are ImExceptions with the code and a message", BindingTests::badInput);
        run("two clients exchange QoS messages both ways", BindingTests::exchange);
        run("emoji and NUL bytes arrive byte for byte", BindingTests::trickyContent);
        run("echo, state and stats", BindingTests::echoStateStats);
        run("every login reports its states; network down closes the link", BindingTests::statesAndNetwork);
        run("a QoS message pending at logout is reported lost with its content", BindingTests::lostAtLogout);
        if (dialect == Im.DIALECT_MOBILEIMSDK) {
            run("mobileimsdk: a second login of the same user kicks the first", BindingTests::kicked);
        } else {
            run("seed: a group that does not exist is a server error", BindingTests::noSuchGroup);
        }
        run("a listener that throws: later events are still delivered", BindingTests::throwingListener);
        run("close from inside a callback, then twice", BindingTests::closeInsideCallback);
        run("close is a barrier: onRelease ran exactly once when it returns", BindingTests::closeBarrier);
        run("10k messages: no local-reference, thread or listener leak", BindingTests::tenThousand);

        for (ImClient c : open) {
            c.close();
        }
        System.out.println(passed + " passed, " + failed + " failed");
        System.exit(failed == 0 ? 0 : 1);
    }

    private static void run(String name, Check.Body body) {
        try {
            body.run();
            passed++;
            System.out.println("ok - " + name);
        } catch (Throwable t) {
            failed++;
            System.out.println("FAIL - " + name + ": " + t);
            t.printStackTrace(System.out);
        }
    }

    private static ImOptions.Builder options() {
        return ImOptions.builder(url).dialect(dialect);
    }

    private static String user(String base) {
        return base + users.incrementAndGet();
    }

    private static ImClient client(Recorder r) {
        ImClient c = new ImClient(options().build(), r);
        open.add(c);
        return c;
    }

    /** A new client logged in as {@code userId}, online. */
    private static ImClient online(String userId, Recorder r) {
        ImClient c = client(r);
        c.login(userId, "token");
        Check.eventually(userId + "'s login result", () -> !r.loginResults.isEmpty());
        Check.equal(Im.OK, r.loginResults.peek()[0], userId + "'s login result");
        Check.eventually(userId + " online", () -> c.state() == Im.STATE_ONLINE);
        return c;
    }

    private static ImMessage awaitMessage(Recorder r, String fp) {
        Check.eventually("message " + fp, () -> r.messages.stream().anyMatch(m -> m.getFp().equals(fp)));
        return r.messages.stream().filter(m -> m.getFp().equals(fp)).findFirst().get();
    }

    private static void version() {
        Check.that(!Im.version().isEmpty(), "version is empty");
        Check.equal(1, Im.abiVersion(), "ABI version");
        Check.that(Im.describe(Im.ERR_NO_LOGIN).length() > 0, "strerror is empty");
    }

    private static void badInput() {
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

    private static void exchange() {
        String a = user("alice");
        String b = user("bob");
        Recorder ra = new Recorder();
        Recorder rb = new Recorder();
        ImClient alice = online(a, ra);
        ImClient bob = online(b, rb);

        String fp1 = alice.send(b, "hello " + b);
        Check.that(fp1 != null && !fp1.isEmpty(), "send returns a fingerprint");
        ImMessage m = awaitMessage(rb, fp1);
        Check.equal(a, m.getFrom(), "from");
        Check.equal(b, m.getTo(), "to");
        Check.equal("hello " + b, m.getContentString(), "content");
        Check.that(m.isQos(), "received with QoS");
        Check.eventually("alice's ack", () -> ra.acked.contains(fp1));

        String fp2 = bob.send(a, "hi " + a);
        Check.equal("hi " + a, awaitMessage(ra, fp2).getContentString(), "reply content");
        Check.eventually("bob's ack", () -> rb.acked.contains(fp2));

        String own = alice.send(b, "mine".getBytes(StandardCharsets.UTF_8), true, Im.TYPEU_DEFAULT, "fp-" + a);
        Check.equal("fp-" + a, own, "the caller's fingerprint is used");
        Check.eventually("ack of the caller's fingerprint", () -> ra.acked.contains("fp-" + a));

        for (Recorder r : new Recorder[] {ra, rb}) {
            for (Thread t : r.threads) {
                Check.equal("imsdk-cb", t.getName(), "callback thread name");
                Check.that(t.isDaemon(), "the callback thread is a daemon");
            }
        }
        alice.close();
        bob.close();
        Check.equal(1, ra.releases.get(), "alice onRelease");
        Check.equal(1, rb.releases.get(), "bob onRelease");
    }

    private static void trickyContent() {
        String a = user("alice");
        String b = user("bob");
        Recorder ra = new Recorder();
        Recorder rb = new Recorder();
        ImClient alice = online(a, ra);
        online(b, rb);
        String fp = alice.send(b, TRICKY);
        ImMessage m = awaitMessage(rb, fp);
        Check.that(Arrays.equals(TRICKY, m.getContent()),
                "content bytes: " + Arrays.toString(m.getContent()));
        String text = "\uD83D\uDE80 \u0000 rocket";
        String fp2 = alice.send(b, text);
        Check.equal(text, awaitMessage(rb, fp2).getContentString(), "string content");
        String empty = alice.send(b, new byte[0]);
        Check.equal(0, awaitMessage(rb, empty).getContent().length, "empty content");
    }

    private static void echoStateStats() {
        String a = user("alice");
        String b = user("bob");
        Recorder ra = new Recorder();
        Recorder rb = new Recorder();
        ImClient alice = online(a, ra);
        online(b, rb);
        alice.echo("ping \uD83D\uDE00");
        Check.eventually("echo", () -> ra.echoes.contains("ping \uD83D\uDE00"));
        for (int i = 0; i < 3; i++) {
            alice.send(b, "n" + i);
        }
        Check.eventually("3 acks", () -> ra.ackCount.get() == 3);
        ImStats s = alice.stats();
        Check.equal(3L, s.getSent(), "sent");
        Check.equal(3L, s.getAcked(), "acked");
        Check.equal(0L, s.getPendingQos(), "pending");
        Check.eventually("bob's 3 messages", () -> rb.messageCount.get() == 3);
        Check.equal(Im.STATE_ONLINE, alice.state(), "state");
    }

    private static void statesAndNetwork() {
        String a = user("alice");
        Recorder ra = new Recorder();
        ImClient alice = online(a, ra);
        Check.that(ra.hasState(Im.STATE_CONNECTING), "CONNECTING reported");
        Check.that(ra.hasState(Im.STATE_AUTHENTICATING), "AUTHENTICATING reported");
        Check.that(ra.hasState(Im.STATE_ONLINE), "ONLINE reported");
        alice.networkChanged(false);
        Check.eventually("link closed", () -> ra.linkClosed.contains(Im.LINK_NETWORK_DOWN));
        ImException e = Check.fails(ImException.class, "non-QoS send offline",
                () -> alice.send("bob", new byte[] {1}, false, Im.TYPEU_DEFAULT, null));
        Check.equal(Im.ERR_NETWORK_DOWN, e.getCode(), "non-QoS send with the network down");
        alice.networkChanged(true);
        Check.eventually("back online", () -> alice.state() == Im.STATE_ONLINE);
        alice.logout();
        Check.eventually("idle after logout", () -> alice.state() == Im.STATE_IDLE);
        e = Check.fails(ImException.class, "logout twice", alice::logout);
        Check.equal(Im.ERR_NO_LOGIN, e.getCode(), "second logout");
    }

    private static void lostAtLogout() {
        String a = user("alice");
        Recorder ra = new Recorder();
        ImClient alice = online(a, ra);
        alice.networkChanged(false);
        Check.eventually("link closed", () -> !ra.linkClosed.isEmpty());
        String fp = alice.send("nobody", TRICKY);
        alice.logout();
        Check.eventually("the loss report", () -> !ra.lost.isEmpty());
        ImLostMessage lost = ra.lost.peek();
        Check.equal(fp, lost.getFp(), "lost fp");
        Check.equal("nobody", lost.getTo(), "lost to");
        Check.equal(Im.LOST_CANCELLED, lost.getReason(), "lost reason");
        Check.that(Arrays.equals(TRICKY, lost.getContent()), "lost content bytes");
        Check.equal(0, ra.ackCount.get(), "no ack as well");
    }

    private static void kicked() {
        String a = user("alice");
        Recorder first = new Recorder();
        Recorder second = new Recorder();
        ImClient one = online(a, first);
        online(a, second);
        Check.eventually("onKicked", () -> !first.kicks.isEmpty());
        Check.that(first.kicks.peek().startsWith(Im.KICK_DUPLICATE_LOGIN + " "), "kick: " + first.kicks.peek());
        Check.eventually("idle after the kick", () -> one.state() == Im.STATE_IDLE);
        Check.that(second.kicks.isEmpty(), "the new login was kicked");
    }

    private static void noSuchGroup() {
        String a = user("alice");
        Recorder ra = new Recorder();
        ImClient alice = online(a, ra);
        alice.send("no-such-group", "hi all".getBytes(StandardCharsets.UTF_8), false, 1, null);
        Check.eventually("onServerError", () -> !ra.serverErrors.isEmpty());
        Check.that(ra.serverErrors.peek().startsWith(Im.ERR_SERVER_NO_SUCH_GROUP + " "),
                "server error: " + ra.serverErrors.peek());
    }

    private static void throwingListener() {
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

    private static void closeInsideCallback() {
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

    private static void closeBarrier() {
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

    private static int threadCount() {
        return Thread.getAllStackTraces().size();
    }

    private static List<Thread> callbackThreads() {
        List<Thread> found = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("imsdk-cb")) {
                found.add(t);
            }
        }
        return found;
    }

    private static void tenThousand() throws Exception {
        WeakReference<Recorder> weak = bulkExchange(10_000);
        // After close the binding holds no reference to the listener: it is collectable.
        for (int i = 0; i < 50 && weak.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        Check.that(weak.get() == null, "the listener is still referenced after close");
    }

    /** Sends {@code total} QoS messages and closes both clients; returns alice's listener, weakly. */
    private static WeakReference<Recorder> bulkExchange(int total) {
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
