package io.imsdk;

import java.util.Arrays;

/**
 * Options of an {@link ImClient}: the server URL and dialect, and every setting of
 * include/imsdk.h's ImOptions. Unset values keep the library's defaults (the header lists
 * them); the library checks the ranges when the client is created.
 *
 * <pre>{@code
 * ImOptions o = ImOptions.builder("wss://im.example.com/ws").dialect(Im.DIALECT_SEED).build();
 * }</pre>
 */
public final class ImOptions {
    // Indexes into numbers[], in the order of the native side's table (options.rs).
    private static final int KEEPALIVE_INTERVAL = 0, KEEPALIVE_TIMEOUT = 1, CONNECT_TIMEOUT = 2,
            LOGIN_TIMEOUT = 3, CLOSE_TIMEOUT = 4, RELOGIN_BASE = 5, RELOGIN_MAX = 6,
            STABLE_AFTER = 7, QOS_CHECK_INTERVAL = 8, QOS_JUST_NOW = 9, QOS_MAX_RESENDS = 10,
            MAX_PENDING_QOS = 11, DEDUP_TTL = 12, DEDUP_CAP = 13, BUSY_BACKOFF = 14,
            BUSY_BACKOFF_MAX = 15, MAX_FRAME_BYTES = 16, MAX_INBOUND_BYTES = 17,
            MAX_CALLBACK_BACKLOG = 18, MAX_CALLBACK_BACKLOG_BYTES = 19, MAX_OUTBOUND_BYTES = 20,
            NUMBERS = 21;

    final String url;
    final String subprotocol;
    final int dialect;
    final boolean autoRelogin;
    final long[] numbers;
    final String tlsExtraCaPem;
    final String[] tlsPins;

    private ImOptions(Builder b) {
        url = b.url;
        subprotocol = b.subprotocol;
        dialect = b.dialect;
        autoRelogin = b.autoRelogin;
        numbers = b.numbers.clone();
        tlsExtraCaPem = b.tlsExtraCaPem;
        tlsPins = b.tlsPins == null ? null : b.tlsPins.clone();
    }

    /** A builder for a server at {@code url} ({@code ws://} or {@code wss://}). */
    public static Builder builder(String url) {
        return new Builder(url);
    }

    /** Builds {@link ImOptions}; every setter returns the builder. */
    public static final class Builder {
        private final String url;
        private String subprotocol;
        private int dialect = Im.DIALECT_SEED;
        private boolean autoRelogin = true;
        private final long[] numbers = new long[NUMBERS];
        private String tlsExtraCaPem;
        private String[] tlsPins;

        private Builder(String url) {
            this.url = url;
            Arrays.fill(numbers, -1);
        }

        private Builder set(int index, long value, String name) {
            if (value < 0 || value > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException(name + " = " + value + " is out of range");
            }
            numbers[index] = value;
            return this;
        }

        /** {@link Im#DIALECT_SEED} (default) or {@link Im#DIALECT_MOBILEIMSDK}. */
        public Builder dialect(int dialect) { this.dialect = dialect; return this; }

        /** seed only: the WebSocket subprotocol to request (default none). */
        public Builder subprotocol(String subprotocol) { this.subprotocol = subprotocol; return this; }

        /** Re-login by itself after a link loss (default true). */
        public Builder autoRelogin(boolean on) { this.autoRelogin = on; return this; }

        /** Extra trusted CA certificates, PEM text (added to the bundled roots). */
        public Builder tlsExtraCaPem(String pem) { this.tlsExtraCaPem = pem; return this; }

        /** Pins: base64 SHA-256 of a certificate's SubjectPublicKeyInfo. */
        public Builder tlsPins(String... pins) { this.tlsPins = pins.clone(); return this; }

        public Builder keepaliveIntervalMs(long ms) { return set(KEEPALIVE_INTERVAL, ms, "keepaliveIntervalMs"); }
        public Builder keepaliveTimeoutMs(long ms) { return set(KEEPALIVE_TIMEOUT, ms, "keepaliveTimeoutMs"); }
        public Builder connectTimeoutMs(long ms) { return set(CONNECT_TIMEOUT, ms, "connectTimeoutMs"); }
        public Builder loginTimeoutMs(long ms) { return set(LOGIN_TIMEOUT, ms, "loginTimeoutMs"); }
        public Builder closeTimeoutMs(long ms) { return set(CLOSE_TIMEOUT, ms, "closeTimeoutMs"); }
        public Builder reloginBaseMs(long ms) { return set(RELOGIN_BASE, ms, "reloginBaseMs"); }
        public Builder reloginMaxMs(long ms) { return set(RELOGIN_MAX, ms, "reloginMaxMs"); }
        public Builder stableAfterMs(long ms) { return set(STABLE_AFTER, ms, "stableAfterMs"); }
        public Builder qosCheckIntervalMs(long ms) { return set(QOS_CHECK_INTERVAL, ms, "qosCheckIntervalMs"); }
        public Builder qosJustNowMs(long ms) { return set(QOS_JUST_NOW, ms, "qosJustNowMs"); }
        public Builder qosMaxResends(long n) { return set(QOS_MAX_RESENDS, n, "qosMaxResends"); }
        public Builder maxPendingQos(long n) { return set(MAX_PENDING_QOS, n, "maxPendingQos"); }
        public Builder dedupTtlMs(long ms) { return set(DEDUP_TTL, ms, "dedupTtlMs"); }
        public Builder dedupCap(long n) { return set(DEDUP_CAP, n, "dedupCap"); }
        public Builder busyBackoffMs(long ms) { return set(BUSY_BACKOFF, ms, "busyBackoffMs"); }
        public Builder busyBackoffMaxMs(long ms) { return set(BUSY_BACKOFF_MAX, ms, "busyBackoffMaxMs"); }
        public Builder maxFrameBytes(long n) { return set(MAX_FRAME_BYTES, n, "maxFrameBytes"); }
        public Builder maxInboundBytes(long n) { return set(MAX_INBOUND_BYTES, n, "maxInboundBytes"); }

        /**
         * Events waiting for (or in) their listener method at most (default 1 000;
         * 1..1 000 000). At this cap, or at {@link #maxCallbackBacklogBytes}, the client stops
         * reading the connection until the backlog has drained to half of both caps, so a
         * server sending faster than the listener returns is slowed down by TCP. A QoS
         * message is acknowledged only after its {@link ImListener#onMessage} returned.
         */
        public Builder maxCallbackBacklog(long n) {
            return set(MAX_CALLBACK_BACKLOG, n, "maxCallbackBacklog");
        }

        /**
         * The same cap in bytes of message content and strings (default 4 194 304;
         * 65 536..1 073 741 824).
         */
        public Builder maxCallbackBacklogBytes(long n) {
            return set(MAX_CALLBACK_BACKLOG_BYTES, n, "maxCallbackBacklogBytes");
        }

        /**
         * Bytes that may wait to be written on a connection (default 4 194 304;
         * 65 536..1 073 741 824). Past it a send without QoS and {@link ImClient#echo}
         * throw {@link Im#ERR_QUEUE_FULL}; a QoS message or keepalive that would pass it
         * closes the link ({@link Im#LINK_NETWORK_ERROR}; pending QoS messages stay queued
         * and are resent after the automatic re-login).
         */
        public Builder maxOutboundBytes(long n) {
            return set(MAX_OUTBOUND_BYTES, n, "maxOutboundBytes");
        }

        public ImOptions build() { return new ImOptions(this); }
    }
}
