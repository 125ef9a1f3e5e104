package io.imsdk.test;

import io.imsdk.Im;
import io.imsdk.ImClient;
import io.imsdk.ImException;
import io.imsdk.ImMessage;
import io.imsdk.ImOptions;
import io.imsdk.ImStats;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.imsdk.test.Fixture.*;

/**
 * The memory bounds of the options (docs/protocol.md R61, R62) and the id cap, through the
 * binding: each builder value must reach the library, each stats value must come back.
 */
final class BackPressureTests {
    private BackPressureTests() {}

    /** Room for a message's strings (fp, from, to) in the backlog's byte count. */
    private static final int STRINGS = 512;

    /** A listener whose onMessage waits for {@code gate} before it returns. */
    static final class GatedRecorder extends Recorder {
        private final CountDownLatch gate;
        final AtomicInteger returned = new AtomicInteger();

        GatedRecorder(CountDownLatch gate) {
            this.gate = gate;
        }

        @Override public void onMessage(ImMessage message) {
            super.onMessage(message);
            try {
                gate.await(Check.WAIT_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            returned.incrementAndGet();
        }
    }

    static byte[] payload(int size) {
        byte[] b = new byte[size];
        Arrays.fill(b, (byte) 'x');
        return b;
    }

    static String repeat(String s, int times) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < times; i++) {
            b.append(s);
        }
        return b.toString();
    }

    static void optionRanges() {
        Recorder r = new Recorder();
        Object[][] cases = {
            {options().maxCallbackBacklog(0), "max_callback_backlog must"},
            {options().maxCallbackBacklogBytes(65_535), "max_callback_backlog_bytes must"},
            {options().maxOutboundBytes(65_535), "max_outbound_bytes must"},
        };
        for (Object[] c : cases) {
            ImOptions.Builder b = (ImOptions.Builder) c[0];
            String name = (String) c[1];
            ImException e = Check.fails(ImException.class, name, () -> new ImClient(b.build(), r));
            Check.equal(Im.ERR_INVALID_ARGUMENT, e.getCode(), name);
            Check.that(e.getMessage().contains(name), "message names the option: " + e.getMessage());
        }
        ImClient c = client(options().maxCallbackBacklog(1).maxCallbackBacklogBytes(65_536)
                .maxOutboundBytes(65_536), r);
        ImStats s = c.stats();
        Check.equal(0L, s.getCallbackBacklog(), "callback backlog of a new client");
        Check.equal(0L, s.getCallbackBacklogBytes(), "callback backlog bytes of a new client");
        Check.equal(0L, s.getOutboundBytes(), "outbound bytes of a new client");
        Check.equal(0L, s.getOutboundPeakBytes(), "outbound peak of a new client");
        c.close();
        Check.equal(1, r.releases.get(), "onRelease of the one client created");
    }

    /**
     * R61: while the listener does not return, a client capped at 2 events (bob) or 64 KiB
     * (dave) stops reading, while one with the defaults (carol) takes in everything sent.
     */
    static void r61CallbackBacklogCaps() {
        final int perClient = 40;
        final int size = 8_000;
        final int byteCap = 65_536;
        CountDownLatch gate = new CountDownLatch(1);
        Recorder ra = new Recorder();
        GatedRecorder rb = new GatedRecorder(gate);
        GatedRecorder rc = new GatedRecorder(gate);
        GatedRecorder rd = new GatedRecorder(gate);
        String b = user("bob");
        String c = user("carol");
        String d = user("dave");
        ImClient alice = online(user("alice"), ra);
        ImClient bob = online(b, options().maxCallbackBacklog(2), rb);
        ImClient carol = online(c, rc);
        ImClient dave = online(d, options().maxCallbackBacklogBytes(byteCap), rd);
        byte[] content = payload(size);
        try {
            for (int i = 0; i < perClient; i++) {
                alice.send(b, content);
                alice.send(c, content);
                alice.send(d, content);
            }
            // Carol has read all of them, sent after bob's and dave's by the same server.
            Check.eventually("carol's backlog of " + perClient,
                    () -> carol.stats().getCallbackBacklog() >= perClient);
            Check.eventually("bob's first message", () -> bob.stats().getCallbackBacklog() >= 1);
            Check.eventually("dave's first message", () -> dave.stats().getCallbackBacklog() >= 1);
            ImStats sc = carol.stats();
            Check.that(sc.getCallbackBacklogBytes() >= (long) perClient * size, "carol's bytes: " + sc);
            ImStats sb = bob.stats();
            Check.that(sb.getCallbackBacklog() >= 1 && sb.getCallbackBacklog() <= 3,
                    "bob's backlog stays at its cap of 2 (+ one frame): " + sb);
            Check.that(sb.getCallbackBacklogBytes() >= size
                    && sb.getCallbackBacklogBytes() <= 3L * (size + STRINGS), "bob's bytes: " + sb);
            ImStats sd = dave.stats();
            Check.that(sd.getCallbackBacklogBytes() >= size
                    && sd.getCallbackBacklogBytes() <= byteCap + size + STRINGS,
                    "dave's bytes stay at his cap of " + byteCap + " (+ one frame): " + sd);
            Check.that(sd.getCallbackBacklog() < perClient, "dave's backlog: " + sd);
        } finally {
            gate.countDown();
        }
        for (GatedRecorder r : new GatedRecorder[] {rb, rc, rd}) {
            Check.eventually("every message delivered", () -> r.returned.get() == perClient);
        }
        Check.eventually("alice's acks", () -> ra.ackCount.get() == 3 * perClient);
        for (ImClient client : new ImClient[] {bob, carol, dave}) {
            Check.eventually("the backlog drained", () -> client.stats().getCallbackBacklog() == 0);
            Check.equal(0L, client.stats().getCallbackBacklogBytes(), "backlog bytes once drained");
        }
        for (ImClient client : new ImClient[] {alice, bob, carol, dave}) {
            client.close();
        }
    }

