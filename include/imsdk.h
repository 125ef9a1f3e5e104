/*
 * imsdk.h: the C API of imsdk, an instant-messaging client core (WebSocket, QoS
 * messages, automatic re-login) for C, C++, Swift, Kotlin/JNI and uni-app.
 *
 * Link: libimsdk.a with -lpthread -ldl -lm (or libimsdk.so).
 *
 * Quick start
 *   ImOptions o; im_options_init(&o, sizeof o); o.url = "ws://host:port/path";
 *   ImCallbacks cb = {0}; cb.struct_size = sizeof cb; cb.on_message = ...;
 *   ImClient *c; im_init(&o, &cb, &c);
 *   im_login(c, "alice", "token", NULL, NULL);     // result: on_login_result
 *   ImSendRequest r; im_send_request_init(&r, sizeof r); r.to = "bob"; r.content = "hi";
 *   char fp[IM_FP_BUF_LEN]; im_send(c, &r, fp);    // outcome: on_message_acked / _lost
 *   im_logout(c); im_release(c);
 *
 * Return codes
 *   Every function that can fail returns int32_t: IM_OK (0) or an IM_ERR_* code.
 *   im_strerror(code) describes a code; im_last_error() gives the calling thread's
 *   detailed message of its last call (which argument, which option, why). Bad input
 *   (NULL, invalid UTF-8, a string over its cap, an out-of-range option) is an error
 *   code, never undefined behaviour.
 *
 * Threading
 *   Every function may be called from any thread, concurrently, including from inside
 *   callbacks. No function blocks on the network: answers that depend on the state
 *   (not logged in, queue full, the fingerprint) are returned at once and the network
 *   work happens on the SDK's own threads (imsdk-io).
 *
 * Callbacks
 *   All callbacks of all clients run on one SDK thread (imsdk-cb), never on the
 *   caller's thread, never while the SDK holds a lock. A client's callbacks run one at
 *   a time, in event order. Strings and structs passed to a callback are borrowed for
 *   the duration of the call: copy what you keep. Callbacks must return (no longjmp,
 *   no C++ exceptions) and should be quick: a slow callback delays later callbacks,
 *   and, past the backlog cap below, the server. UI code hops to its UI thread itself.
 *
 * Back-pressure and memory bounds
 *   Events waiting for their callback are capped per client (ImOptions
 *   max_callback_backlog, default 1 000 events, and max_callback_backlog_bytes,
 *   default 4 MiB). At the cap the SDK stops reading the connection: TCP then slows
 *   the server down, and keepalive/login timeouts are suspended, as the silence is the
 *   application's doing. A QoS message is acknowledged to the server only after its
 *   on_message returned; messages not yet delivered when the session ends or
 *   im_release is called are not acknowledged, so the server sends them again.
 *   im_release drops them without calling on_message and returns promptly whatever the
 *   backlog. Outbound, at most max_outbound_bytes (default 4 MiB) wait to be written
 *   on a connection: past it im_send without QoS and im_echo return IM_ERR_QUEUE_FULL,
 *   and a QoS message that would pass it closes the connection (a link loss: the
 *   message stays queued and is resent after the automatic re-login). ImStats reports
 *   the backlog and the outbound bytes.
 *
 * Guarantees
 *   - An accepted im_login gets exactly one on_login_result (unless im_logout or
 *     im_release comes first); automatic re-logins report state changes and a result
 *     per completed attempt (is_relogin = true).
 *   - An accepted QoS im_send gets exactly one outcome, ever: on_message_acked(fp) or
 *     on_messages_lost (also on logout and release: IM_LOST_CANCELLED).
 *   - A message received with QoS is delivered once, then acknowledged.
 *
 * Release (the shutdown sequence)
 *   im_release(c) is a barrier: when it returns (called outside callbacks), no
 *   callback of that client is running or will ever run again, and on_release has been
 *   called exactly once as the very last callback. Called from inside a callback it is
 *   deferred: it returns at once and completes after that callback returns. The handle
 *   is dead at once: every later call with it returns IM_ERR_INVALID_HANDLE, never a
 *   crash (handles are registry keys, never pointers, and are never reused).
 *
 * Panics
 *   An internal panic never crosses into C. One caught inside a call makes that call
 *   return IM_ERR_PANIC; one caught on an SDK thread (the client's network task, the
 *   delivery of its callbacks) is reported by the next call. Either way the client
 *   becomes unusable: every call but im_release returns IM_ERR_PANIC (im_get_state,
 *   im_get_stats and im_network_changed included), its connection is closed, and
 *   messages still pending get no further callback (the one exception to the
 *   exactly-one-outcome rule). im_release still returns and ends with on_release.
 *
 * Versioned structs (struct_size)
 *   ImOptions, ImCallbacks, ImSendRequest and ImStats start with uint32_t struct_size:
 *   the caller's sizeof, set by im_options_init / im_send_request_init or by hand.
 *   The SDK reads and writes only that many bytes, so fields can be appended in later
 *   versions: a program built against an older header keeps working, the new fields
 *   taking their defaults. A struct_size that is not a released size of the struct,
 *   or larger than the library knows (program built against a newer header than the
 *   library it runs with) is refused with IM_ERR_INVALID_ARGUMENT rather than having
 *   fields silently ignored.
 */


