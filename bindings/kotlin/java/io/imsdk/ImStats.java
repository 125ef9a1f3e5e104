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

    /** Number of values the native side fills. */
    static final int VALUES = 10;

    @Override
    public String toString() {
        return "ImStats{sent=" + getSent() + ", resent=" + getResent() + ", acked=" + getAcked()
                + ", lost=" + getLost() + ", received=" + getReceived() + ", pendingQos="
                + getPendingQos() + "}";
    }
}