    /**
     * R62: with a server that stops reading, sends without QoS and echoes are refused with
     * ERR_QUEUE_FULL before the bytes waiting to be written pass maxOutboundBytes.
     */
    static void r62OutboundCap() throws Exception {
        final int cap = 65_536;
        final int size = 16_000;
        try (StallingRelay relay = new StallingRelay(url)) {
            Recorder ra = new Recorder();
            // No keepalive during the test: one that does not fit would end the link (R62).
            ImClient alice = online(user("alice"), ImOptions.builder(relay.url()).dialect(dialect)
                    .keepaliveIntervalMs(600_000).keepaliveTimeoutMs(900_000).maxOutboundBytes(cap), ra);
            Check.that(alice.stats().getOutboundPeakBytes() > 0, "the login frame was counted");
            relay.stall(true);
            byte[] content = payload(size);
            String bigEcho = repeat("e", 20_000);
            // Sends succeed until the socket buffers are full; then the outbound bytes stay
            // near the cap, and a 20 kB echo does not fit.
            Check.eventually("an echo refused with ERR_QUEUE_FULL", () -> {
                ImException refused = null;
                for (int i = 0; i < 10_000 && refused == null; i++) {
                    try {
                        alice.send("nobody", content, false, Im.TYPEU_DEFAULT, null);
                    } catch (ImException e) {
                        refused = e;
                    }
                }
                Check.that(refused != null, "no send was refused");
                Check.equal(Im.ERR_QUEUE_FULL, refused.getCode(), "a send past the cap: " + refused);
                // Until the socket buffers are full, what was refused may already be
                // written by now: only the bound holds.
                ImStats s = alice.stats();
                Check.that(s.getOutboundBytes() <= cap, "outbound bytes at a refusal: " + s);
                Check.that(s.getOutboundPeakBytes() <= cap, "the peak passed the cap: " + s);
                try {
                    alice.echo(bigEcho);
                    return false;
                } catch (ImException e) {
                    Check.equal(Im.ERR_QUEUE_FULL, e.getCode(), "an echo past the cap: " + e);
                    return true;
                }
            });
            relay.stall(false);
            // The client counts what waits as of its latest turn, which may predate the
            // relay's resumption: an echo may need a retry or two before it fits.
            Check.eventually("an echo accepted after the stall", () -> {
                try {
                    alice.echo("after the stall");
                    return true;
                } catch (ImException e) {
                    Check.equal(Im.ERR_QUEUE_FULL, e.getCode(), "an echo after the stall: " + e);
                    return false;
                }
            });
            Check.eventually("the echo after the stall", () -> ra.echoes.contains("after the stall"));
            // The peak is reported on the client's turns after queueing, which the echo
            // caused: at least one whole message waited on the connection.
            ImStats s = alice.stats();
            Check.that(s.getOutboundPeakBytes() >= size && s.getOutboundPeakBytes() <= cap,
                    "the peak stayed under the cap: " + s);
            alice.close();
        }
    }

    /** User ids and addressees are capped at Im.MAX_ID_BYTES bytes of UTF-8. */
    static void idCap() {
        Check.equal(256, Im.MAX_ID_BYTES, "IM_MAX_ID_BYTES");
        Recorder r = new Recorder();
        ImClient c = client(r);
        // 129 two-byte characters: under the cap in chars, over it in bytes.
        String tooLong = repeat("\u00e9", Im.MAX_ID_BYTES / 2 + 1);
        ImException e = Check.fails(ImException.class, "a 258-byte user id", () -> c.login(tooLong, "token"));
        Check.equal(Im.ERR_INVALID_ARGUMENT, e.getCode(), "a 258-byte user id");
        String base = user("alice");
        String longest = base + repeat("u", Im.MAX_ID_BYTES - base.length());
        c.login(longest, "token");
        Check.eventually("the login result", () -> !r.loginResults.isEmpty());
        Check.equal(Im.OK, r.loginResults.peek()[0], "a 256-byte user id logs in");
        e = Check.fails(ImException.class, "a 258-byte addressee", () -> c.send(tooLong, "x"));
        Check.equal(Im.ERR_INVALID_ARGUMENT, e.getCode(), "a 258-byte addressee");
        String fp = c.send(longest, "to myself");
        Check.that(!fp.isEmpty(), "a 256-byte addressee is accepted");
        c.close();
    }
}
