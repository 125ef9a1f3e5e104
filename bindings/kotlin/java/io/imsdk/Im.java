package io.imsdk;

/** The codes and constants of include/imsdk.h, with the same names less the IM_ prefix. */
public final class Im {
    private Im() {}

    public static final int OK = 0;
    public static final int ERR_NO_LOGIN = 1;
    public static final int ERR_UNKNOWN = 2;
    public static final int ERR_SEND_FAILED = 3;
    public static final int ERR_INVALID_PACKET = 4;
    public static final int ERR_LINK_DOWN = 201;
    public static final int ERR_CONNECT = 202;
    public static final int ERR_NOT_INITIALIZED = 203;
    public static final int ERR_NETWORK_DOWN = 204;
    public static final int ERR_NO_SERVER = 205;
    public static final int ERR_SERVER_NOT_LOGGED_IN = 301;
    public static final int ERR_SERVER_BUSY = 302;
    public static final int ERR_SERVER_NO_SUCH_GROUP = 303;
    public static final int ERR_INVALID_ARGUMENT = 1000;
    public static final int ERR_ALREADY_LOGGED_IN = 1001;
    public static final int ERR_QUEUE_FULL = 1002;
    public static final int ERR_TLS = 1003;
    public static final int ERR_INVALID_HANDLE = 1004;
    public static final int ERR_PANIC = 1005;

    public static final int DIALECT_SEED = 0;
    public static final int DIALECT_MOBILEIMSDK = 1;

    public static final int STATE_IDLE = 0;
    public static final int STATE_CONNECTING = 1;
    public static final int STATE_AUTHENTICATING = 2;
    public static final int STATE_ONLINE = 3;
    public static final int STATE_WAITING = 4;

    public static final int REASON_LOGIN_REQUESTED = 1;
    public static final int REASON_CONNECTED = 2;
    public static final int REASON_LOGIN_ACCEPTED = 3;
    public static final int REASON_RECONNECTING = 4;
    public static final int REASON_ATTEMPT_STARTED = 5;
    public static final int REASON_LOGIN_FAILED = 6;
    public static final int REASON_LOGGED_OUT = 7;
    public static final int REASON_KICKED = 8;
    public static final int REASON_RELEASED = 9;
    public static final int REASON_LINK_LOST = 10;
    public static final int REASON_NETWORK_DOWN = 11;

    public static final int LINK_SERVER_CLOSED = 1;
    public static final int LINK_NETWORK_ERROR = 2;
    public static final int LINK_KEEPALIVE_TIMEOUT = 3;
    public static final int LINK_NOT_LOGGED_IN = 4;
    public static final int LINK_LOGIN_TIMEOUT = 5;
    public static final int LINK_PROTOCOL_ERROR = 6;
    public static final int LINK_NETWORK_DOWN = 7;

    public static final int LOST_TIMEOUT = 1;
    public static final int LOST_CANCELLED = 2;
    public static final int LOST_REJECTED = 3;

    /** {@link ImListener#onKicked}: the same user logged in elsewhere (both dialects). */
    public static final int KICK_DUPLICATE_LOGIN = 1;
    public static final int KICK_BY_ADMIN = 2;

    /**
     * Longest user or group id, in UTF-8 bytes: a login user id or a send's {@code to}
     * above it is refused with {@link #ERR_INVALID_ARGUMENT}.
     */
    public static final int MAX_ID_BYTES = 256;

    /** {@link ImClient#send} typeu meaning "the dialect's default". */
    public static final int TYPEU_DEFAULT = Integer.MIN_VALUE;

    /** The library's description of a code (im_strerror). */
    public static String describe(int code) {
        return NativeLib.strerror(code);
    }

    /** The native library's version, e.g. "0.1.0". */
    public static String version() {
        return NativeLib.version();
    }

    /** The native library's C ABI version. */
    public static int abiVersion() {
        return NativeLib.abiVersion();
    }
}
