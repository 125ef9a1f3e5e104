/*
 * chat: an interactive, line-based chat client for any server of either dialect.
 *
 *   chat URL USER [--token TOKEN] [--dialect seed|mobileimsdk]
 *
 * Commands (one per line on standard input):
 *   /to USER TEXT      send TEXT to USER (with QoS: you see when the server has it)
 *   /group GROUP TEXT  send TEXT to a group (seed servers)
 *   /echo TEXT         ask the server to echo TEXT
 *   /state, /stats     show the connection state or the counters
 *   /quit              log out and exit (so does end of input)
 *   TEXT               send TEXT to the receiver of the last /to or /group
 */
#include <stdlib.h>

#include "common.h"

static Signal sig;
static int login_done, login_code;

static void on_login_result(void *ud, int32_t code, bool is_relogin) {
    (void)ud;
    if (code == IM_OK) printf("* %s\n", is_relogin ? "logged in again" : "logged in");
    else printf("* login failed: %d (%s)\n", code, im_strerror(code));
    signal_lock(&sig);
    login_done = 1;
    login_code = code;
    signal_notify_unlock(&sig);
}

static void on_state_changed(void *ud, int32_t state, int32_t reason, uint32_t attempt,
                             uint64_t delay_ms) {
    (void)ud;
    if (state == IM_STATE_WAITING && attempt > 0)
        printf("* connection lost; reconnecting (attempt %u in %.1f s)\n", (unsigned)attempt,
               delay_ms / 1000.0);
    else if (state == IM_STATE_IDLE && reason != IM_REASON_LOGGED_OUT &&
             reason != IM_REASON_RELEASED)
        printf("* session ended: %s\n", reason_name(reason));
}

static void on_link_closed(void *ud, int32_t reason) {
    (void)ud;
    printf("* link closed: %s\n", link_reason_name(reason));
}

static void on_message(void *ud, const ImMessage *m) {
    (void)ud;
    if (m->typeu == 1) printf("[%s] %s: %.*s\n", m->to, m->from, (int)m->content_len, m->content);
    else printf("%s: %.*s\n", m->from, (int)m->content_len, m->content);
}

static void on_acked(void *ud, const char *fp) {
    (void)ud;
    printf("  (delivered to the server: %.8s)\n", fp);
}

static void on_lost(void *ud, const ImLostMessage *lost, size_t count) {
    size_t i;
    (void)ud;
    for (i = 0; i < count; i++)
        printf("  (NOT delivered to %s: \"%.*s\": %s)\n", lost[i].to, (int)lost[i].content_len,
               lost[i].content, loss_reason_name(lost[i].reason));
}

static void on_server_error(void *ud, int32_t code, const char *message) {
    (void)ud;
    printf("* server error %d: %s\n", code, message);
}

static void on_kicked(void *ud, int32_t code, const char *reason) {
    (void)ud;
    printf("* kicked by the server (%d%s%s)\n", code, reason[0] ? ": " : "", reason);
}

static void on_echo(void *ud, const char *text) {
    (void)ud;
    printf("* echo: %s\n", text);
}

static int logged_in(void *a) {
    (void)a;
    return login_done;
}

/* Sends text; prints why if refused. */
static void send_text(ImClient *c, const char *to, int32_t typeu, const char *text) {
    ImSendRequest r;
    char fp[IM_FP_BUF_LEN];
    int32_t rc;
    im_send_request_init(&r, sizeof r);
    r.to = to;
    r.content = text;
    r.typeu = typeu;
    rc = im_send(c, &r, fp);
    if (rc != IM_OK) printf("* not sent: %s (%s)\n", im_strerror(rc), im_last_error());
}

/* Splits "WORD REST" in place: returns REST (or NULL), WORD stays in `s`. */
static char *split(char *s) {
    char *space = strchr(s, ' ');
    if (!space) return NULL;
    *space = '\0';
    return space + 1;
}

