/*
 * smoke: the misuse matrix. Every call below gets a wrong argument, a dead handle or
 * an ill-timed request and must answer with its documented code, never crash.
 *
 *   smoke [URL [seed|mobileimsdk]]
 *
 * Without URL only the checks that need no server run. Exit status: 0 when every
 * check passed, 1 otherwise. Every wait is bounded.
 */
#include <stdint.h>
#include <stdlib.h>

#include "common.h"

#define WAIT_MS 15000
#define SENDERS 4
#define PER_SENDER 25
#define TOTAL (SENDERS * PER_SENDER)
#define SECRET "smoke-token-SECRET"

static int checks, failures;

static void check_at(int ok, const char *what, int line) {
    checks++;
    if (!ok) {
        failures++;
        printf("  FAIL (line %d): %s\n", line, what);
    }
}
#define CHECK(cond) check_at((cond) != 0, #cond, __LINE__)

/* `call` must return `want`; for IM_ERR_INVALID_ARGUMENT, im_last_error() must also
 * mention `needle` (if given). */
static void check_code_at(int32_t got, int32_t want, const char *needle, const char *call,
                          int line) {
    const char *err = im_last_error();
    checks++;
    if (got != want) {
        failures++;
        printf("  FAIL (line %d): %s returned %d (%s), expected %d (%s); im_last_error: \"%s\"\n",
               line, call, got, im_strerror(got), want, im_strerror(want), err);
        return;
    }
    if (err == NULL || (got == IM_OK && err[0] != '\0') || (got != IM_OK && err[0] == '\0') ||
        (needle != NULL && strstr(err, needle) == NULL)) {
        failures++;
        printf("  FAIL (line %d): %s: im_last_error \"%s\" (expected %s%s)\n", line, call,
               err ? err : "(NULL)", got == IM_OK ? "empty" : "a message naming ",
               needle ? needle : "");
    }
}
#define CODE(call, want) check_code_at((call), (want), NULL, #call, __LINE__)
#define CODE_MSG(call, want, needle) check_code_at((call), (want), (needle), #call, __LINE__)

static void section(const char *name) { printf("-- %s\n", name); }

/* ---- per-client records, changed by callbacks under sig.mu ---- */

static Signal sig;

typedef struct Rec {
    const char *name;
    ImClient *client;
    int login_done, login_code;
    int state;
    int received;
    int released;      /* on_release count */
    long long seq;     /* event counter, to check ordering */
    long long lost_seq, release_seq;
    char outcome_fp[TOTAL + 8][IM_FP_BUF_LEN];
    int outcome_acked[TOTAL + 8];
    int outcome_reason[TOTAL + 8];
    int n_outcomes;
    /* release-from-callback test */
    int release_in_callback;
    int32_t in_callback_rc;
    int released_when_rc_returned;
} Rec;

static void record_outcome(Rec *r, const char *fp, int acked, int reason) {
    if (r->n_outcomes < TOTAL + 8) {
        snprintf(r->outcome_fp[r->n_outcomes], IM_FP_BUF_LEN, "%s", fp);
        r->outcome_acked[r->n_outcomes] = acked;
        r->outcome_reason[r->n_outcomes] = reason;
    }
    r->n_outcomes++;
}

static void on_login_result(void *ud, int32_t code, bool relogin) {
    Rec *r = ud;
    (void)relogin;
    if (r->release_in_callback) {
        /* Deferred: returns at once, on_release comes after this callback returns. */
        r->in_callback_rc = im_release(r->client);
        signal_lock(&sig);
        r->released_when_rc_returned = r->released;
        signal_notify_unlock(&sig);
    }
    signal_lock(&sig);
    r->login_done = 1;
    r->login_code = code;
    r->seq++;
    signal_notify_unlock(&sig);
}

static void on_state_changed(void *ud, int32_t state, int32_t reason, uint32_t a, uint64_t d) {
    Rec *r = ud;
    (void)reason;
    (void)a;
    (void)d;
    signal_lock(&sig);
    r->state = state;
    r->seq++;
    signal_notify_unlock(&sig);
}

