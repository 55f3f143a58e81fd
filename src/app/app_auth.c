/*
 * app_auth.c - signing in and out, sessions, and password hashes.
 *
 * Passwords are argon2id (libsodium, interactive limits). A session is a random
 * 256-bit token given to the client once; the store keeps only its SHA-256, so a
 * copy of the database does not hold usable tokens. Sessions end after 30 idle
 * minutes or 12 hours; the idle clock is written at most once a minute, so reads
 * stay reads. Five consecutive failures lock an account for 30 minutes; while
 * locked, even the right password answers 429. All timers use the real clock.
 */
#include "app_internal.h"
#include "tz/log.h"
#include "tz/strbuf.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

char *tz_app_password_hash(const char *password)
{
    char *out = malloc(crypto_pwhash_STRBYTES);
    if (!out)
        abort();
    if (crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
        tz_error("auth: password hashing ran out of memory");
        abort();
    }
    return out;
}

static void hex(const unsigned char *bin, size_t n, char *out)
{
    sodium_bin2hex(out, n * 2 + 1, bin, n);
}

static const char *random_hex(struct tz_arena *a)
{
    unsigned char buf[32];
    char *s = tz_arena_alloc(a, 65);
    randombytes_buf(buf, sizeof(buf));
    hex(buf, sizeof(buf), s);
    return s;
}

static const char *token_hash(const char *token, struct tz_arena *a)
{
    unsigned char d[crypto_hash_sha256_BYTES];
    char *s = tz_arena_alloc(a, 65);
    crypto_hash_sha256(d, (const unsigned char *)token, strlen(token));
    hex(d, sizeof(d), s);
    return s;
}

void tz_app_make_actor(struct tz_call *call)
{
    int64_t *ids = NULL;
    size_t n = tz_ctx_subtree(call->ctx, call->user.unit_id, call->arena, &ids);
    call->actor.user_id = call->user.id;
    call->actor.username = call->user.username;
    call->actor.unit_id = call->user.unit_id;
    call->actor.roles = call->user.roles;
    call->actor.subtree = ids;
    call->actor.n_subtree = n;
}

enum tz_status tz_app_begin(struct tz_call *call, struct tz_err *err)
{
    call->n_changes = 0;
    return TZ_STORE(call->conn)->begin(call->conn, err);
}

enum tz_status tz_app_commit(struct tz_call *call, struct tz_err *err)
{
    enum tz_status s = tz_call_announce(call, err);
    if (s != TZ_OK) {
        TZ_STORE(call->conn)->rollback(call->conn);
        call->n_changes = 0;
        return s;
    }
    s = TZ_STORE(call->conn)->commit(call->conn, err);
    if (s == TZ_OK) {
        atomic_fetch_add(&call->ctx->data_version, 1);
        if (call->n_changes && call->ctx->hub)
            tz_call_publish_changes(call);
    }
    call->n_changes = 0;
    return s;
}

enum tz_status tz_app_end(struct tz_call *call, enum tz_status s, struct tz_err *err)
{
    if (s == TZ_OK)
        return tz_app_commit(call, err);
    TZ_STORE(call->conn)->rollback(call->conn);
    call->n_changes = 0;
    return s;
}

/*
 * Records a login failure (count, maybe lock) and its audit entry in one
 * transaction. The count is read again inside it: the transaction is the only
 * writer (store.h begin), so failures checked at the same time on several
 * servers are all counted.
 */
static enum tz_status login_failed(struct tz_call *call, const struct tz_user *u, bool found,
                                   const char *username, struct tz_err *err)
{
    struct tz_err werr;
    struct tz_strbuf d = TZ_STRBUF_INIT;
    const struct tz_config *cfg = &call->ctx->cfg;
    tz_err_clear(&werr);
    if (TZ_STORE(call->conn)->begin(call->conn, &werr) == TZ_OK) {
        struct tz_user now;
        enum tz_status s = TZ_OK;
        int failures = 0;
        int64_t locked_until = 0;
        if (found)
            s = TZ_STORE(call->conn)->user_get(call->conn, u->id, NULL, call->arena, &now, &werr);
        if (s == TZ_OK && found && now.locked_until > (int64_t)time(NULL)) {
            /* locked meanwhile by a failure checked at the same time: it stays so */
            failures = cfg->lockout_failures;
            locked_until = now.locked_until;
        } else if (s == TZ_OK && found) {
            /* an expired lock starts a fresh count */
            failures = (now.locked_until ? 0 : now.failed_logins) + 1;
            if (failures >= cfg->lockout_failures)
                locked_until = (int64_t)time(NULL) + cfg->lockout_s;
            s = TZ_STORE(call->conn)
                    ->user_login_state(call->conn, u->id, locked_until ? 0 : failures, locked_until,
                                       &werr);
        }
        tz_strbuf_addstr(&d, "{\"username\":");
        tz_strbuf_add_json_str(&d, username, strlen(username));
        tz_strbuf_addf(&d, ",\"failures\":%d,\"locked\":%s}", failures,
                       locked_until ? "true" : "false");
        if (s == TZ_OK)
            s = tz_app_audit(call, locked_until ? "login_locked" : "login_failed",
                             found ? tz_arena_printf(call->arena, "user:%lld", (long long)u->id)
                                   : "",
                             d.buf, &werr);
        tz_app_end(call, s, &werr);
    }
    tz_strbuf_release(&d);
    return tz_err_set(err, TZ_EAUTH, "wrong user name or password");
}