#ifndef IMSDK_H
#define IMSDK_H

/* Generated by cbindgen from src/ffi/ (build.rs). Do not edit: run `make header`. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** Major version of this header. */
#define IMSDK_VERSION_MAJOR 0
/** Minor version of this header. */
#define IMSDK_VERSION_MINOR 1
/** Patch version of this header. */
#define IMSDK_VERSION_PATCH 0
/** Version of this header as a string; im_version() gives the library's. */
#define IMSDK_VERSION "0.1.0"
/** ABI version of this header; compare with im_abi_version() at run time. */
#define IMSDK_ABI_VERSION 1

/**
 * `ImSendRequest.content_len` value meaning "content is NUL-terminated" (the default).
 */
#define IM_CONTENT_NUL_TERMINATED SIZE_MAX


/**
 * Success: the call was accepted.
 */
#define IM_OK 0

/**
 * No session: `im_send`/`im_logout` before `im_login` or after the session ended.
 */
#define IM_ERR_NO_LOGIN 1

/**
 * Internal error.
 */
#define IM_ERR_UNKNOWN 2

/**
 * A write failed on an open link (non-QoS send).
 */
#define IM_ERR_SEND_FAILED 3

/**
 * The frame would exceed `max_frame_bytes`; or (login result) the login response was
 * undecodable.
 */
#define IM_ERR_INVALID_PACKET 4

/**
 * The link is down: a non-QoS send is refused (no session link right now).
 */
#define IM_ERR_LINK_DOWN 201

/**
 * Login result: connecting failed or timed out, the link closed before the login
 * response, or the login response did not come within `login_timeout_ms`.
 */
#define IM_ERR_CONNECT 202

/**
 * The client is not initialised.
 */
#define IM_ERR_NOT_INITIALIZED 203

/**
 * The network was reported unavailable (`im_network_changed(client, 0)`).
 */
#define IM_ERR_NETWORK_DOWN 204

/**
 * The server URL is missing or malformed (`im_init`).
 */
#define IM_ERR_NO_SERVER 205

/**
 * Server error 301: the server says this connection is not logged in.
 */
#define IM_ERR_SERVER_NOT_LOGGED_IN 301

/**
 * Server error 302 (seed): the server is busy; as a return code of `im_send`: refused
 * during the busy window that followed it.
 */
#define IM_ERR_SERVER_BUSY 302

/**
 * Server error 303 (seed): the group does not exist.
 */
#define IM_ERR_SERVER_NO_SUCH_GROUP 303

/**
 * A bad argument or option: NULL, invalid UTF-8, a string over its cap, an empty `to`,
 * a reserved user id, a bad or pending fingerprint, an out-of-range option, a bad
 * `struct_size`. `im_last_error()` names the culprit.
 */
#define IM_ERR_INVALID_ARGUMENT 1000

/**
 * `im_login` while a session exists.
 */
#define IM_ERR_ALREADY_LOGGED_IN 1001

/**
 * The QoS send queue is full (`max_pending_qos`); nothing was queued.
 */
#define IM_ERR_QUEUE_FULL 1002

/**
 * Login result: the TLS handshake or the certificate verification failed.
 */
#define IM_ERR_TLS 1003

/**
 * The handle is NULL, unknown, or already released.
 */
#define IM_ERR_INVALID_HANDLE 1004

/**
 * An internal panic was caught; the client is unusable (only `im_release` works on it).
 */
#define IM_ERR_PANIC 1005

/**
 * `on_kicked` code: the same user logged in elsewhere (mobileimsdk kickout; seed close 4001
 * "replaced by a newer login").
 */
#define IM_KICK_DUPLICATE_LOGIN 1

/**
 * `on_kicked` code (mobileimsdk): kicked by the server application. Codes above 100 are
 * the server application's own.
 */
#define IM_KICK_BY_ADMIN 2

/**
 * The server protocol of the original TypeScript SDK (default).
 */
#define IM_DIALECT_SEED 0

/**
 * The WebSocket gateway of the MobileIMSDK v6 server.
 */
#define IM_DIALECT_MOBILEIMSDK 1

/**
 * State: no session.
 */
#define IM_STATE_IDLE 0

/**
 * State: opening the WebSocket (TCP, TLS, upgrade).
 */
#define IM_STATE_CONNECTING 1

/**
 * State: login written, waiting for the login response.
 */
#define IM_STATE_AUTHENTICATING 2

/**
 * State: logged in.
 */
#define IM_STATE_ONLINE 3

/**
 * State: the link was lost; a re-login attempt is scheduled.
 */
#define IM_STATE_WAITING 4

/**
 * State reason: `im_login` was called (IDLE → CONNECTING).
 */
#define IM_REASON_LOGIN_REQUESTED 1

