package io.imsdk.test;

import io.imsdk.Im;
import io.imsdk.ImClient;
import io.imsdk.ImException;
import io.imsdk.ImLostMessage;
import io.imsdk.ImMessage;
import io.imsdk.ImStats;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static io.imsdk.test.Fixture.*;

/** Messages both ways, content byte for byte, and every kind of event. */
final class MessagingTests {
    private MessagingTests() {}

    static void version() {
        Check.that(!Im.version().isEmpty(), "version is empty");
        Check.equal(1, Im.abiVersion(), "ABI version");
        Check.that(Im.describe(Im.ERR_NO_LOGIN).length() > 0, "strerror is empty");
    }

    static void exchange() {
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

    static void trickyContent() {
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

    static void echoStateStats() {
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

    static void statesAndNetwork() {
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

    static void lostAtLogout() {
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

    static void kicked() {
        String a = user("alice");
        Recorder first = new Recorder();
        Recorder second = new Recorder();
        ImClient one = online(a, first);
        ImClient two = online(a, second);
        Check.eventually("onKicked", () -> !first.kicks.isEmpty());
        String kick = first.kicks.peek();
        Check.that(kick.startsWith(Im.KICK_DUPLICATE_LOGIN + " "), "kick: " + kick);
        if (dialect == Im.DIALECT_SEED) {
            // The dev server closes the replaced session with 4001 and this reason (R29).
            Check.equal(Im.KICK_DUPLICATE_LOGIN + " replaced by a newer login", kick, "seed kick");
        }
        Check.eventually("idle after the kick", () -> one.state() == Im.STATE_IDLE);
        Check.that(first.hasState(Im.STATE_IDLE, Im.REASON_KICKED), "IDLE with REASON_KICKED");
        Check.equal(1, first.loginResults.size(), "login results of the older client");
        Check.that(second.kicks.isEmpty(), "the new login was kicked");
        Check.equal(Im.STATE_ONLINE, two.state(), "the newer client's state");
    }

    static void noSuchGroup() {
        String a = user("alice");
        Recorder ra = new Recorder();
        ImClient alice = online(a, ra);
        alice.send("no-such-group", "hi all".getBytes(StandardCharsets.UTF_8), false, 1, null);
        Check.eventually("onServerError", () -> !ra.serverErrors.isEmpty());
        Check.that(ra.serverErrors.peek().startsWith(Im.ERR_SERVER_NO_SUCH_GROUP + " "),
                "server error: " + ra.serverErrors.peek());
    }
}
