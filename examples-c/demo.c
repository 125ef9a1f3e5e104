/*
 * demo: a scripted conversation that shows what the SDK does, step by step.
 *
 *   demo URL [seed|mobileimsdk]
 *
 * alice and bob log in to the server at URL, exchange QoS messages both ways (each
 * acknowledged), try an echo, send one message that is never acknowledged (reported
 * lost), lose the network and have a queued message cancelled by logout, and finally
 * log out and release their clients. Every step says what it expects; the exit status
 * is non-zero if anything expected did not happen. Every wait is bounded.
 */
#include <stdlib.h>

#include "common.h"

#define WAIT_MS 15000
#define MAX_FPS 16

/* What one client's callbacks saw. Changed under sig.mu by the callback thread. */
typedef struct Peer {
    const char *name;
    ImClient *client;
    int login_done, login_code;
    int state, link_closed_reason;
    int received;
    char acked[MAX_FPS][IM_FP_BUF_LEN];
    int n_acked;
    char lost[MAX_FPS][IM_FP_BUF_LEN];
    int lost_reason[MAX_FPS];
    int n_lost;
    int server_error;
    int echoed;
    int released;
} Peer;

static Signal sig;
static int failures;

/* ---- callbacks: print one transcript line and record the event ---- */

static void on_login_result(void *ud, int32_t code, bool is_relogin) {
    Peer *p = ud;
    printf("    [%s] login result: %d (%s)%s\n", p->name, code, im_strerror(code),
           is_relogin ? ", automatic re-login" : "");
    signal_lock(&sig);
    p->login_done = 1;
    p->login_code = code;
    signal_notify_unlock(&sig);
}

static void on_state_changed(void *ud, int32_t state, int32_t reason, uint32_t attempt,
                             uint64_t delay_ms) {
    Peer *p = ud;
    if (state == IM_STATE_WAITING && attempt > 0) {
        printf("    [%s] state -> %s (%s: attempt %u in %llu ms)\n", p->name, state_name(state),
               reason_name(reason), (unsigned)attempt, (unsigned long long)delay_ms);
    } else {
        printf("    [%s] state -> %s (%s)\n", p->name, state_name(state), reason_name(reason));
    }
    signal_lock(&sig);
    p->state = state;
    signal_notify_unlock(&sig);
}

static void on_link_closed(void *ud, int32_t reason) {
    Peer *p = ud;
    printf("    [%s] link closed: %s\n", p->name, link_reason_name(reason));
    signal_lock(&sig);
    p->link_closed_reason = reason;
    signal_notify_unlock(&sig);
}

static void on_message(void *ud, const ImMessage *m) {
    Peer *p = ud;
    printf("    [%s] message from %s: \"%.*s\" (fp %s%s)\n", p->name, m->from,
           (int)m->content_len, m->content, m->fp[0] ? m->fp : "none",
           m->qos ? ", QoS: the SDK acknowledged it" : "");
    signal_lock(&sig);
    p->received++;
    signal_notify_unlock(&sig);
}

static void on_message_acked(void *ud, const char *fp) {
    Peer *p = ud;
    printf("    [%s] acknowledged by the server: fp %s\n", p->name, fp);
    signal_lock(&sig);
    if (p->n_acked < MAX_FPS) {
        snprintf(p->acked[p->n_acked++], IM_FP_BUF_LEN, "%s", fp);
    }
    signal_notify_unlock(&sig);
}

static void on_messages_lost(void *ud, const ImLostMessage *lost, size_t count) {
    Peer *p = ud;
    size_t i;
    signal_lock(&sig);
    for (i = 0; i < count; i++) {
        printf("    [%s] LOST: \"%.*s\" to %s (fp %s): %s\n", p->name, (int)lost[i].content_len,
               lost[i].content, lost[i].to, lost[i].fp, loss_reason_name(lost[i].reason));
        if (p->n_lost < MAX_FPS) {
            snprintf(p->lost[p->n_lost], IM_FP_BUF_LEN, "%s", lost[i].fp);
            p->lost_reason[p->n_lost++] = lost[i].reason;
        }
    }
    signal_notify_unlock(&sig);
}