/**
 * State reason: the WebSocket is open, the login was written (→ AUTHENTICATING).
 */
#define IM_REASON_CONNECTED 2

/**
 * State reason: the server accepted the login (→ ONLINE).
 */
#define IM_REASON_LOGIN_ACCEPTED 3

/**
 * State reason: a re-login attempt is scheduled (→ WAITING, with attempt and delay).
 */
#define IM_REASON_RECONNECTING 4

/**
 * State reason: a scheduled re-login attempt starts (WAITING → CONNECTING).
 */
#define IM_REASON_ATTEMPT_STARTED 5

/**
 * State reason: the login failed and the session ended (→ IDLE).
 */
#define IM_REASON_LOGIN_FAILED 6

/**
 * State reason: `im_logout` (→ IDLE).
 */
#define IM_REASON_LOGGED_OUT 7

/**
 * State reason: kicked by the server (→ IDLE).
 */
#define IM_REASON_KICKED 8

/**
 * State reason: `im_release` (→ IDLE).
 */
#define IM_REASON_RELEASED 9

/**
 * State reason: the link was lost with `auto_relogin` off (→ IDLE).
 */
#define IM_REASON_LINK_LOST 10

/**
 * State reason: the network was reported unavailable.
 */
#define IM_REASON_NETWORK_DOWN 11

/**
 * Link closed: close frame or end of stream from the server.
 */
#define IM_LINK_SERVER_CLOSED 1

/**
 * Link closed: read or write error.
 */
#define IM_LINK_NETWORK_ERROR 2

/**
 * Link closed: nothing received for `keepalive_timeout_ms`.
 */
#define IM_LINK_KEEPALIVE_TIMEOUT 3

/**
 * Link closed: the server answered 301 (not logged in).
 */
#define IM_LINK_NOT_LOGGED_IN 4

/**
 * Link closed: a re-login got no answer within `login_timeout_ms`.
 */
#define IM_LINK_LOGIN_TIMEOUT 5

/**
 * Link closed: an inbound frame exceeded `max_inbound_bytes`.
 */
#define IM_LINK_PROTOCOL_ERROR 6

/**
 * Link closed: the network was reported unavailable.
 */
#define IM_LINK_NETWORK_DOWN 7

/**
 * Lost: resent `qos_max_resends` times without an acknowledgement.
 */
#define IM_LOST_TIMEOUT 1

/**
 * Lost: the session ended (logout, release, kick, failed login) while it was pending.
 */
#define IM_LOST_CANCELLED 2

/**
 * Lost: the server refused it (303 naming it).
 */
#define IM_LOST_REJECTED 3

/**
 * Log level filter: nothing (the callback is removed).
 */
#define IM_LOG_OFF 0

/**
 * Log level: errors that need fixing: an internal panic (a call failed with it, or the
 * client became unusable), a TLS handshake or certificate failure (login result 1003).
 */
#define IM_LOG_ERROR 1

/**
 * Log level: warnings, and the above: a login that failed or was refused (with its
 * code), a kick, server errors 301/302/303, QoS resends (fp and receiver), lost messages
 * (count, reason, fps), invalid frames dropped (with their size).
 */
#define IM_LOG_WARN 2

/**
 * Log level: connections, logins, state changes, and the above: each connect (the URL
 * without user info or query), the TLS version and cipher suite, every state change with
 * its reason (connected and login written, login accepted, link lost and why, re-login
 * attempt number and delay, network hints, logout, release).
 */
#define IM_LOG_INFO 3

/**
 * Log level: frames in and out, without credentials, and the above: one line per frame
 * read or written, ACKs and keepalives included: direction, type, fp, from, to, QoS
 * flag, size in bytes. The login payload (token, `extra`), message contents, echo texts
 * and the server's error and kick texts appear only as their size (`content=<12 bytes>`).
 */
#define IM_LOG_DEBUG 4

/**
 * Log level: everything, and the above: also each message dispatched and each ACK
 * settled. Still never a token, an `extra` or a message content.
 */
#define IM_LOG_TRACE 5

/**
 * Most entries in `ImOptions.tls_pins`.
 */
#define IM_MAX_TLS_PINS 64

/**
 * Size of the buffer `im_send` writes the fingerprint into: fingerprints are at most
 * 64 bytes, plus the NUL.
 */
#define IM_FP_BUF_LEN 65

/**
 * Longest user or group id, in bytes: `im_login`'s `user_id` and `ImSendRequest.to`
 * above it are refused with `IM_ERR_INVALID_ARGUMENT`. A frame from the server whose
 * `from` or `to` is longer is dropped (logged at `IM_LOG_WARN`, not acknowledged), so
 * no callback ever sees a longer id.
 */
#define IM_MAX_ID_BYTES 256



/**
 * `ImSendRequest.typeu` value meaning "the dialect's default" (seed 0, mobileimsdk -1).
 */
#define IM_TYPEU_DEFAULT INT32_MIN

