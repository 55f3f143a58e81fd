/*
 * app_hub.c - the live changes of items (SPEC 4 `GET /stream`): every
 * committed write of an item leaves a change here, numbered, for the streams
 * of the users who may see that item.
 *
 * The hub keeps the last TZ_HUB_KEEP changes in a ring; a stream asks for the
 * changes after the last one it sent, filtered by the visibility rule of the
 * loop (the same rule as GET /items), and a stream that fell further behind
 * than the ring is told to refresh everything. A change is recorded on the
 * call while its transaction is open and published only when it commits, so no
 * stream ever hears of a write that was rolled back.
 */
#include "app_internal.h"
#include "tz/date.h"
#include "tz/xalloc.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct tz_hub {
    pthread_mutex_t lock;
    struct tz_change ring[TZ_HUB_KEEP];
    int64_t last_seq; /* of the newest change; 0: none yet */
    void (*on_publish)(void *arg);
    void *on_publish_arg;
};

struct tz_hub *tz_hub_new(void)
{
    struct tz_hub *hub = tz_xcalloc(1, sizeof(*hub));
    pthread_mutex_init(&hub->lock, NULL);
    return hub;
}

void tz_hub_free(struct tz_hub *hub)
{
    if (!hub)
        return;
    pthread_mutex_destroy(&hub->lock);
    free(hub);
}

void tz_hub_listen(struct tz_hub *hub, void (*fn)(void *arg), void *arg)
{
    pthread_mutex_lock(&hub->lock);
    hub->on_publish = fn;
    hub->on_publish_arg = arg;
    pthread_mutex_unlock(&hub->lock);
}

int64_t tz_hub_last(struct tz_hub *hub)
{
    pthread_mutex_lock(&hub->lock);
    int64_t seq = hub->last_seq;
    pthread_mutex_unlock(&hub->lock);
    return seq;
}

static void publish(struct tz_hub *hub, const struct tz_change *changes, size_t n)
{
    void (*fn)(void *) = NULL;
    void *arg = NULL;
    pthread_mutex_lock(&hub->lock);
    for (size_t i = 0; i < n; i++) {
        struct tz_change *slot = &hub->ring[(hub->last_seq + 1) % TZ_HUB_KEEP];
        *slot = changes[i];
        slot->seq = ++hub->last_seq;
    }
    fn = hub->on_publish;
    arg = hub->on_publish_arg;
    pthread_mutex_unlock(&hub->lock);
    if (fn && n)
        fn(arg);
}

/* The fields of a change that the visibility rule reads, as an item. */
static void change_item(const struct tz_change *c, struct tz_item *it)
{
    memset(it, 0, sizeof(*it));
    it->ledger = c->ledger;
    it->state = c->state;
    it->lead_unit_id = c->lead_unit_id;
    it->co_unit_ids = c->co_unit_ids;
    it->n_co_units = c->n_co_units;
    it->assigned_day = c->was_assigned ? 1 : TZ_DAY_NONE;
}

size_t tz_hub_since(struct tz_hub *hub, int64_t after, const struct tz_actor *actor,
                    struct tz_change *out, size_t max, int64_t *next_after, bool *is_gap)
{
    size_t n = 0;
    pthread_mutex_lock(&hub->lock);
    *is_gap = after < hub->last_seq - TZ_HUB_KEEP;
    int64_t from = *is_gap ? hub->last_seq - TZ_HUB_KEEP : after;
    int64_t seq = from;
    while (seq < hub->last_seq && n < max) {
        const struct tz_change *c = &hub->ring[(seq + 1) % TZ_HUB_KEEP];
        struct tz_item it;
        seq++;
        change_item(c, &it);
        /* item 0 is "much changed" (the day's new lights): everyone hears it */
        if (c->item_id == 0 || tz_loop_visible(&it, actor))
            out[n++] = *c;
    }
    *next_after = seq;
    pthread_mutex_unlock(&hub->lock);
    return n;
}

void tz_call_note_change(struct tz_call *call, const struct tz_item *it)
{
    if (call->n_changes == TZ_CALL_MAX_CHANGES)
        return; /* a bulk write: the one "refresh" change below says it all */
    struct tz_change *c = &call->changes[call->n_changes++];
    memset(c, 0, sizeof(*c));
    c->item_id = it ? it->id : 0;
    if (!it)
        return;
    snprintf(c->code, sizeof(c->code), "%s", it->code ? it->code : "");
    snprintf(c->ledger, sizeof(c->ledger), "%s", it->ledger ? it->ledger : "");
    c->state = it->state;
    c->light = it->light;
    c->version = it->version;
    c->lead_unit_id = it->lead_unit_id;
    c->n_co_units = it->n_co_units < TZ_CHANGE_MAX_CO ? it->n_co_units : TZ_CHANGE_MAX_CO;
    if (c->n_co_units)
        memcpy(c->co_unit_ids, it->co_unit_ids, c->n_co_units * sizeof(int64_t));
    c->was_assigned = it->assigned_at != NULL || it->assigned_day != TZ_DAY_NONE;
}