static void on_server_error(void *ud, int32_t code, const char *message) {
    Peer *p = ud;
    printf("    [%s] server error %d: %s\n", p->name, code, message);
    signal_lock(&sig);
    p->server_error = code;
    signal_notify_unlock(&sig);
}

static void on_echo(void *ud, const char *text) {
    Peer *p = ud;
    printf("    [%s] echo from the server: \"%s\"\n", p->name, text);
    signal_lock(&sig);
    p->echoed = 1;
    signal_notify_unlock(&sig);
}

static void on_release(void *ud) {
    Peer *p = ud;
    printf("    [%s] released (the last callback)\n", p->name);
    signal_lock(&sig);
    p->released = 1;
    signal_notify_unlock(&sig);
}

static void on_log(void *ud, int32_t level, const char *text) {
    (void)ud;
    fprintf(stderr, "    (sdk %s) %s\n", log_level_name(level), text);
}

/* ---- wait predicates (run under sig.mu) ---- */

typedef struct Want {
    Peer *p;
    const char *fp;
    int n;
} Want;

static int logged_in(void *a) { return ((Want *)a)->p->login_done; }
static int received_n(void *a) { return ((Want *)a)->p->received >= ((Want *)a)->n; }
static int echoed(void *a) { return ((Want *)a)->p->echoed; }
static int not_online(void *a) { return ((Want *)a)->p->state != IM_STATE_ONLINE; }
static int idle(void *a) { return ((Want *)a)->p->state == IM_STATE_IDLE; }
static int server_error_seen(void *a) { return ((Want *)a)->p->server_error != 0; }

static int acked(void *a) {
    Want *w = a;
    int i;
    for (i = 0; i < w->p->n_acked; i++) {
        if (strcmp(w->p->acked[i], w->fp) == 0) return 1;
    }
    return 0;
}

/* The loss reason of fp, or 0 if it was not reported lost. */
static int lost_reason_of(Peer *p, const char *fp) {
    int i;
    for (i = 0; i < p->n_lost; i++) {
        if (strcmp(p->lost[i], fp) == 0) return p->lost_reason[i];
    }
    return 0;
}

static int lost(void *a) { return lost_reason_of(((Want *)a)->p, ((Want *)a)->fp) != 0; }

static int wait_want(int (*pred)(void *), Peer *p, const char *fp, int n) {
    Want w;
    w.p = p;
    w.fp = fp;
    w.n = n;
    return wait_for(&sig, pred, &w, WAIT_MS);
}

/* ---- transcript helpers ---- */

static void step(const char *title) { printf("\n== %s\n", title); }

static void expect(int ok, const char *what) {
    printf("  %s %s\n", ok ? "ok:" : "FAILED:", what);
    if (!ok) failures++;
}

static void expect_code(int32_t code, int32_t want, const char *call) {
    char what[256];
    snprintf(what, sizeof what, "%s returned %d (%s)%s%s", call, code, im_strerror(code),
             code == want ? "" : "; expected ", code == want ? "" : im_strerror(want));
    expect(code == want, what);
    if (code != want) printf("     im_last_error: %s\n", im_last_error());
}

/* Sends content from p to `to`; returns the im_send code, the fp in fp_out. */
static int32_t send_text(Peer *p, const char *to, const char *content, int32_t typeu,
                         char fp_out[IM_FP_BUF_LEN]) {
    ImSendRequest r;
    int32_t rc;
    im_send_request_init(&r, sizeof r);
    r.to = to;
    r.content = content;
    if (typeu != IM_TYPEU_DEFAULT) r.typeu = typeu;
    rc = im_send(p->client, &r, fp_out);
    printf("  %s -> %s: \"%s\" (QoS, fp %s)\n", p->name, to, content, fp_out);
    return rc;
}

