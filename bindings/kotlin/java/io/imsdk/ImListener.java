package io.imsdk;

import java.util.List;

/**
 * The events of one {@link ImClient}. Every method has an empty default: implement the ones
 * you need (in Kotlin, an {@code object : ImListener} overriding a few).
 *
 * <p>Threading: every method runs on the SDK's callback thread ("imsdk-cb", one for the
 * process, a daemon thread), never on the caller's thread; one client's events arrive one
 * at a time, in order. Hop to the UI thread yourself. Any {@link ImClient} method may be
 * called from here ({@code close()} is then deferred until the callback returns). Return
 * quickly: a slow callback delays later callbacks, never the network.
 *
 * <p>An exception thrown by a method is passed to {@link #onCallbackError}; the client goes
 * on and the next event is delivered.
 */
public interface ImListener {
    /**
     * Result of the login {@link ImClient#login} started (exactly once per accepted login,
     * unless logout or close comes first), and of each automatic re-login that completed
     * ({@code isRelogin}). {@code code}: {@link Im#OK} or an error code ({@link Im#ERR_CONNECT},
     * {@link Im#ERR_TLS}, ..., or the server's own refusal code).
     */
    default void onLoginResult(int code, boolean isRelogin) {}

    /** An online link was lost ({@code Im.LINK_*}); re-login follows unless it is off. */
    default void onLinkClosed(int reason) {}

    /** A message arrived (duplicates of QoS messages are filtered out). */
    default void onMessage(ImMessage message) {}

    /** The server sent an error ({@code Im.ERR_SERVER_*} or its own code) with its text. */
    default void onServerError(int code, String message) {}

    /**
     * These QoS messages will never be acknowledged. With {@link #onMessageAcked}: exactly
     * one outcome for each QoS message {@link ImClient#send} accepted, also on logout and
     * close ({@link Im#LOST_CANCELLED}).
     */
    default void onMessagesLost(List<ImLostMessage> messages) {}

    /** The server acknowledged the QoS message with this fingerprint. */
    default void onMessageAcked(String fp) {}

    /**
     * The server ended the session ({@code Im.KICK_*}, or a server code above 100); no
     * re-login follows. {@link Im#KICK_DUPLICATE_LOGIN}: the same user logged in elsewhere
     * (mobileimsdk kickout; seed: the server closed this session with 4001 "replaced by a
     * newer login").
     */
    default void onKicked(int code, String reason) {}

    /**
     * The connection state changed to {@code state} ({@code Im.STATE_*}) because of
     * {@code reason} ({@code Im.REASON_*}); for {@link Im#STATE_WAITING} also the re-login
     * attempt and its delay.
     */
    default void onStateChanged(int state, int reason, int attempt, long delayMs) {}

    /** The server answered {@link ImClient#echo} with this text. */
    default void onEcho(String text) {}

    /**
     * The client is closed: always the very last event, exactly once. The SDK holds no
     * reference to this listener afterwards.
     */
    default void onRelease() {}

    /**
     * A method of this listener threw {@code error} while handling {@code callback} (its
     * name, e.g. "onMessage"). The default prints it to {@code System.err}. What this method
     * throws is printed and dropped.
     */
    default void onCallbackError(String callback, Throwable error) {
        System.err.println("imsdk: " + callback + " threw:");
        error.printStackTrace();
    }
}