static void on_message(void *ud, const ImMessage *m) {
    Rec *r = ud;
    (void)m;
    signal_lock(&sig);
    r->received++;
    r->seq++;
    signal_notify_unlock(&sig);
}

static void on_acked(void *ud, const char *fp) {
    Rec *r = ud;
    signal_lock(&sig);
    record_outcome(r, fp, 1, 0);
    r->seq++;
    signal_notify_unlock(&sig);
}

static void on_lost(void *ud, const ImLostMessage *lost, size_t count) {
    Rec *r = ud;
    size_t i;
    signal_lock(&sig);
    for (i = 0; i < count; i++) record_outcome(r, lost[i].fp, 0, lost[i].reason);
    r->lost_seq = ++r->seq;
    signal_notify_unlock(&sig);
}

static void on_release(void *ud) {
    Rec *r = ud;
    signal_lock(&sig);
    r->released++;
    r->release_seq = ++r->seq;
    signal_notify_unlock(&sig);
}

static pthread_mutex_t log_mu = PTHREAD_MUTEX_INITIALIZER;
static int log_lines, secret_logged;

static void on_log(void *ud, int32_t level, const char *text) {
    (void)ud;
    (void)level;
    pthread_mutex_lock(&log_mu);
    log_lines++;
    if (strstr(text, SECRET) != NULL) secret_logged = 1;
    pthread_mutex_unlock(&log_mu);
}

static int is_logged_in(void *a) { return ((Rec *)a)->login_done; }
static int is_released(void *a) { return ((Rec *)a)->released > 0; }
static int not_online(void *a) { return ((Rec *)a)->state != IM_STATE_ONLINE; }
static int all_outcomes(void *a) { return ((Rec *)a)->n_outcomes >= TOTAL; }
static int all_received(void *a) { return ((Rec *)a)->received >= TOTAL; }
static int one_outcome(void *a) { return ((Rec *)a)->n_outcomes >= 1; }

static void init_rec(Rec *r, const char *name) {
    memset(r, 0, sizeof *r);
    r->name = name;
}

static ImCallbacks callbacks_for(Rec *r) {
    ImCallbacks cb;
    memset(&cb, 0, sizeof cb);
    cb.struct_size = sizeof cb;
    cb.user_data = r;
    cb.on_login_result = on_login_result;
    cb.on_state_changed = on_state_changed;
    cb.on_message = on_message;
    cb.on_message_acked = on_acked;
    cb.on_messages_lost = on_lost;
    cb.on_release = on_release;
    return cb;
}

static ImClient *new_client(Rec *r, const char *url, int32_t dialect) {
    ImOptions o;
    ImCallbacks cb = callbacks_for(r);
    ImClient *c = NULL;
    CODE(im_options_init(&o, sizeof o), IM_OK);
    o.url = url;
    o.dialect = dialect;
    CODE(im_init(&o, &cb, &c), IM_OK);
    CHECK(c != NULL);
    r->client = c;
    return c;
}

/* Every call that takes a client handle must answer `want` for `h`. */
static void check_every_call_with_handle(ImClient *h, int32_t want) {
    ImSendRequest req;
    ImStats st;
    int32_t state = -1;
    char fp[IM_FP_BUF_LEN] = "x";
    im_send_request_init(&req, sizeof req);
    req.to = "bob";
    req.content = "hi";
    st.struct_size = sizeof st;
    CODE(im_login(h, "alice", "t", NULL, NULL), want);
    CODE(im_send(h, &req, fp), want);
    CHECK(fp[0] == '\0');
    CODE(im_logout(h), want);
    CODE(im_network_changed(h, 1), want);
    CODE(im_echo(h, "x"), want);
    CODE(im_get_state(h, &state), want);
    CHECK(state == -1);
    CODE(im_get_stats(h, &st), want);
    CODE(im_release(h), want);
}

/* ---- sections ---- */