enum tz_status tz_app_login(struct tz_call *call, const char *username, const char *password,
                            struct tz_login *out, struct tz_err *err)
{
    struct tz_user u;
    enum tz_status s;
    memset(out, 0, sizeof(*out));
    s = TZ_STORE(call->conn)->user_get(call->conn, 0, username, call->arena, &u, err);
    if (s == TZ_ENOTFOUND) {
        /* spend the same time as a real check, so timing does not tell which names exist */
        char dummy[crypto_pwhash_STRBYTES];
        static const char fake[] = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$"
                                   "9x5b3bFvuoSFQm+0m3pwJkMTUYnxYcTnMUgqbBQQsXM";
        snprintf(dummy, sizeof(dummy), "%s", fake);
        int r = crypto_pwhash_str_verify(dummy, password, strlen(password));
        (void)r;
        return login_failed(call, NULL, false, username, err);
    }
    if (s != TZ_OK)
        return s;
    int64_t now = (int64_t)time(NULL);
    if (u.locked_until > now) {
        struct tz_err why;
        tz_err_set(&why, TZ_ELOCKED, "account locked");
        call->user = u; /* the audit entry names the account */
        call->signed_in = true;
        tz_app_audit_denial(call, tz_arena_printf(call->arena, "user:%lld", (long long)u.id), &why);
        call->signed_in = false;
        return tz_err_set(err, TZ_ELOCKED,
                          "account locked after repeated failures; try again after %lld minutes",
                          (long long)((u.locked_until - now + 59) / 60));
    }
    if (u.disabled || crypto_pwhash_str_verify(u.pw_hash, password, strlen(password)) != 0)
        return login_failed(call, &u, true, username, err);

    struct tz_session sess = {
        .user_id = u.id,
        .created = now,
        .last_seen = now,
        .expires = now + call->ctx->cfg.session_abs_s,
    };
    const char *token = random_hex(call->arena);
    sess.token_hash = token_hash(token, call->arena);
    sess.csrf = random_hex(call->arena);
    call->user = u;
    call->signed_in = true;
    s = TZ_STORE(call->conn)->begin(call->conn, err);
    if (s != TZ_OK)
        return s;
    s = TZ_STORE(call->conn)->session_insert(call->conn, &sess, err);
    if (s == TZ_OK)
        s = TZ_STORE(call->conn)->user_login_state(call->conn, u.id, 0, 0, err);
    if (s == TZ_OK)
        s = tz_app_audit(call, "login", tz_arena_printf(call->arena, "user:%lld", (long long)u.id),
                         "{}", err);
    s = tz_app_end(call, s, err);
    if (s != TZ_OK)
        return s;
    out->token = token;
    out->csrf = sess.csrf;
    out->expires_at = sess.expires;
    out->user = tz_json_user(&u);
    call->token_hash = sess.token_hash;
    call->csrf = sess.csrf;
    return TZ_OK;
}

enum tz_status tz_app_authenticate(struct tz_call *call, const char *token, struct tz_err *err)
{
    struct tz_session sess;
    struct tz_err ignore;
    if (!token || strlen(token) != 64)
        return tz_err_set(err, TZ_EAUTH, "sign in first");
    const char *th = token_hash(token, call->arena);
    enum tz_status s =
        TZ_STORE(call->conn)->session_get(call->conn, th, call->arena, &sess, &call->user, err);
    if (s == TZ_EAUTH)
        return tz_err_set(err, TZ_EAUTH, "sign in first");
    if (s != TZ_OK)
        return s;
    int64_t now = (int64_t)time(NULL);
    if (now >= sess.expires || now - sess.last_seen >= call->ctx->cfg.session_idle_s) {
        /* writes go through a transaction of their own, as every write does */
        if (TZ_STORE(call->conn)->begin(call->conn, &ignore) == TZ_OK) {
            if (TZ_STORE(call->conn)->session_delete(call->conn, th, &ignore) == TZ_OK)
                tz_app_commit(call, &ignore);
            else
                TZ_STORE(call->conn)->rollback(call->conn);
        }
        return tz_err_set(err, TZ_EAUTH, "the session has expired; sign in again");
    }
    if (call->user.disabled)
        return tz_err_set(err, TZ_EAUTH, "sign in first");
    /* the idle clock is written at most once a minute (more often for short timeouts) */
    int64_t touch_every = call->ctx->cfg.session_idle_s / 30;
    if (touch_every > 60)
        touch_every = 60;
    if (now - sess.last_seen >= touch_every &&
        TZ_STORE(call->conn)->begin(call->conn, &ignore) == TZ_OK) {
        if (TZ_STORE(call->conn)->session_touch(call->conn, th, now, &ignore) == TZ_OK)
            TZ_STORE(call->conn)->commit(call->conn, &ignore);
        else
            TZ_STORE(call->conn)->rollback(call->conn);
    }
    call->signed_in = true;
    call->token_hash = sess.token_hash;
    call->csrf = sess.csrf;
    tz_app_make_actor(call);
    return TZ_OK;
}

enum tz_status tz_app_logout(struct tz_call *call, struct tz_err *err)
{
    enum tz_status s = TZ_STORE(call->conn)->begin(call->conn, err);
    if (s != TZ_OK)
        return s;
    s = TZ_STORE(call->conn)->session_delete(call->conn, call->token_hash, err);
    if (s == TZ_OK)
        s = tz_app_audit(call, "logout",
                         tz_arena_printf(call->arena, "user:%lld", (long long)call->user.id), "{}",
                         err);
    return tz_app_end(call, s, err);
}

struct json_object *tz_app_me(struct tz_call *call)
{
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "user", tz_json_user(&call->user));
    const struct tz_unit *u = tz_ctx_unit(call->ctx, call->user.unit_id, call->arena);
    json_object_object_add(o, "unit", u ? tz_json_unit(u) : NULL);
    json_object_object_add(o, "roles", tz_json_roles(call->user.roles));
    return o;
}