int main(int argc, char **argv) {
    ImOptions o;
    ImCallbacks cb;
    ImClient *c = NULL;
    const char *token = "token";
    char line[4096], to[256] = "";
    int32_t typeu = IM_TYPEU_DEFAULT, rc;
    int i;

    if (argc < 3) {
        fprintf(stderr, "usage: %s URL USER [--token TOKEN] [--dialect seed|mobileimsdk]\n",
                argv[0]);
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    im_options_init(&o, sizeof o);
    o.url = argv[1];
    for (i = 3; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--token") == 0) token = argv[i + 1];
        else if (strcmp(argv[i], "--dialect") == 0)
            o.dialect = strcmp(argv[i + 1], "mobileimsdk") == 0 ? IM_DIALECT_MOBILEIMSDK
                                                               : IM_DIALECT_SEED;
    }
    memset(&cb, 0, sizeof cb);
    cb.struct_size = sizeof cb;
    cb.on_login_result = on_login_result;
    cb.on_state_changed = on_state_changed;
    cb.on_link_closed = on_link_closed;
    cb.on_message = on_message;
    cb.on_message_acked = on_acked;
    cb.on_messages_lost = on_lost;
    cb.on_server_error = on_server_error;
    cb.on_kicked = on_kicked;
    cb.on_echo = on_echo;
    signal_init(&sig);

    rc = im_init(&o, &cb, &c);
    if (rc != IM_OK) {
        fprintf(stderr, "im_init: %s (%s)\n", im_strerror(rc), im_last_error());
        return 1;
    }
    rc = im_login(c, argv[2], token, NULL, NULL);
    if (rc != IM_OK) {
        fprintf(stderr, "im_login: %s (%s)\n", im_strerror(rc), im_last_error());
        im_release(c);
        return 1;
    }
    printf("* connecting to %s as %s ...\n", argv[1], argv[2]);
    if (!wait_for(&sig, logged_in, NULL, 20000) || login_code != IM_OK) {
        im_release(c);
        signal_destroy(&sig);
        return 1;
    }
    printf("* type /to USER TEXT, /group GROUP TEXT, /echo TEXT, /state, /stats, /quit\n");

    while (fgets(line, sizeof line, stdin)) {
        char *rest;
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '\0') continue;
        if (strcmp(line, "/quit") == 0) break;
        rest = split(line);
        if (strcmp(line, "/to") == 0 || strcmp(line, "/group") == 0) {
            char *text = rest ? split(rest) : NULL;
            if (!rest || !text) {
                printf("* usage: %s NAME TEXT\n", line);
                continue;
            }
            snprintf(to, sizeof to, "%s", rest);
            typeu = strcmp(line, "/group") == 0 ? 1 : IM_TYPEU_DEFAULT;
            send_text(c, to, typeu, text);
        } else if (strcmp(line, "/echo") == 0) {
            rc = im_echo(c, rest ? rest : "");
            if (rc != IM_OK) printf("* echo refused: %s\n", im_strerror(rc));
        } else if (strcmp(line, "/state") == 0) {
            int32_t state = 0;
            im_get_state(c, &state);
            printf("* state: %s\n", state_name(state));
        } else if (strcmp(line, "/stats") == 0) {
            ImStats st;
            st.struct_size = sizeof st;
            im_get_stats(c, &st);
            printf("* sent %llu, acked %llu, lost %llu, received %llu, pending %llu\n",
                   (unsigned long long)st.sent, (unsigned long long)st.acked,
                   (unsigned long long)st.lost, (unsigned long long)st.received,
                   (unsigned long long)st.pending_qos);
        } else if (line[0] == '/') {
            printf("* unknown command %s\n", line);
        } else if (to[0] == '\0') {
            printf("* who to? use /to USER TEXT first\n");
        } else {
            if (rest) rest[-1] = ' '; /* undo the split: the whole line is the text */
            send_text(c, to, typeu, line);
        }
    }
    im_logout(c);
    im_release(c); /* waits for the last callbacks */
    signal_destroy(&sig);
    printf("* bye\n");
    return 0;
}
