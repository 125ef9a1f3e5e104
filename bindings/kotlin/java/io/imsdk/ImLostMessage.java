package io.imsdk;

import java.nio.charset.StandardCharsets;

/** A QoS message that will never be acknowledged, and why. */
public final class ImLostMessage {
    private final String fp;
    private final String to;
    private final byte[] content;
    private final int typeu;
    private final int reason;

    ImLostMessage(String fp, String to, byte[] content, int typeu, int reason) {
        this.fp = fp;
        this.to = to;
        this.content = content;
        this.typeu = typeu;
        this.reason = reason;
    }

    /** The fingerprint {@link ImClient#send} returned. */
    public String getFp() { return fp; }

    /** The receiver it was sent to. */
    public String getTo() { return to; }

    /** Its content bytes (this object's own array). */
    public byte[] getContent() { return content; }

    /** The content decoded as UTF-8. */
    public String getContentString() { return new String(content, StandardCharsets.UTF_8); }

    /** Its typeu. */
    public int getTypeu() { return typeu; }

    /** {@link Im#LOST_TIMEOUT}, {@link Im#LOST_CANCELLED} or {@link Im#LOST_REJECTED}. */
    public int getReason() { return reason; }

    @Override
    public String toString() {
        return "ImLostMessage{fp=" + fp + ", to=" + to + ", reason=" + reason + "}";
    }
}
