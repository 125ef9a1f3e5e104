package io.imsdk;

import java.util.Arrays;
import java.util.Collections;

/**
 * The object libimsdk_jni calls for one client's events, on the SDK's callback thread
 * ("imsdk-cb"). It turns the native arguments into the listener's types and contains what
 * the listener throws: an exception goes to {@link ImListener#onCallbackError}, and the
 * next event is delivered as usual. Internal.
 */
final class NativeBridge {
    private final ImListener listener;

    NativeBridge(ImListener listener) {
        this.listener = listener;
    }

    private void failed(String callback, RuntimeException e) {
        // What onCallbackError itself throws reaches the native side, which clears and
        // prints it: nothing is left pending on the SDK's thread.
        listener.onCallbackError(callback, e);
    }

    void onLoginResult(int code, boolean isRelogin) {
        try {
            listener.onLoginResult(code, isRelogin);
        } catch (RuntimeException e) {
            failed("onLoginResult", e);
        }
    }

    void onLinkClosed(int reason) {
        try {
            listener.onLinkClosed(reason);
        } catch (RuntimeException e) {
            failed("onLinkClosed", e);
        }
    }

    void onMessage(String fp, String from, String to, byte[] content, int typeu,
            long serverTime, boolean qos, boolean bridge) {
        try {
            listener.onMessage(new ImMessage(fp, from, to, content, typeu, serverTime, qos, bridge));
        } catch (RuntimeException e) {
            failed("onMessage", e);
        }
    }

    void onServerError(int code, String message) {
        try {
            listener.onServerError(code, message);
        } catch (RuntimeException e) {
            failed("onServerError", e);
        }
    }

    void onMessagesLost(ImLostMessage[] messages) {
        try {
            listener.onMessagesLost(Collections.unmodifiableList(Arrays.asList(messages)));
        } catch (RuntimeException e) {
            failed("onMessagesLost", e);
        }
    }

    void onMessageAcked(String fp) {
        try {
            listener.onMessageAcked(fp);
        } catch (RuntimeException e) {
            failed("onMessageAcked", e);
        }
    }

    void onKicked(int code, String reason) {
        try {
            listener.onKicked(code, reason);
        } catch (RuntimeException e) {
            failed("onKicked", e);
        }
    }

    void onStateChanged(int state, int reason, int attempt, long delayMs) {
        try {
            listener.onStateChanged(state, reason, attempt, delayMs);
        } catch (RuntimeException e) {
            failed("onStateChanged", e);
        }
    }

    void onEcho(String text) {
        try {
            listener.onEcho(text);
        } catch (RuntimeException e) {
            failed("onEcho", e);
        }
    }

    void onRelease() {
        try {
            listener.onRelease();
        } catch (RuntimeException e) {
            failed("onRelease", e);
        }
    }
}