static void versions_and_strings(void) {
    static const int32_t codes[] = {
        IM_OK, IM_ERR_NO_LOGIN, IM_ERR_UNKNOWN, IM_ERR_SEND_FAILED, IM_ERR_INVALID_PACKET,
        IM_ERR_LINK_DOWN, IM_ERR_CONNECT, IM_ERR_NOT_INITIALIZED, IM_ERR_NETWORK_DOWN,
        IM_ERR_NO_SERVER, IM_ERR_SERVER_NOT_LOGGED_IN, IM_ERR_SERVER_BUSY,
        IM_ERR_SERVER_NO_SUCH_GROUP, IM_ERR_INVALID_ARGUMENT, IM_ERR_ALREADY_LOGGED_IN,
        IM_ERR_QUEUE_FULL, IM_ERR_TLS, IM_ERR_INVALID_HANDLE, IM_ERR_PANIC};
    const char *unknown = im_strerror(-777);
    size_t i;
    section("versions, im_strerror, im_last_error");
    CHECK(im_abi_version() == IMSDK_ABI_VERSION);
    CHECK(strcmp(im_version(), IMSDK_VERSION) == 0);
    CHECK(unknown != NULL && unknown[0] != '\0');
    for (i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        const char *s = im_strerror(codes[i]);
        CHECK(s != NULL && s[0] != '\0' && strcmp(s, unknown) != 0);
    }
    CHECK(im_last_error() != NULL);
    /* im_strerror and im_version leave the last error alone. */
    CODE_MSG(im_options_init(NULL, sizeof(ImOptions)), IM_ERR_INVALID_ARGUMENT, "NULL");
    (void)im_strerror(0);
    (void)im_version();
    CHECK(strstr(im_last_error(), "NULL") != NULL);
}

static void options_and_init(void) {
    ImOptions o;
    ImCallbacks cb;
    ImClient *c = (ImClient *)(uintptr_t)1;
    const char *pins[1] = {NULL};
    char *long_url;
    section("im_options_init / im_init: bad options");
    CODE_MSG(im_options_init(&o, 0), IM_ERR_INVALID_ARGUMENT, "struct_size");
    CODE_MSG(im_options_init(&o, sizeof o + 8), IM_ERR_INVALID_ARGUMENT, "newer");
    CODE(im_options_init(&o, sizeof o), IM_OK);
    CHECK(o.struct_size == sizeof o && o.dialect == IM_DIALECT_SEED && o.url == NULL);
    CHECK(o.keepalive_interval_ms == 0 && o.connect_timeout_ms > 0 && o.auto_relogin != 0);

    CODE_MSG(im_init(NULL, NULL, &c), IM_ERR_INVALID_ARGUMENT, "ImOptions");
    CHECK(c == NULL);
    CODE_MSG(im_init(&o, NULL, NULL), IM_ERR_INVALID_ARGUMENT, "out_client");
    CODE_MSG(im_init(&o, NULL, &c), IM_ERR_NO_SERVER, "url");
    CHECK(c == NULL);
    o.url = "http://127.0.0.1:1/ws";
    CODE(im_init(&o, NULL, &c), IM_ERR_NO_SERVER);
    o.url = "ws://127.0.0.1:1/\xff\xfe";
    CODE_MSG(im_init(&o, NULL, &c), IM_ERR_INVALID_ARGUMENT, "UTF-8");
    long_url = malloc(IM_MAX_STRING_BYTES + 16);
    if (long_url) {
        memset(long_url, 'a', IM_MAX_STRING_BYTES + 15);
        memcpy(long_url, "ws://", 5);
        long_url[IM_MAX_STRING_BYTES + 15] = '\0';
        o.url = long_url;
        CODE_MSG(im_init(&o, NULL, &c), IM_ERR_INVALID_ARGUMENT, "longer");
        free(long_url);
    }
    o.url = "ws://127.0.0.1:1/ws";
    o.dialect = 7;
    CODE_MSG(im_init(&o, NULL, &c), IM_ERR_INVALID_ARGUMENT, "dialect");
    o.dialect = IM_DIALECT_SEED;
    o.keepalive_interval_ms = 5000;
    o.keepalive_timeout_ms = 4000;
    CODE_MSG(im_init(&o, NULL, &c), IM_ERR_INVALID_ARGUMENT, "keepalive");
    o.keepalive_interval_ms = o.keepalive_timeout_ms = 0;
    o.connect_timeout_ms = 0;
    CODE_MSG(im_init(&o, NULL, &c), IM_ERR_INVALID_ARGUMENT, "connect_timeout_ms");
    o.connect_timeout_ms = 5000;
    o.max_frame_bytes = 70000;
    CODE_MSG(im_init(&o, NULL, &c), IM_ERR_INVALID_ARGUMENT, "max_frame_bytes");
    o.max_frame_bytes = 65536;
    o.tls_pins_count = 1;
    CODE_MSG(im_init(&o, NULL, &c), IM_ERR_INVALID_ARGUMENT, "tls_pins");
    o.tls_pins = pins;
    CODE_MSG(im_init(&o, NULL, &c), IM_ERR_INVALID_ARGUMENT, "tls_pins[0]");
    o.tls_pins = NULL;
    o.tls_pins_count = 0;
    o.struct_size = 0;
    CODE_MSG(im_init(&o, NULL, &c), IM_ERR_INVALID_ARGUMENT, "struct_size");
    o.struct_size = sizeof o;
    memset(&cb, 0, sizeof cb);
    CODE_MSG(im_init(&o, &cb, &c), IM_ERR_INVALID_ARGUMENT, "ImCallbacks");
    CHECK(c == NULL);

    /* And a good one, with no callbacks at all. */
    CODE(im_init(&o, NULL, &c), IM_OK);
    CHECK(c != NULL);
    CODE(im_release(c), IM_OK);
}