void tz_call_publish_changes(struct tz_call *call)
{
    if (call->n_changes == TZ_CALL_MAX_CHANGES) {
        struct tz_change all = {.item_id = 0};
        publish(call->ctx->hub, &all, 1);
    } else {
        publish(call->ctx->hub, call->changes, call->n_changes);
    }
    call->n_changes = 0;
}

void tz_change_json(const struct tz_change *c, struct tz_strbuf *sb)
{
    if (c->item_id == 0) {
        tz_strbuf_addstr(sb, "{\"id\":0,\"refresh\":true}");
        return;
    }
    tz_strbuf_addf(sb, "{\"id\":%lld,\"code\":", (long long)c->item_id);
    tz_strbuf_add_json_str(sb, c->code, strlen(c->code));
    tz_strbuf_addf(sb, ",\"ledger\":\"%s\",\"status\":\"%s\",\"light\":\"%s\",\"version\":%lld",
                   c->ledger, tz_state_name(c->state), tz_light_name(c->light),
                   (long long)c->version);
    tz_strbuf_addstr(sb, ",\"lead_unit_id\":");
    if (c->lead_unit_id)
        tz_strbuf_addf(sb, "%lld", (long long)c->lead_unit_id);
    else
        tz_strbuf_addstr(sb, "null");
    tz_strbuf_addch(sb, '}');
}

/* ---- several servers on one database ------------------------------------------ */

/*
 * An announcement is text: a first line "tz1 INSTANCE" (the sending server),
 * then a line per change: "id version state light lead assigned ledger co,co|- code"
 * (the code last: it is the only field that could hold a space). Item id 0 is
 * the "refresh everything" change, as in the hub.
 */
static void change_line(const struct tz_change *c, struct tz_strbuf *sb)
{
    tz_strbuf_addf(sb, "\n%lld %lld %s %s %lld %d %s ", (long long)c->item_id,
                   (long long)c->version, tz_state_name(c->state), tz_light_name(c->light),
                   (long long)c->lead_unit_id, c->was_assigned ? 1 : 0,
                   c->ledger[0] ? c->ledger : "-");
    for (size_t k = 0; k < c->n_co_units; k++)
        tz_strbuf_addf(sb, "%s%lld", k ? "," : "", (long long)c->co_unit_ids[k]);
    tz_strbuf_addf(sb, "%s %s", c->n_co_units ? "" : "-", c->code);
}

enum tz_status tz_call_announce(struct tz_call *call, struct tz_err *err)
{
    const struct tz_store_ops *ops = call->ctx->store->ops;
    if (!ops->announce)
        return TZ_OK;
    struct tz_strbuf sb = TZ_STRBUF_INIT;
    tz_strbuf_addf(&sb, "tz1 %016llx", (unsigned long long)call->ctx->instance);
    if (call->n_changes == TZ_CALL_MAX_CHANGES) {
        struct tz_change all = {.item_id = 0};
        change_line(&all, &sb);
    } else {
        for (size_t i = 0; i < call->n_changes; i++)
            change_line(&call->changes[i], &sb);
    }
    enum tz_status s = ops->announce(call->conn, sb.buf, err);
    tz_strbuf_release(&sb);
    return s;
}

/* One change line back into a change; false when it does not read as one. */
static bool parse_change(const char *line, struct tz_change *c)
{
    char state[24], light[16], ledger[sizeof(c->ledger)], co[256];
    long long id, version, lead;
    int assigned, used = 0;
    memset(c, 0, sizeof(*c));
    if (sscanf(line, "%lld %lld %23s %15s %lld %d %23s %255s %n", &id, &version, state, light,
               &lead, &assigned, ledger, co, &used) < 8 ||
        !used)
        return false;
    c->item_id = id;
    c->version = version;
    c->lead_unit_id = lead;
    c->was_assigned = assigned != 0;
    if (id && (!tz_state_parse(state, &c->state) || !tz_light_parse(light, &c->light)))
        return false;
    snprintf(c->ledger, sizeof(c->ledger), "%s", strcmp(ledger, "-") ? ledger : "");
    for (char *p = co; strcmp(co, "-") && *p && c->n_co_units < TZ_CHANGE_MAX_CO;) {
        c->co_unit_ids[c->n_co_units++] = strtoll(p, &p, 10);
        if (*p == ',')
            p++;
        else
            break;
    }
    size_t len = strcspn(line + used, "\n");
    snprintf(c->code, sizeof(c->code), "%.*s", (int)len, line + used);
    return true;
}

void tz_ctx_heard(const char *payload, void *arg)
{
    struct tz_ctx *ctx = arg;
    unsigned long long from = 0;
    struct tz_change changes[TZ_CALL_MAX_CHANGES];
    size_t n = 0;
    if (payload) {
        if (sscanf(payload, "tz1 %llx", &from) != 1)
            return; /* not ours */
        if (from == ctx->instance)
            return; /* this server published its own changes at its commit */
        for (const char *line = strchr(payload, '\n'); line && n < TZ_CALL_MAX_CHANGES;
             line = strchr(line + 1, '\n'))
            if (parse_change(line + 1, &changes[n]))
                n++;
    } else {
        /* the listener was away: anything may have changed */
        changes[n++] = (struct tz_change){.item_id = 0};
    }
    /* caches and snapshots follow the store's generation (tz_call_init): only streams here */
    if (n)
        publish(ctx->hub, changes, n);
}
