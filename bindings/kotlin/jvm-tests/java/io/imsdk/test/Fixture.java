package io.imsdk.test;

import io.imsdk.Im;
import io.imsdk.ImClient;
import io.imsdk.ImMessage;
import io.imsdk.ImOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** The server under test, and helpers shared by the tests. */
final class Fixture {
    private Fixture() {}

    static String url;
    static int dialect;
    static final List<ImClient> open = new ArrayList<>();
    private static final AtomicInteger users = new AtomicInteger();

    /** Content with a NUL byte, an emoji (outside the BMP), CJK and a trailing NUL. */
    static final byte[] TRICKY = "a\u0000b \uD83D\uDE00 \u4E2D\u6587 \u0000".getBytes(StandardCharsets.UTF_8);

    static ImOptions.Builder options() {
        return ImOptions.builder(url).dialect(dialect);
    }

    static String user(String base) {
        return base + users.incrementAndGet();
    }

    static ImClient client(Recorder r) {
        return client(options(), r);
    }

    static ImClient client(ImOptions.Builder options, Recorder r) {
        ImClient c = new ImClient(options.build(), r);
        open.add(c);
        return c;
    }

    /** A new client logged in as {@code userId}, online. */
    static ImClient online(String userId, Recorder r) {
        return online(userId, options(), r);
    }

    /** A new client with {@code options}, logged in as {@code userId}, online. */
    static ImClient online(String userId, ImOptions.Builder options, Recorder r) {
        ImClient c = client(options, r);
        c.login(userId, "token");
        Check.eventually(userId + "'s login result", () -> !r.loginResults.isEmpty());
        Check.equal(Im.OK, r.loginResults.peek()[0], userId + "'s login result");
        Check.eventually(userId + " online", () -> c.state() == Im.STATE_ONLINE);
        return c;
    }

    static ImMessage awaitMessage(Recorder r, String fp) {
        Check.eventually("message " + fp, () -> r.messages.stream().anyMatch(m -> m.getFp().equals(fp)));
        return r.messages.stream().filter(m -> m.getFp().equals(fp)).findFirst().get();
    }
}