static void bad_handles(void) {
    section("NULL and forged handles");
    check_every_call_with_handle(NULL, IM_ERR_INVALID_HANDLE);
    check_every_call_with_handle((ImClient *)(uintptr_t)0x1234, IM_ERR_INVALID_HANDLE);
    check_every_call_with_handle((ImClient *)(uintptr_t)UINTPTR_MAX, IM_ERR_INVALID_HANDLE);
}

static void bad_arguments_before_login(void) {
    Rec r;
    ImClient *c;
    ImSendRequest req;
    ImStats st;
    char fp[IM_FP_BUF_LEN] = "junk";
    char *big;
    int32_t state = -1;
    section("bad arguments on a live client, before login");
    init_rec(&r, "args");
    c = new_client(&r, "ws://127.0.0.1:1/ws", IM_DIALECT_SEED);
    if (!c) return;

    CODE_MSG(im_login(c, NULL, "t", NULL, NULL), IM_ERR_INVALID_ARGUMENT, "user_id");
    CODE_MSG(im_login(c, "alice", NULL, NULL, NULL), IM_ERR_INVALID_ARGUMENT, "token");
    CODE_MSG(im_login(c, "\xc3\x28", "t", NULL, NULL), IM_ERR_INVALID_ARGUMENT, "UTF-8");
    CODE_MSG(im_login(c, "alice", "t", "\xff", NULL), IM_ERR_INVALID_ARGUMENT, "app");
    CODE_MSG(im_login(c, "alice", "t", NULL, "\x80"), IM_ERR_INVALID_ARGUMENT, "extra");
    CODE(im_login(c, "", "t", NULL, NULL), IM_ERR_INVALID_ARGUMENT);
    CODE(im_login(c, "0", "t", NULL, NULL), IM_ERR_INVALID_ARGUMENT);
    CODE(im_login(c, "-1", "t", NULL, NULL), IM_ERR_INVALID_ARGUMENT);
    big = malloc(IM_MAX_CONTENT_BYTES + 2);
    if (big) {
        memset(big, 'x', IM_MAX_CONTENT_BYTES + 1);
        big[IM_MAX_CONTENT_BYTES + 1] = '\0';
        CODE_MSG(im_login(c, big, "t", NULL, NULL), IM_ERR_INVALID_ARGUMENT, "user_id");
        CODE_MSG(im_login(c, "alice", big, NULL, NULL), IM_ERR_INVALID_ARGUMENT, "token");
    }

    CODE_MSG(im_send_request_init(NULL, sizeof req), IM_ERR_INVALID_ARGUMENT, "NULL");
    CODE_MSG(im_send_request_init(&req, 3), IM_ERR_INVALID_ARGUMENT, "struct_size");
    CODE(im_send_request_init(&req, sizeof req), IM_OK);
    CHECK(req.qos != 0 && req.typeu == IM_TYPEU_DEFAULT && req.fp == NULL);
    CHECK(req.content_len == IM_CONTENT_NUL_TERMINATED);
    CODE_MSG(im_send(c, NULL, fp), IM_ERR_INVALID_ARGUMENT, "ImSendRequest");
    CHECK(fp[0] == '\0');
    CODE_MSG(im_send(c, &req, fp), IM_ERR_INVALID_ARGUMENT, "to is NULL");
    req.to = "bob";
    CODE_MSG(im_send(c, &req, fp), IM_ERR_INVALID_ARGUMENT, "content is NULL");
    req.content = "\xed\xa0\x80"; /* a UTF-16 surrogate: not UTF-8 */
    CODE_MSG(im_send(c, &req, fp), IM_ERR_INVALID_ARGUMENT, "UTF-8");
    req.content = "a\xff";
    req.content_len = 2;
    CODE_MSG(im_send(c, &req, fp), IM_ERR_INVALID_ARGUMENT, "UTF-8");
    if (big) {
        req.content = big;
        req.content_len = IM_MAX_CONTENT_BYTES + 1;
        CODE_MSG(im_send(c, &req, fp), IM_ERR_INVALID_ARGUMENT, "content");
        req.content_len = IM_CONTENT_NUL_TERMINATED;
        CODE_MSG(im_send(c, &req, fp), IM_ERR_INVALID_ARGUMENT, "content");
    }
    req.content = "hi";
    req.content_len = IM_CONTENT_NUL_TERMINATED;
    req.fp = "0123456789012345678901234567890123456789012345678901234567890123456789";
    CODE_MSG(im_send(c, &req, fp), IM_ERR_INVALID_ARGUMENT, "fp");
    req.fp = NULL;
    req.struct_size = 0;
    CODE_MSG(im_send(c, &req, fp), IM_ERR_INVALID_ARGUMENT, "struct_size");
    req.struct_size = sizeof req;
    /* Well-formed, but no session yet. */
    CODE(im_send(c, &req, fp), IM_ERR_NO_LOGIN);
    CHECK(fp[0] == '\0');
    CODE(im_send(c, &req, NULL), IM_ERR_NO_LOGIN);
    CODE(im_logout(c), IM_ERR_NO_LOGIN);

    CODE_MSG(im_echo(c, NULL), IM_ERR_INVALID_ARGUMENT, "text");
    CODE_MSG(im_get_state(c, NULL), IM_ERR_INVALID_ARGUMENT, "state_out");
    CODE(im_get_state(c, &state), IM_OK);
    CHECK(state == IM_STATE_IDLE);
    CODE_MSG(im_get_stats(c, NULL), IM_ERR_INVALID_ARGUMENT, "ImStats");
    st.struct_size = 7;
    CODE_MSG(im_get_stats(c, &st), IM_ERR_INVALID_ARGUMENT, "struct_size");
    st.struct_size = sizeof st;
    CODE(im_get_stats(c, &st), IM_OK);
    CHECK(st.struct_size == sizeof st && st.sent == 0 && st.last_keepalive_rtt_ms == -1);
    CODE(im_network_changed(c, 1), IM_OK);

    CODE_MSG(im_set_log_callback(on_log, NULL, 6), IM_ERR_INVALID_ARGUMENT, "max_level");
    CODE_MSG(im_set_log_callback(on_log, NULL, -1), IM_ERR_INVALID_ARGUMENT, "max_level");
    CODE(im_set_log_callback(NULL, NULL, IM_LOG_OFF), IM_OK);

    CODE(im_release(c), IM_OK);
    free(big);
}

