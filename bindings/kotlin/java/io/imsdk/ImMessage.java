package io.imsdk;

import java.nio.charset.StandardCharsets;

/** A received message. Its content is bytes exactly as sent (NUL bytes included). */
public final class ImMessage {
    private final String fp;
    private final String from;
    private final String to;
    private final byte[] content;
    private final int typeu;
    private final long serverTime;
    private final boolean qos;
    private final boolean bridge;

    ImMessage(String fp, String from, String to, byte[] content, int typeu, long serverTime,
            boolean qos, boolean bridge) {
        this.fp = fp;
        this.from = from;
        this.to = to;
        this.content = content;
        this.typeu = typeu;
        this.serverTime = serverTime;
        this.qos = qos;
        this.bridge = bridge;
    }

    /** Fingerprint, "" when the message has none. */
    public String getFp() { return fp; }

    /** Sender's user id ("0" = the server). */
    public String getFrom() { return from; }

    /** Receiver: this user, or (seed, typeu 1) a group id. */
    public String getTo() { return to; }

    /** The content bytes (this message's own array). */
    public byte[] getContent() { return content; }

    /** The content decoded as UTF-8. */
    public String getContentString() { return new String(content, StandardCharsets.UTF_8); }

    /** Application message type (seed: 0 one-to-one, 1 group). */
    public int getTypeu() { return typeu; }

    /** Server time in ms since the Unix epoch, -1 when the server sent none. */
    public long getServerTime() { return serverTime; }

    /** Sent with QoS (the SDK has already acknowledged it). */
    public boolean isQos() { return qos; }

    /** The server's bridge flag. */
    public boolean isBridge() { return bridge; }

    @Override
    public String toString() {
        return "ImMessage{fp=" + fp + ", from=" + from + ", to=" + to + ", "
                + content.length + " bytes, typeu=" + typeu + ", qos=" + qos + "}";
    }
}
