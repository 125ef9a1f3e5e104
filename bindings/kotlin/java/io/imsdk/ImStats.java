package io.imsdk;

/** A client's counters since it was created, and gauges ({@link ImClient#stats()}). */
public final class ImStats {
    private final long[] v;

    ImStats(long[] values) {
        this.v = values;
    }

    /** Messages written for the first time (QoS and not). */
    public long getSent() { return v[0]; }

    /** QoS resends written. */
    public long getResent() { return v[1]; }

    /** QoS messages acknowledged. */
    public long getAcked() { return v[2]; }

    /** QoS messages reported lost. */
    public long getLost() { return v[3]; }

    /** Acknowledgements for unknown or already settled fingerprints. */
    public long getIgnoredAcks() { return v[4]; }

    /** Messages delivered to onMessage. */
    public long getReceived() { return v[5]; }

    /** Duplicate QoS messages acknowledged but not delivered. */
    public long getDuplicates() { return v[6]; }

    /** Re-login attempts started. */
    public long getReconnects() { return v[7]; }

    /** Round trip of the last answered keepalive in ms, -1 if none yet. */
    public long getLastKeepaliveRttMs() { return v[8]; }

    /** QoS messages pending now. */
    public long getPendingQos() { return v[9]; }

    /**
     * Events waiting for their listener method (or in it) now; at most about
     * {@link ImOptions.Builder#maxCallbackBacklog}.
     */
    public long getCallbackBacklog() { return v[10]; }

    /** Their approximate bytes (message content and strings) now. */
    public long getCallbackBacklogBytes() { return v[11]; }

    /**
     * Bytes waiting to be written on the connection now (queued and being written); at
     * most {@link ImOptions.Builder#maxOutboundBytes}.
     */
    public long getOutboundBytes() { return v[12]; }

    /** The most bytes that ever waited to be written on one connection. */
    public long getOutboundPeakBytes() { return v[13]; }

    /** Number of values the native side fills (natives.rs writes them in this order). */
    static final int VALUES = 14;

    @Override
    public String toString() {
        return "ImStats{sent=" + getSent() + ", resent=" + getResent() + ", acked=" + getAcked()
                + ", lost=" + getLost() + ", received=" + getReceived() + ", pendingQos="
                + getPendingQos() + ", callbackBacklog=" + getCallbackBacklog()
                + ", callbackBacklogBytes=" + getCallbackBacklogBytes() + ", outboundBytes="
                + getOutboundBytes() + ", outboundPeakBytes=" + getOutboundPeakBytes() + "}";
    }
}