static void stale_handles(void) {
    Rec r;
    ImClient *c;
    section("release barrier, stale handle, double release");
    init_rec(&r, "stale");
    c = new_client(&r, "ws://127.0.0.1:1/ws", IM_DIALECT_MOBILEIMSDK);
    if (!c) return;
    CODE(im_release(c), IM_OK);
    signal_lock(&sig);
    CHECK(r.released == 1); /* on_release ran before im_release returned */
    signal_notify_unlock(&sig);
    check_every_call_with_handle(c, IM_ERR_INVALID_HANDLE); /* includes a 2nd release */
    CODE(im_release(c), IM_ERR_INVALID_HANDLE);
    sleep_ms(100); /* nothing may follow: give a stray callback a chance to show */
    signal_lock(&sig);
    CHECK(r.released == 1);
    signal_notify_unlock(&sig);
}

/* ---- with a server ---- */

typedef struct Sender {
    ImClient *client;
    int index;
    char fps[PER_SENDER][IM_FP_BUF_LEN];
    int32_t codes[PER_SENDER];
} Sender;

static void *send_many(void *arg) {
    Sender *s = arg;
    ImSendRequest req;
    char content[64];
    int i;
    im_send_request_init(&req, sizeof req);
    req.to = "smoke-b";
    req.content = content;
    for (i = 0; i < PER_SENDER; i++) {
        snprintf(content, sizeof content, "thread %d message %d", s->index, i);
        s->codes[i] = im_send(s->client, &req, s->fps[i]);
    }
    return NULL;
}