/**
 * Longest NUL-terminated input string, in bytes without the NUL (token, app, extra,
 * URL, fp, echo text, subprotocol, TLS pins; user ids and `to` stop at
 * `IM_MAX_ID_BYTES`).
 */
#define IM_MAX_STRING_BYTES 65536

/**
 * Longest message content and `tls_extra_ca_pem`, in bytes. (A message is further
 * limited by `max_frame_bytes` once encoded: `IM_ERR_INVALID_PACKET`.)
 */
#define IM_MAX_CONTENT_BYTES 1048576

/**
 * Opaque client handle. It is a token, never a pointer to memory: the SDK looks it up
 * and never dereferences it, so a stale, released or forged handle gives
 * `IM_ERR_INVALID_HANDLE`.
 */
typedef struct ImClient ImClient;

/**
 * Client options. Fill with `im_options_init` (which sets `struct_size` and every
 * default), then change what you need. Strings are borrowed only during `im_init`.
 *
 * Timings are milliseconds; at most 86 400 000. `keepalive_interval_ms` and
 * `keepalive_timeout_ms` are 0 after `im_options_init`, meaning "the dialect's default"
 * (seed 10 000 / 15 000, mobileimsdk 5 000 / 8 000); every other field holds its actual
 * default, and 0 there is refused by `im_init` (`IM_ERR_INVALID_ARGUMENT`).
 */
typedef struct ImOptions {
    /**
     * `sizeof(ImOptions)`; set by `im_options_init`.
     */
    uint32_t struct_size;
    /**
     * Server URL, `ws://` or `wss://` (required; `IM_ERR_NO_SERVER` if NULL or
     * malformed). mobileimsdk servers listen on the exact path `/websocket`.
     */
    const char *url;
    /**
     * seed only: WebSocket subprotocol to request, or NULL (default) for none.
     */
    const char *subprotocol;
    /**
     * `IM_DIALECT_SEED` (default) or `IM_DIALECT_MOBILEIMSDK`.
     */
    int32_t dialect;
    /**
     * Nonzero (default 1): re-login by itself after a link loss; 0: the session ends.
     */
    int32_t auto_relogin;
    /**
     * Keepalive period once online; 0 (default) = the dialect's.
     */
    uint32_t keepalive_interval_ms;
    /**
     * Link loss when nothing arrives for this long; 0 (default) = the dialect's. Must
     * exceed the interval.
     */
    uint32_t keepalive_timeout_ms;
    /**
     * TCP + TLS + WebSocket upgrade (default 5 000).
     */
    uint32_t connect_timeout_ms;
    /**
     * Wait for the login response (default 10 000).
     */
    uint32_t login_timeout_ms;
    /**
     * How long a closing link waits for the server's close frame (default 1 000).
     */
    uint32_t close_timeout_ms;
    /**
     * First re-login backoff step (default 2 000).
     */
    uint32_t relogin_base_ms;
    /**
     * Re-login backoff ceiling (default 30 000).
     */
    uint32_t relogin_max_ms;
    /**
     * A link online this long resets the re-login attempt counter (default 30 000).
     */
    uint32_t stable_after_ms;
    /**
     * QoS check period (default 5 000).
     */
    uint32_t qos_check_interval_ms;
    /**
     * A QoS message written this recently is not resent (default 3 000).
     */
    uint32_t qos_just_now_ms;
    /**
     * Resends before a QoS message is reported lost (default 2; 0..=100).
     */
    uint32_t qos_max_resends;
    /**
     * Pending QoS messages at most (default 1 000); beyond, `im_send` returns
     * `IM_ERR_QUEUE_FULL`.
     */
    uint32_t max_pending_qos;
    /**
     * How long a received fingerprint is remembered for de-duplication (default 600 000).
     */
    uint32_t dedup_ttl_ms;
    /**
     * Fingerprints remembered at most (default 10 000; least recently seen evicted).
     */
    uint32_t dedup_cap;
    /**
     * First "server busy" window after a 302 (default 5 000).
     */
    uint32_t busy_backoff_ms;
    /**
     * Longest "server busy" window (default 30 000).
     */
    uint32_t busy_backoff_max_ms;
    /**
     * Largest frame written, bytes (default and maximum 65 536).
     */
    uint32_t max_frame_bytes;
    /**
     * Inbound frames larger than this fail the link (default 1 048 576).
     */
    uint32_t max_inbound_bytes;
    /**
     * Extra trusted CA certificates as PEM text (added to the bundled Mozilla roots),
     * or NULL (default).
     */
    const char *tls_extra_ca_pem;
    /**
     * Certificate pins: `tls_pins_count` strings, each the base64 SHA-256 of a
     * certificate's SubjectPublicKeyInfo; when non-empty, some certificate of the
     * verified chain must match one. NULL (default) for none.
     */
    const char *const *tls_pins;
    /**
     * Number of entries in `tls_pins` (at most `IM_MAX_TLS_PINS`).
     */
    size_t tls_pins_count;
    /**
     * Callback backlog cap, in events (default 1 000; 1..=1 000 000): events handed to
     * the callback thread whose callbacks have not returned yet. At the cap (or at
     * `max_callback_backlog_bytes`) the SDK stops reading the connection, so a server
     * sending faster than `on_message` returns is slowed down by TCP instead of filling
     * memory; reading resumes once the backlog has drained to half of both caps.
     * Keepalive and login timeouts do not run meanwhile. A received QoS message is
     * acknowledged to the server only after its `on_message` returned: messages still
     * waiting when the session ends or `im_release` is called are not acknowledged, and
     * the server sends them again (release drops them undelivered, so it returns
     * promptly whatever the backlog).
     */
    uint32_t max_callback_backlog;
    /**
     * Callback backlog cap, in bytes of message content and strings (default 4 194 304;
     * 65 536..=1 073 741 824).
     */
    uint32_t max_callback_backlog_bytes;
    /**
     * Bytes that may wait to be written on a connection (default 4 194 304;
     * 65 536..=1 073 741 824). When the server stops reading: `im_send` without QoS and
     * `im_echo` return `IM_ERR_QUEUE_FULL` rather than pass it, and a QoS message or
     * keepalive that would pass it closes the connection (`on_link_closed` with
     * `IM_LINK_NETWORK_ERROR`; pending QoS messages stay queued and are resent after
     * the automatic re-login). Should exceed what the pending QoS messages take, which
     * are all written again after a re-login.
     */
    uint32_t max_outbound_bytes;
} ImOptions;

