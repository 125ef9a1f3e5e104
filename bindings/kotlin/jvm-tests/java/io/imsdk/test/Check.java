package io.imsdk.test;

import java.util.function.BooleanSupplier;

/** Assertions and bounded waits (the bounds only limit a failing run). */
final class Check {
    private Check() {}

    /** Longest wait for an event before the test fails. */
    static final long WAIT_MS = 30_000;

    static void that(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError(what);
        }
    }

    static void equal(Object expected, Object actual, String what) {
        if (expected == null ? actual != null : !expected.equals(actual)) {
            throw new AssertionError(what + ": expected " + expected + ", got " + actual);
        }
    }

    static void eventually(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT_MS * 1_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }

    interface Body {
        void run() throws Exception;
    }

    /** Runs {@code body} and returns the ImException-like failure it throws, or fails. */
    static <T extends Throwable> T fails(Class<T> type, String what, Body body) {
        try {
            body.run();
        } catch (Throwable t) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            throw new AssertionError(what + ": threw " + t, t);
        }
        throw new AssertionError(what + ": did not throw " + type.getSimpleName());
    }
}
