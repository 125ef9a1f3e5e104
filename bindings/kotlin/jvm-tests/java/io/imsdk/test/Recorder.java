package io.imsdk.test;

import io.imsdk.ImListener;
import io.imsdk.ImLostMessage;
import io.imsdk.ImMessage;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/** A listener that records every event, and on which threads they ran. */
class Recorder implements ImListener {
    final Queue<int[]> loginResults = new ConcurrentLinkedQueue<>();
    final Queue<Integer> linkClosed = new ConcurrentLinkedQueue<>();
    final Queue<ImMessage> messages = new ConcurrentLinkedQueue<>();
    final AtomicInteger messageCount = new AtomicInteger();
    final Queue<int[]> states = new ConcurrentLinkedQueue<>();
    final Queue<String> serverErrors = new ConcurrentLinkedQueue<>();
    final Queue<ImLostMessage> lost = new ConcurrentLinkedQueue<>();
    final Set<String> acked = ConcurrentHashMap.newKeySet();
    final AtomicInteger ackCount = new AtomicInteger();
    final Queue<String> echoes = new ConcurrentLinkedQueue<>();
    final Queue<String> kicks = new ConcurrentLinkedQueue<>();
    final AtomicInteger releases = new AtomicInteger();
    final Queue<String> callbackErrors = new ConcurrentLinkedQueue<>();
    final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    /** Events seen after onRelease (must stay 0). */
    final AtomicInteger afterRelease = new AtomicInteger();
    /** Keep only the count of messages (bulk runs). */
    volatile boolean countOnly;

    private void seen() {
        threads.add(Thread.currentThread());
        if (releases.get() > 0) {
            afterRelease.incrementAndGet();
        }
    }

    @Override public void onLoginResult(int code, boolean isRelogin) {
        seen();
        loginResults.add(new int[] {code, isRelogin ? 1 : 0});
    }

    @Override public void onLinkClosed(int reason) { seen(); linkClosed.add(reason); }

    @Override public void onMessage(ImMessage message) {
        seen();
        messageCount.incrementAndGet();
        if (!countOnly) {
            messages.add(message);
        }
    }

    @Override public void onServerError(int code, String message) {
        seen();
        serverErrors.add(code + " " + message);
    }

    @Override public void onMessagesLost(List<ImLostMessage> list) { seen(); lost.addAll(list); }

    @Override public void onMessageAcked(String fp) {
        seen();
        ackCount.incrementAndGet();
        if (!countOnly) {
            acked.add(fp);
        }
    }

    @Override public void onKicked(int code, String reason) { seen(); kicks.add(code + " " + reason); }

    @Override public void onStateChanged(int state, int reason, int attempt, long delayMs) {
        seen();
        states.add(new int[] {state, reason});
    }

    @Override public void onEcho(String text) { seen(); echoes.add(text); }

    @Override public void onRelease() {
        seen();
        releases.incrementAndGet();
    }

    @Override public void onCallbackError(String callback, Throwable error) {
        callbackErrors.add(callback + ": " + error.getMessage());
    }

    boolean hasState(int state) {
        for (int[] s : states) {
            if (s[0] == state) {
                return true;
            }
        }
        return false;
    }

    boolean hasState(int state, int reason) {
        for (int[] s : states) {
            if (s[0] == state && s[1] == reason) {
                return true;
            }
        }
        return false;
    }
}