/**
 * A received message, borrowed for the duration of `on_message`: copy what you keep.
 * Fields may be appended in later versions (the SDK allocates this struct).
 */
typedef struct ImMessage {
    /**
     * Fingerprint, `""` when the message has none.
     */
    const char *fp;
    /**
     * Sender's user id (`"0"` = the server).
     */
    const char *from;
    /**
     * Receiver: this user, or (seed, `typeu` 1) a group id.
     */
    const char *to;
    /**
     * Content, exactly as sent, NUL-terminated; it may itself contain NUL bytes, so
     * use `content_len`.
     */
    const char *content;
    /**
     * Bytes in `content`, without the terminating NUL.
     */
    size_t content_len;
    /**
     * Application message type (seed: 0 one-to-one, 1 group).
     */
    int32_t typeu;
    /**
     * Server time in ms since the Unix epoch, or -1 when the server sent none.
     */
    int64_t server_time;
    /**
     * The message was sent with QoS (the SDK has already acknowledged it).
     */
    bool qos;
    /**
     * The server's bridge flag.
     */
    bool bridge;
} ImMessage;

/**
 * A QoS message that will never be acknowledged, borrowed for the duration of
 * `on_messages_lost`. (Frozen layout: callers index arrays of it.)
 */
typedef struct ImLostMessage {
    /**
     * The fingerprint `im_send` returned.
     */
    const char *fp;
    /**
     * The receiver it was sent to.
     */
    const char *to;
    /**
     * Its content, NUL-terminated (may contain NUL bytes: use `content_len`).
     */
    const char *content;
    /**
     * Bytes in `content`, without the terminating NUL.
     */
    size_t content_len;
    /**
     * Its `typeu`.
     */
    int32_t typeu;
    /**
     * `IM_LOST_TIMEOUT`, `IM_LOST_CANCELLED` or `IM_LOST_REJECTED`.
     */
    int32_t reason;
} ImLostMessage;

/**
 * Callbacks of one client, copied by `im_init`. Zero-initialise, set `struct_size` to
 * `sizeof(ImCallbacks)`, then set the callbacks you want; NULL ones are skipped.
 *
 * Every callback runs on the SDK's callback thread (`imsdk-cb`, one for the process),
 * never on the caller's thread and never while the SDK holds a lock; callbacks of one
 * client run one at a time, in event order. They may call any `im_*` function
 * (`im_release` from inside a callback is deferred until the callback returns). They
 * must return (no `longjmp`, no C++ exception), and should return quickly: a slow
 * callback delays the client's later callbacks (never its network work).
 * Pointers passed to a callback are valid only until it returns.
 */