static ImClient *make_client(Peer *p, const char *url, int32_t dialect) {
    ImOptions o;
    ImCallbacks cb;
    ImClient *c = NULL;
    int32_t rc;
    im_options_init(&o, sizeof o);
    o.url = url;
    o.dialect = dialect;
    /* Short QoS timings so that a loss shows within a second or so. */
    o.qos_check_interval_ms = 400;
    o.qos_just_now_ms = 300;
    o.qos_max_resends = 2;
    o.connect_timeout_ms = 5000;
    o.login_timeout_ms = 5000;

    memset(&cb, 0, sizeof cb);
    cb.struct_size = sizeof cb;
    cb.user_data = p;
    cb.on_login_result = on_login_result;
    cb.on_state_changed = on_state_changed;
    cb.on_link_closed = on_link_closed;
    cb.on_message = on_message;
    cb.on_message_acked = on_message_acked;
    cb.on_messages_lost = on_messages_lost;
    cb.on_server_error = on_server_error;
    cb.on_echo = on_echo;
    cb.on_release = on_release;

    rc = im_init(&o, &cb, &c);
    expect_code(rc, IM_OK, p->name[0] == 'a' ? "im_init(alice)" : "im_init(bob)");
    p->client = c;
    return c;
}

int main(int argc, char **argv) {
    const char *url;
    int32_t dialect = IM_DIALECT_SEED;
    Peer alice, bob;
    char fp1[IM_FP_BUF_LEN], fp2[IM_FP_BUF_LEN], fp3[IM_FP_BUF_LEN], fp4[IM_FP_BUF_LEN];
    ImStats st;
    int32_t rc;
    long long started = now_ms();

    if (argc < 2) {
        fprintf(stderr, "usage: %s URL [seed|mobileimsdk]\n", argv[0]);
        return 2;
    }
    url = argv[1];
    if (argc > 2 && strcmp(argv[2], "mobileimsdk") == 0) dialect = IM_DIALECT_MOBILEIMSDK;
    else if (argc > 2 && strcmp(argv[2], "seed") != 0) {
        fprintf(stderr, "unknown dialect %s (seed or mobileimsdk)\n", argv[2]);
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    signal_init(&sig);
    memset(&alice, 0, sizeof alice);
    memset(&bob, 0, sizeof bob);
    alice.name = "alice";
    bob.name = "bob";

    printf("imsdk %s (ABI %u) demo, dialect %s, server %s\n", im_version(),
           (unsigned)im_abi_version(), dialect == IM_DIALECT_SEED ? "seed" : "mobileimsdk", url);
    printf("Lines in [brackets] are callbacks, run on the SDK's callback thread.\n");
    im_set_log_callback(on_log, NULL, IM_LOG_WARN);

    step("1. alice and bob log in");
    if (!make_client(&alice, url, dialect) || !make_client(&bob, url, dialect)) goto done;
    expect_code(im_login(alice.client, "alice", "alice-secret", "demo", NULL), IM_OK,
                "im_login(alice)");
    expect_code(im_login(bob.client, "bob", "bob-secret", "demo", NULL), IM_OK, "im_login(bob)");
    expect(wait_want(logged_in, &alice, NULL, 0) && alice.login_code == IM_OK, "alice is online");
    expect(wait_want(logged_in, &bob, NULL, 0) && bob.login_code == IM_OK, "bob is online");
    if (failures) goto done;

    step("2. alice sends bob a QoS message: bob receives it, alice gets the acknowledgement");
    expect_code(send_text(&alice, "bob", "Hello Bob, this is Alice.", IM_TYPEU_DEFAULT, fp1),
                IM_OK, "im_send");
    expect(wait_want(received_n, &bob, NULL, 1), "bob received it");
    expect(wait_want(acked, &alice, fp1, 0), "alice got on_message_acked for it");

    step("3. bob answers: the same the other way round");
    expect_code(send_text(&bob, "alice", "Hi Alice! Bob here.", IM_TYPEU_DEFAULT, fp2), IM_OK,
                "im_send");
    expect(wait_want(received_n, &alice, NULL, 1), "alice received it");
    expect(wait_want(acked, &bob, fp2, 0), "bob got on_message_acked for it");

    step("4. alice asks the server for an echo");
    expect_code(im_echo(alice.client, "ping"), IM_OK, "im_echo");
    expect(wait_want(echoed, &alice, NULL, 0), "alice got on_echo");

    if (dialect == IM_DIALECT_MOBILEIMSDK) {
        step("5. alice writes to carol, who is offline: the server never acknowledges it,\n"
             "   the SDK resends it twice, then reports it lost (TIMEOUT)");
        expect_code(send_text(&alice, "carol", "Are you there, Carol?", IM_TYPEU_DEFAULT, fp3),
                    IM_OK, "im_send");
        expect(wait_want(lost, &alice, fp3, 0) && lost_reason_of(&alice, fp3) == IM_LOST_TIMEOUT,
               "alice got on_messages_lost for it, reason TIMEOUT");
    } else {
        step("5. alice writes to a group that does not exist: the server answers error 303\n"
             "   naming the message, which is reported lost (REJECTED) at once");
        expect_code(send_text(&alice, "no-such-group", "Hello group!", 1, fp3), IM_OK, "im_send");
        expect(wait_want(server_error_seen, &alice, NULL, 0) &&
                   alice.server_error == IM_ERR_SERVER_NO_SUCH_GROUP,
               "alice got on_server_error(303)");
        expect(wait_want(lost, &alice, fp3, 0) && lost_reason_of(&alice, fp3) == IM_LOST_REJECTED,
               "alice got on_messages_lost for it, reason REJECTED");
    }

    step("6. bob's network goes away; a QoS message is queued while offline,\n"
         "   then bob logs out: the queued message is reported lost (CANCELLED)");
    expect_code(im_network_changed(bob.client, 0), IM_OK, "im_network_changed(bob, 0)");
    expect(wait_want(not_online, &bob, NULL, 0), "bob is no longer online");
    expect_code(send_text(&bob, "alice", "Sent while offline.", IM_TYPEU_DEFAULT, fp4), IM_OK,
                "im_send (accepted and queued)");
    expect_code(im_logout(bob.client), IM_OK, "im_logout(bob)");
    expect(wait_want(lost, &bob, fp4, 0) && lost_reason_of(&bob, fp4) == IM_LOST_CANCELLED,
           "bob got on_messages_lost for it, reason CANCELLED");
    expect(wait_want(idle, &bob, NULL, 0), "bob is IDLE");

    step("7. alice's statistics");
    st.struct_size = sizeof st;
    expect_code(im_get_stats(alice.client, &st), IM_OK, "im_get_stats");
    printf("  sent %llu, resent %llu, acked %llu, lost %llu, received %llu, pending %llu\n",
           (unsigned long long)st.sent, (unsigned long long)st.resent,
           (unsigned long long)st.acked, (unsigned long long)st.lost,
           (unsigned long long)st.received, (unsigned long long)st.pending_qos);
    expect(st.acked >= 1 && st.lost >= 1 && st.received >= 1,
           "counters show the ack, the loss and the received message");

done:
    step("8. log out and release (im_release waits until on_release has run)");
    if (alice.client) {
        rc = im_logout(alice.client);
        printf("  im_logout(alice) returned %d (%s)\n", rc, im_strerror(rc));
        expect(wait_want(idle, &alice, NULL, 0), "alice is IDLE");
        expect_code(im_release(alice.client), IM_OK, "im_release(alice)");
        expect(alice.released, "alice's on_release ran before im_release returned");
        expect_code(im_release(alice.client), IM_ERR_INVALID_HANDLE,
                    "im_release(alice) again (stale handle)");
    }
    if (bob.client) {
        expect_code(im_release(bob.client), IM_OK, "im_release(bob)");
        expect(bob.released, "bob's on_release ran before im_release returned");
    }
    im_set_log_callback(NULL, NULL, IM_LOG_OFF);
    signal_destroy(&sig);

    printf("\n%s (%d failed expectation%s, %.1f s)\n",
           failures ? "DEMO FAILED" : "DEMO OK: everything expected happened", failures,
           failures == 1 ? "" : "s", (now_ms() - started) / 1000.0);
    return failures ? 1 : 0;
}