static void *poll_state(void *arg) {
    ImClient *c = arg;
    ImStats st;
    int32_t state;
    int i;
    for (i = 0; i < 200; i++) {
        st.struct_size = sizeof st;
        im_get_state(c, &state);
        im_get_stats(c, &st);
    }
    return NULL;
}

static int count_outcomes(Rec *r, const char *fp) {
    int i, n = 0;
    for (i = 0; i < r->n_outcomes && i < TOTAL + 8; i++) {
        if (strcmp(r->outcome_fp[i], fp) == 0) n++;
    }
    return n;
}

static void with_server(const char *url, int32_t dialect) {
    static Rec a, b, c;
    static Sender senders[SENDERS];
    pthread_t threads[SENDERS + 1];
    ImSendRequest req;
    char fp[IM_FP_BUF_LEN];
    int i, j, acked = 0, exactly_once = 1, unique = 1;

    section("login, already logged in, empty receiver");
    CODE(im_set_log_callback(on_log, NULL, IM_LOG_TRACE), IM_OK);
    init_rec(&a, "smoke-a");
    init_rec(&b, "smoke-b");
    if (!new_client(&a, url, dialect) || !new_client(&b, url, dialect)) return;
    CODE(im_login(a.client, "smoke-a", SECRET, NULL, NULL), IM_OK);
    CODE(im_login(b.client, "smoke-b", SECRET, NULL, "extra"), IM_OK);
    CODE(im_login(a.client, "smoke-a", SECRET, NULL, NULL), IM_ERR_ALREADY_LOGGED_IN);
    CHECK(wait_for(&sig, is_logged_in, &a, WAIT_MS) && a.login_code == IM_OK);
    CHECK(wait_for(&sig, is_logged_in, &b, WAIT_MS) && b.login_code == IM_OK);
    CODE(im_login(a.client, "smoke-a", SECRET, NULL, NULL), IM_ERR_ALREADY_LOGGED_IN);
    im_send_request_init(&req, sizeof req);
    req.to = "";
    req.content = "x";
    CODE(im_send(a.client, &req, fp), IM_ERR_INVALID_ARGUMENT);

    section("4 threads send 25 QoS messages each while a 5th reads state and stats");
    for (i = 0; i < SENDERS; i++) {
        senders[i].client = a.client;
        senders[i].index = i;
        CHECK(pthread_create(&threads[i], NULL, send_many, &senders[i]) == 0);
    }
    CHECK(pthread_create(&threads[SENDERS], NULL, poll_state, a.client) == 0);
    for (i = 0; i <= SENDERS; i++) pthread_join(threads[i], NULL);
    for (i = 0; i < SENDERS; i++) {
        for (j = 0; j < PER_SENDER; j++) {
            if (senders[i].codes[j] != IM_OK || strlen(senders[i].fps[j]) == 0) {
                printf("  FAIL: thread %d send %d returned %d (%s)\n", i, j, senders[i].codes[j],
                       im_strerror(senders[i].codes[j]));
                failures++;
            }
        }
    }
    CHECK(wait_for(&sig, all_outcomes, &a, WAIT_MS));
    CHECK(wait_for(&sig, all_received, &b, WAIT_MS));
    signal_lock(&sig);
    for (i = 0; i < SENDERS; i++) {
        for (j = 0; j < PER_SENDER; j++) {
            int k, l;
            if (count_outcomes(&a, senders[i].fps[j]) != 1) exactly_once = 0;
            for (k = 0; k < SENDERS; k++) {
                for (l = 0; l < PER_SENDER; l++) {
                    if ((k != i || l != j) && strcmp(senders[i].fps[j], senders[k].fps[l]) == 0) {
                        unique = 0;
                    }
                }
            }
        }
    }
    for (i = 0; i < a.n_outcomes && i < TOTAL + 8; i++) acked += a.outcome_acked[i];
    CHECK(unique);
    CHECK(exactly_once);
    CHECK(a.n_outcomes == TOTAL);
    CHECK(acked == TOTAL);
    CHECK(b.received == TOTAL);
    signal_notify_unlock(&sig);

    section("release from inside a callback");
    init_rec(&c, "smoke-c");
    c.release_in_callback = 1;
    if (new_client(&c, url, dialect)) {
        CODE(im_login(c.client, "smoke-c", SECRET, NULL, NULL), IM_OK);
        CHECK(wait_for(&sig, is_released, &c, WAIT_MS));
        signal_lock(&sig);
        CHECK(c.in_callback_rc == IM_OK);
        CHECK(c.released_when_rc_returned == 0); /* deferred until the callback returned */
        CHECK(c.released == 1);
        signal_notify_unlock(&sig);
        check_every_call_with_handle(c.client, IM_ERR_INVALID_HANDLE);
    }

    section("release with a QoS message pending: lost (CANCELLED), then on_release");
    CODE(im_network_changed(a.client, 0), IM_OK);
    CHECK(wait_for(&sig, not_online, &a, WAIT_MS));
    signal_lock(&sig);
    a.n_outcomes = 0;
    signal_notify_unlock(&sig);
    req.to = "smoke-b";
    req.content = "pending at release";
    CODE(im_send(a.client, &req, fp), IM_OK);
    CODE(im_release(a.client), IM_OK);
    signal_lock(&sig);
    CHECK(one_outcome(&a) && a.n_outcomes == 1 && a.outcome_acked[0] == 0);
    CHECK(a.outcome_reason[0] == IM_LOST_CANCELLED && strcmp(a.outcome_fp[0], fp) == 0);
    CHECK(a.released == 1 && a.lost_seq > 0 && a.lost_seq < a.release_seq);
    signal_notify_unlock(&sig);
    check_every_call_with_handle(a.client, IM_ERR_INVALID_HANDLE);

    section("logout and release of the receiver; tokens never logged");
    CODE(im_logout(b.client), IM_OK);
    CODE(im_logout(b.client), IM_ERR_NO_LOGIN);
    CODE(im_release(b.client), IM_OK);
    CODE(im_release(b.client), IM_ERR_INVALID_HANDLE);
    CODE(im_set_log_callback(NULL, NULL, IM_LOG_OFF), IM_OK);
    pthread_mutex_lock(&log_mu);
    CHECK(!secret_logged);
    printf("  (%d log lines seen, none with the token)\n", log_lines);
    pthread_mutex_unlock(&log_mu);
}

int main(int argc, char **argv) {
    int32_t dialect = IM_DIALECT_SEED;
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc > 2 && strcmp(argv[2], "mobileimsdk") == 0) dialect = IM_DIALECT_MOBILEIMSDK;
    signal_init(&sig);
    printf("imsdk %s smoke test%s%s\n", im_version(), argc > 1 ? " against " : " (no server)",
           argc > 1 ? argv[1] : "");

    versions_and_strings();
    options_and_init();
    bad_handles();
    bad_arguments_before_login();
    stale_handles();
    if (argc > 1) with_server(argv[1], dialect);
    else printf("-- (checks that need a server skipped: no URL given)\n");

    signal_destroy(&sig);
    printf("smoke: %d checks, %d failed\n", checks, failures);
    printf("%d passed, %d failed\n", checks - failures, failures);
    return failures ? 1 : 0;
}