typedef struct ImCallbacks {
    /**
     * `sizeof(ImCallbacks)`.
     */
    uint32_t struct_size;
    /**
     * Passed unchanged as the first argument of every callback.
     */
    void *user_data;
    /**
     * Result of the login `im_login` started (exactly once per accepted `im_login`,
     * unless `im_logout`/`im_release` comes first), and of every automatic re-login
     * that completed (`is_relogin` true). `code`: `IM_OK`; `IM_ERR_CONNECT`,
     * `IM_ERR_TLS`, `IM_ERR_NETWORK_DOWN`, `IM_ERR_SERVER_NOT_LOGGED_IN`,
     * `IM_ERR_INVALID_PACKET`; or the server's own refusal code. After a failure the
     * session has ended (pending messages were reported lost first).
     */
    void (*on_login_result)(void *user_data, int32_t code, bool is_relogin);
    /**
     * An online link was lost (`IM_LINK_*`), once per link; re-login follows unless
     * `auto_relogin` is off. Not called for logout or release.
     */
    void (*on_link_closed)(void *user_data, int32_t reason);
    /**
     * A message arrived (duplicates of QoS messages are filtered out).
     */
    void (*on_message)(void *user_data, const struct ImMessage *message);
    /**
     * The server sent an error (`IM_ERR_SERVER_*`, or another server code) with its text.
     */
    void (*on_server_error)(void *user_data, int32_t code, const char *message);
    /**
     * `count` QoS messages will never be acknowledged, each with its reason. Together
     * with `on_message_acked`: exactly one outcome per QoS message `im_send` accepted.
     */
    void (*on_messages_lost)(void *user_data, const struct ImLostMessage *messages, size_t count);
    /**
     * The server acknowledged the QoS message with this fingerprint.
     */
    void (*on_message_acked)(void *user_data, const char *fp);
    /**
     * The server ended the session (`IM_KICK_*` or a custom code above 100) with its
     * reason text: mobileimsdk's kickout frame, or a seed server closing a session that a
     * newer login of the same user replaced (close code 4001, `IM_KICK_DUPLICATE_LOGIN`).
     * Pending QoS messages are reported lost (`IM_LOST_CANCELLED`) just before. No
     * re-login follows.
     */
    void (*on_kicked)(void *user_data, int32_t code, const char *reason);
    /**
     * The connection state changed: `state` (`IM_STATE_*`) because of `reason`
     * (`IM_REASON_*`); for `IM_STATE_WAITING` also the re-login attempt number and its
     * delay in ms (else 0).
     */
    void (*on_state_changed)(void *user_data,
                             int32_t state,
                             int32_t reason,
                             uint32_t attempt,
                             uint64_t delay_ms);
    /**
     * The server answered `im_echo` with this text.
     */
    void (*on_echo)(void *user_data, const char *text);
    /**
     * The client is released: always the very last callback, exactly once. Free
     * `user_data` here if it belongs to the client.
     */
    void (*on_release)(void *user_data);
} ImCallbacks;

/**
 * One message to send. Fill with `im_send_request_init` (QoS on, dialect's `typeu`,
 * generated fingerprint, NUL-terminated content), then set `to` and `content`. Strings
 * are borrowed only during `im_send`. The sender is always the logged-in user.
 */
typedef struct ImSendRequest {
    /**
     * `sizeof(ImSendRequest)`; set by `im_send_request_init`.
     */
    uint32_t struct_size;
    /**
     * Receiver: a user id, `"0"` for the server, or (seed, `typeu` 1) a group id.
     * Required, non-empty, at most `IM_MAX_ID_BYTES` bytes.
     */
    const char *to;
    /**
     * Content, UTF-8, written verbatim (NULL allowed when `content_len` is 0).
     */
    const char *content;
    /**
     * Bytes in `content`, or `IM_CONTENT_NUL_TERMINATED` (the default) when `content`
     * is NUL-terminated. At most `IM_MAX_CONTENT_BYTES`.
     */
    size_t content_len;
    /**
     * Nonzero (default 1): QoS: exactly one of `on_message_acked` or
     * `on_messages_lost` follows. 0: fire and forget (refused with `IM_ERR_LINK_DOWN`
     * while not online).
     */
    int32_t qos;
    /**
     * Application message type, or `IM_TYPEU_DEFAULT` (the default) for the dialect's
     * (seed: 0 one-to-one, 1 group; mobileimsdk: -1, passed through untouched).
     */
    int32_t typeu;
    /**
     * Fingerprint to use (at most 64 bytes, not pending), or NULL (default) to have a
     * UUID generated for QoS messages.
     */
    const char *fp;
} ImSendRequest;

/**
 * Counters since the client was created, and gauges. Set `struct_size` to
 * `sizeof(ImStats)` before `im_get_stats`.
 */
typedef struct ImStats {
    /**
     * `sizeof(ImStats)`, set by the caller.
     */
    uint32_t struct_size;
    /**
     * Messages written for the first time (QoS and not).
     */
    uint64_t sent;
    /**
     * QoS resends written.
     */
    uint64_t resent;
    /**
     * QoS messages acknowledged.
     */
    uint64_t acked;
    /**
     * QoS messages reported lost.
     */
    uint64_t lost;
    /**
     * Acknowledgements for unknown or already settled fingerprints.
     */
    uint64_t ignored_acks;
    /**
     * Messages delivered to `on_message`.
     */
    uint64_t received;
    /**
     * Duplicate QoS messages acknowledged but not delivered.
     */
    uint64_t duplicates;
    /**
     * Re-login attempts started.
     */
    uint64_t reconnects;
    /**
     * Round trip of the last answered keepalive in ms, -1 if none yet.
     */
    int64_t last_keepalive_rtt_ms;
    /**
     * QoS messages pending now.
     */
    uint64_t pending_qos;
    /**
     * Events waiting for their callback (or in it) now; at most about
     * `ImOptions.max_callback_backlog`.
     */
    uint64_t callback_backlog;
    /**
     * Their approximate bytes now.
     */
    uint64_t callback_backlog_bytes;
    /**
     * Bytes waiting to be written on the connection now (queued and being written); at
     * most `ImOptions.max_outbound_bytes`.
     */
    uint64_t outbound_bytes;
    /**
     * The most bytes that ever waited to be written on one connection.
     */
    uint64_t outbound_peak_bytes;
} ImStats;

