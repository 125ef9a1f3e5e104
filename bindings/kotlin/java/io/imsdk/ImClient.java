package io.imsdk;

import java.io.Closeable;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One IM client (one account's session) over libimsdk_jni. Methods may be called from any
 * thread, also from inside {@link ImListener} methods; none blocks on the network, and
 * refusals are {@link ImException}s with the imsdk code. Events arrive on the listener,
 * on the SDK's callback thread.
 *
 * <pre>{@code
 * val client = ImClient(ImOptions.builder("ws://10.0.2.2:7901/ws").build(), listener)
 * client.login("alice", "token"); val fp = client.send("bob", "hello")
 * }</pre>
 */
public final class ImClient implements Closeable {
    private final long handle;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * Creates the client (it does not connect yet). The SDK keeps one reference to
     * {@code listener} until {@link ImListener#onRelease}.
     *
     * @throws ImException {@link Im#ERR_NO_SERVER} (bad URL), {@link Im#ERR_INVALID_ARGUMENT}
     *     (an option out of range; the message names it)
     */
    public ImClient(ImOptions options, ImListener listener) {
        if (options == null || listener == null) {
            throw new NullPointerException(options == null ? "options" : "listener");
        }
        long[] out = new long[1];
        NativeLib.check(NativeLib.init(options.url, options.subprotocol, options.dialect,
                options.autoRelogin, options.numbers, options.tlsExtraCaPem, options.tlsPins,
                new NativeBridge(listener), out));
        handle = out[0];
    }

    /** Starts a session: {@link ImListener#onLoginResult} follows. */
    public void login(String userId, String token) {
        login(userId, token, null, null);
    }

    /**
     * Starts a session with the seed {@code app} and the login {@code extra} (both may be
     * null). The token never appears in logs.
     *
     * @throws ImException {@link Im#ERR_ALREADY_LOGGED_IN}, {@link Im#ERR_NETWORK_DOWN},
     *     {@link Im#ERR_INVALID_ARGUMENT} (e.g. {@code userId} over {@link Im#MAX_ID_BYTES}),
     *     {@link Im#ERR_INVALID_HANDLE} (closed)
     */
    public void login(String userId, String token, String app, String extra) {
        NativeLib.check(NativeLib.login(handle, userId, token, app, extra));
    }

    /** Sends {@code content} as UTF-8 with QoS; returns the fingerprint. */
    public String send(String to, String content) {
        return send(to, content.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends {@code content} with QoS and the dialect's typeu; returns the fingerprint. */
    public String send(String to, byte[] content) {
        return send(to, content, true, Im.TYPEU_DEFAULT, null);
    }

    /**
     * Sends a message from the logged-in user. With {@code qos}, exactly one of
     * {@link ImListener#onMessageAcked} or {@link ImListener#onMessagesLost} follows, ever.
     *
     * @param typeu application type or {@link Im#TYPEU_DEFAULT}
     * @param fp a fingerprint to use, or null to have one generated (QoS)
     * @return the fingerprint ("" for a non-QoS message without one)
     * @throws ImException {@link Im#ERR_NO_LOGIN}, {@link Im#ERR_QUEUE_FULL} (with QoS:
     *     {@code maxPendingQos} messages pending; without: the connection already holds
     *     {@code maxOutboundBytes} unwritten), {@link Im#ERR_SERVER_BUSY},
     *     {@link Im#ERR_LINK_DOWN}, {@link Im#ERR_INVALID_PACKET},
     *     {@link Im#ERR_INVALID_ARGUMENT} (e.g. {@code to} empty or over
     *     {@link Im#MAX_ID_BYTES}), {@link Im#ERR_INVALID_HANDLE}
     */
    public String send(String to, byte[] content, boolean qos, int typeu, String fp) {
        String[] fpOut = new String[1];
        NativeLib.check(NativeLib.send(handle, to, content, qos, typeu, fp, fpOut));
        return fpOut[0];
    }

    /** Ends the session; pending QoS messages are reported lost ({@link Im#LOST_CANCELLED}). */
    public void logout() {
        NativeLib.check(NativeLib.logout(handle));
    }

    /** Tells the client whether the device has network (from a connectivity callback). */
    public void networkChanged(boolean available) {
        NativeLib.check(NativeLib.networkChanged(handle, available));
    }

    /**
     * Asks the server to echo {@code text}: {@link ImListener#onEcho} follows.
     *
     * @throws ImException {@link Im#ERR_QUEUE_FULL} when the connection already holds
     *     {@code maxOutboundBytes} unwritten, {@link Im#ERR_NO_LOGIN}, …
     */
    public void echo(String text) {
        NativeLib.check(NativeLib.echo(handle, text));
    }

    /** The connection state ({@code Im.STATE_*}). */
    public int state() {
        int[] out = new int[1];
        NativeLib.check(NativeLib.state(handle, out));
        return out[0];
    }

    /** The client's counters and gauges (callback backlog, outbound bytes). */
    public ImStats stats() {
        long[] values = new long[ImStats.VALUES];
        NativeLib.check(NativeLib.stats(handle, values));
        return new ImStats(values);
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed.get();
    }

    /**
     * Closes the client: any session ends without telling the server, pending QoS messages
     * are reported lost, then {@link ImListener#onRelease} runs, the last event. Called
     * outside the listener, it returns after onRelease has returned; called from inside a
     * listener method, it returns at once and completes after that method returns. Later
     * calls do nothing; every other method then throws {@link Im#ERR_INVALID_HANDLE}.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            NativeLib.check(NativeLib.release(handle));
        }
    }
}
