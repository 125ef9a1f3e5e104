/*
 * Small helpers shared by the examples: names for the SDK's constants, a monotonic
 * clock, and a "something changed" signal that callbacks raise and the main thread
 * waits on with a timeout. Not part of the SDK.
 */
#ifndef IMSDK_EXAMPLES_COMMON_H
#define IMSDK_EXAMPLES_COMMON_H

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "imsdk.h"

static inline const char *state_name(int32_t state) {
    switch (state) {
    case IM_STATE_IDLE: return "IDLE";
    case IM_STATE_CONNECTING: return "CONNECTING";
    case IM_STATE_AUTHENTICATING: return "AUTHENTICATING";
    case IM_STATE_ONLINE: return "ONLINE";
    case IM_STATE_WAITING: return "WAITING";
    default: return "?";
    }
}

static inline const char *reason_name(int32_t reason) {
    switch (reason) {
    case IM_REASON_LOGIN_REQUESTED: return "login requested";
    case IM_REASON_CONNECTED: return "connected, login sent";
    case IM_REASON_LOGIN_ACCEPTED: return "login accepted";
    case IM_REASON_RECONNECTING: return "re-login scheduled";
    case IM_REASON_ATTEMPT_STARTED: return "re-login attempt";
    case IM_REASON_LOGIN_FAILED: return "login failed";
    case IM_REASON_LOGGED_OUT: return "logged out";
    case IM_REASON_KICKED: return "kicked";
    case IM_REASON_RELEASED: return "released";
    case IM_REASON_LINK_LOST: return "link lost";
    case IM_REASON_NETWORK_DOWN: return "network down";
    default: return "?";
    }
}

static inline const char *link_reason_name(int32_t reason) {
    switch (reason) {
    case IM_LINK_SERVER_CLOSED: return "server closed";
    case IM_LINK_NETWORK_ERROR: return "network error";
    case IM_LINK_KEEPALIVE_TIMEOUT: return "keepalive timeout";
    case IM_LINK_NOT_LOGGED_IN: return "server says not logged in";
    case IM_LINK_LOGIN_TIMEOUT: return "login timeout";
    case IM_LINK_PROTOCOL_ERROR: return "protocol error";
    case IM_LINK_NETWORK_DOWN: return "network down";
    default: return "?";
    }
}

static inline const char *loss_reason_name(int32_t reason) {
    switch (reason) {
    case IM_LOST_TIMEOUT: return "TIMEOUT (never acknowledged)";
    case IM_LOST_CANCELLED: return "CANCELLED (session ended)";
    case IM_LOST_REJECTED: return "REJECTED (refused by the server)";
    default: return "?";
    }
}

static inline const char *log_level_name(int32_t level) {
    switch (level) {
    case IM_LOG_ERROR: return "ERROR";
    case IM_LOG_WARN: return "WARN";
    case IM_LOG_INFO: return "INFO";
    case IM_LOG_DEBUG: return "DEBUG";
    case IM_LOG_TRACE: return "TRACE";
    default: return "?";
    }
}

/* Milliseconds on a monotonic clock. */
static inline long long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static inline void sleep_ms(long ms) {
    struct timespec ts;
    ts.tv_sec = ms / 1000;
    ts.tv_nsec = (ms % 1000) * 1000000L;
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

/* A mutex-protected "state changed" signal: callbacks change their records under
 * `mu` and call signal_notify; the main thread waits with wait_for. */
typedef struct Signal {
    pthread_mutex_t mu;
    pthread_cond_t cv;
} Signal;

static inline void signal_init(Signal *s) {
    pthread_condattr_t attr;
    pthread_mutex_init(&s->mu, NULL);
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&s->cv, &attr);
    pthread_condattr_destroy(&attr);
}

static inline void signal_destroy(Signal *s) {
    pthread_cond_destroy(&s->cv);
    pthread_mutex_destroy(&s->mu);
}

static inline void signal_lock(Signal *s) { pthread_mutex_lock(&s->mu); }

/* Wakes the waiters and unlocks. */
static inline void signal_notify_unlock(Signal *s) {
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
}

/* Waits (up to timeout_ms) until pred(arg) holds; pred runs with the lock held.
 * Returns 1 if it holds, 0 on timeout. */
static inline int wait_for(Signal *s, int (*pred)(void *), void *arg, long timeout_ms) {
    struct timespec deadline;
    int ok;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += timeout_ms / 1000;
    deadline.tv_nsec += (timeout_ms % 1000) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec += 1;
        deadline.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&s->mu);
    while (!(ok = pred(arg))) {
        if (pthread_cond_timedwait(&s->cv, &s->mu, &deadline) == ETIMEDOUT) {
            ok = pred(arg);
            break;
        }
    }
    pthread_mutex_unlock(&s->mu);
    return ok;
}

#endif /* IMSDK_EXAMPLES_COMMON_H */