/**
 * A log callback: `level` (`IM_LOG_*`) and one line of text (borrowed for the call).
 */
typedef void (*ImLogCallback)(void *user_data, int32_t level, const char *message);

#ifdef __cplusplus
extern "C" {
#endif // __cplusplus

/**
 * The calling thread's last error message: which argument or option was wrong and why,
 * or `""` after a successful call. Never NULL. Valid until this thread's next `im_*`
 * call (except `im_last_error`, `im_strerror`, `im_version`, `im_abi_version`, which
 * leave it alone); copy it to keep it. Thread: any (each thread has its own).
 */
const char *im_last_error(void);

/**
 * Fills `*options` with every default (see `ImOptions`) and sets its `struct_size`.
 * `struct_size` is `sizeof(ImOptions)` as the caller sees it; exactly that many bytes
 * are written.
 *
 * Returns `IM_OK`, or `IM_ERR_INVALID_ARGUMENT` (NULL, unknown size). Thread: any.
 */
int32_t im_options_init(struct ImOptions *options, size_t struct_size);

/**
 * Creates a client: checks `*options` and copies it and `*callbacks` (NULL = no
 * callbacks). Does not connect. On success writes the new handle to `*out_client`
 * (else NULL); the caller owns it and must `im_release` it.
 *
 * Returns `IM_OK`; `IM_ERR_NO_SERVER` (URL NULL or not ws/wss); `IM_ERR_INVALID_ARGUMENT`
 * (NULL `options`/`out_client`, bad `struct_size`, bad string, out-of-range option).
 * No callback follows a failed `im_init`. Thread: any.
 */
int32_t im_init(const struct ImOptions *options,
                const struct ImCallbacks *callbacks,
                struct ImClient **out_client);

/**
 * Starts a session: stores the credentials and starts connecting. `user_id` (at most
 * `IM_MAX_ID_BYTES` bytes) and `token` are required; `app` (seed only) and `extra` may
 * be NULL. All are borrowed for the call only; the token never appears in logs.
 *
 * Returns `IM_OK` (accepted: `on_state_changed`, then exactly one `on_login_result`
 * follow, unless `im_logout`/`im_release` comes first); `IM_ERR_ALREADY_LOGGED_IN`
 * (a session exists); `IM_ERR_NETWORK_DOWN`; `IM_ERR_INVALID_ARGUMENT` (empty, too long
 * or reserved `"0"`/`"-1"` user id, bad string); `IM_ERR_INVALID_HANDLE`. Thread: any,
 * callbacks included.
 */
int32_t im_login(struct ImClient *client,
                 const char *user_id,
                 const char *token,
                 const char *app,
                 const char *extra);

/**
 * Fills `*request` with the defaults (QoS on, `IM_TYPEU_DEFAULT`, generated
 * fingerprint, `IM_CONTENT_NUL_TERMINATED`) and sets its `struct_size`
 * (`sizeof(ImSendRequest)` as the caller sees it).
 *
 * Returns `IM_OK` or `IM_ERR_INVALID_ARGUMENT`. Thread: any.
 */
int32_t im_send_request_init(struct ImSendRequest *request, size_t struct_size);

/**
 * Sends a message from the logged-in user. On `IM_OK` writes the fingerprint used
 * (NUL-terminated; `""` for a non-QoS message without one) to `fp_out`, a buffer of
 * `IM_FP_BUF_LEN` bytes (or NULL if not wanted); on failure writes `""` there.
 * `fp_out` is written only after `*request` has been read, so it may be the buffer
 * `request->fp` points to.
 *
 * QoS messages are accepted in every session state (queued while offline, sent when
 * online) and then get exactly one `on_message_acked` or `on_messages_lost`, ever,
 * including on logout or release (reported lost, `IM_LOST_CANCELLED`).
 *
 * Returns `IM_OK`; `IM_ERR_NO_LOGIN` (no session); `IM_ERR_QUEUE_FULL`;
 * `IM_ERR_SERVER_BUSY` (busy window); `IM_ERR_LINK_DOWN`/`IM_ERR_NETWORK_DOWN`
 * (non-QoS while not online); `IM_ERR_INVALID_PACKET` (frame over `max_frame_bytes`);
 * `IM_ERR_INVALID_ARGUMENT` (NULL `request`, empty `to`, bad string, bad or pending
 * fp); `IM_ERR_INVALID_HANDLE`. Nothing is queued and no callback follows on failure.
 * Thread: any, callbacks included; concurrent sends are fine.
 */
int32_t im_send(struct ImClient *client, const struct ImSendRequest *request, char *fp_out);

/**
 * Ends the session (tells the server when online). Pending QoS messages are reported
 * lost (`IM_LOST_CANCELLED`), then `on_state_changed(IDLE, LOGGED_OUT)`. Nothing
 * reconnects until the next `im_login`. A login in progress gets no result.
 *
 * Returns `IM_OK`, `IM_ERR_NO_LOGIN` (no session) or `IM_ERR_INVALID_HANDLE`.
 * Thread: any, callbacks included.
 */
int32_t im_logout(struct ImClient *client);

/**
 * Destroys the client. The handle is dead at once for every thread: any later call
 * with it returns `IM_ERR_INVALID_HANDLE`. Any session ends without telling the
 * server; pending QoS messages are reported lost (`IM_LOST_CANCELLED`); then
 * `on_release` runs, always the very last callback.
 *
 * Barrier: called outside the client's callbacks, it returns after `on_release` has
 * returned, and no callback of this client runs afterwards. Called from inside one of
 * the SDK's callbacks it returns at once and completes after that callback returns.
 *
 * Returns `IM_OK` or `IM_ERR_INVALID_HANDLE` (NULL, unknown, already released). Works
 * on a client made unusable by a panic. Thread: any.
 */
int32_t im_release(struct ImClient *client);

/**
 * Tells the client whether the device has network (from the platform's reachability
 * monitor; assumed available until told otherwise). `available` 0: the link is closed
 * (`on_link_closed(IM_LINK_NETWORK_DOWN)`), no re-login attempts, `im_login` and
 * non-QoS sends return `IM_ERR_NETWORK_DOWN`, QoS sends still queue. Nonzero: a waiting
 * re-login is attempted now.
 *
 * Returns `IM_OK` or `IM_ERR_INVALID_HANDLE`. Thread: any.
 */
int32_t im_network_changed(struct ImClient *client, int32_t available);

/**
 * Asks the server to echo `text` (borrowed for the call); the answer arrives as
 * `on_echo`.
 *
 * Returns `IM_OK`, `IM_ERR_NO_LOGIN`/`IM_ERR_LINK_DOWN` (not online),
 * `IM_ERR_INVALID_ARGUMENT` or `IM_ERR_INVALID_HANDLE`. Thread: any.
 */
int32_t im_echo(struct ImClient *client, const char *text);

/**
 * Writes the current state (`IM_STATE_*`) to `*state_out`.
 *
 * Returns `IM_OK`, `IM_ERR_INVALID_ARGUMENT` (NULL `state_out`) or
 * `IM_ERR_INVALID_HANDLE`. Thread: any.
 */
int32_t im_get_state(struct ImClient *client, int32_t *state_out);

/**
 * Writes the client's counters to `*stats_out`, whose `struct_size` the caller has set
 * to `sizeof(ImStats)`; only that many bytes are written.
 *
 * Returns `IM_OK`, `IM_ERR_INVALID_ARGUMENT` (NULL, bad `struct_size`) or
 * `IM_ERR_INVALID_HANDLE`. Thread: any.
 */
int32_t im_get_stats(struct ImClient *client, struct ImStats *stats_out);

/**
 * A static, NUL-terminated English description of a return or result code. Never NULL;
 * unknown codes (e.g. a server application's login refusal code) get a generic text.
 *
 * Leaves `im_last_error()` unchanged. Thread: any. The string is static: never free it.
 */
const char *im_strerror(int32_t code);

/**
 * Installs the process-wide log callback, or removes it with NULL. Records more verbose
 * than `max_level` (`IM_LOG_OFF`..`IM_LOG_TRACE`) are dropped before being formatted:
 * with `IM_LOG_OFF` or a quiet level, logging costs nothing measurable. What each level
 * shows is listed at `IM_LOG_ERROR`..`IM_LOG_TRACE`; a client's records start with
 * `client <n>: ` (the TLS line names the server instead). Texts never contain tokens,
 * login `extra` data or message contents (these appear as sizes only).
 *
 * The callback may run on any thread (SDK threads included) and concurrently; never
 * while the SDK holds a lock; never with tokens or credentials in the text. It must not
 * call any `im_*` function and must return quickly. A record already being delivered
 * when the callback is replaced may still reach the previous callback.
 *
 * Returns `IM_OK` or `IM_ERR_INVALID_ARGUMENT` (`max_level` out of range). Thread: any.
 */
int32_t im_set_log_callback(ImLogCallback callback, void *user_data, int32_t max_level);

/**
 * The library's version, e.g. `"0.1.0"` (equals `IMSDK_VERSION` of the header it was
 * built with). Static: never free it. Leaves `im_last_error()` unchanged. Thread: any.
 */
const char *im_version(void);

/**
 * The library's ABI version. A program is compatible when this equals the
 * `IMSDK_ABI_VERSION` it was compiled with. Leaves `im_last_error()` unchanged.
 * Thread: any.
 */
uint32_t im_abi_version(void);

#ifdef __cplusplus
}  // extern "C"
#endif  // __cplusplus

#endif  /* IMSDK_H */
