/*
 * app_search.c - Chinese full-text search over items and policies
 * (GET /search?q=), ranked, with highlighted snippets.
 *
 * The store finds candidate ids (FTS5 trigram for three characters or more, a
 * substring scan below that); this file decides what each caller may see, and
 * cuts the snippet around the first match, HTML-escaped with the match in
 * <mark></mark>. The searchable text is composed here, once per change, from
 * the code, title, description, source, leader and the kind-specific fields —
 * never from protected personal data (a petitioner's name and contact), so a
 * search can neither match nor show them.
 */
#include "app_internal.h"
#include "tz/log.h"
#include "tz/loop.h"
#include "tz/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_HITS       500
#define SNIPPET_BEFORE 20 /* characters of context before the match */
#define SNIPPET_AFTER  40

static void add_value(struct tz_strbuf *sb, struct json_object *v)
{
    if (json_object_is_type(v, json_type_string)) {
        tz_strbuf_addstr(sb, json_object_get_string(v));
        tz_strbuf_addch(sb, '\n');
    } else if (json_object_is_type(v, json_type_array)) {
        for (size_t i = 0; i < json_object_array_length(v); i++)
            add_value(sb, json_object_array_get_idx(v, i));
    } else if (json_object_is_type(v, json_type_object)) {
        json_object_object_foreach(v, key, val)
        {
            (void)key;
            add_value(sb, val);
        }
    }
}

/* ---- the fields' strings read from their JSON text --------------------------- */

static int hex_digit(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* Four hex digits at p, or -1. */
static long hex4(const char *p)
{
    long v = 0;
    for (int i = 0; i < 4; i++) {
        int d = hex_digit(p[i]);
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

static void add_utf8(struct tz_strbuf *sb, unsigned long cp)
{
    if (cp < 0x80) {
        tz_strbuf_addch(sb, (char)cp);
    } else if (cp < 0x800) {
        tz_strbuf_addch(sb, (char)(0xC0 | (cp >> 6)));
        tz_strbuf_addch(sb, (char)(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        tz_strbuf_addch(sb, (char)(0xE0 | (cp >> 12)));
        tz_strbuf_addch(sb, (char)(0x80 | ((cp >> 6) & 0x3F)));
        tz_strbuf_addch(sb, (char)(0x80 | (cp & 0x3F)));
    } else {
        tz_strbuf_addch(sb, (char)(0xF0 | (cp >> 18)));
        tz_strbuf_addch(sb, (char)(0x80 | ((cp >> 12) & 0x3F)));
        tz_strbuf_addch(sb, (char)(0x80 | ((cp >> 6) & 0x3F)));
        tz_strbuf_addch(sb, (char)(0x80 | (cp & 0x3F)));
    }
}

/* A \u escape at *pp (after the backslash-u), surrogate pairs joined; 0 if unusable. */
static unsigned long unicode_escape(const char **pp)
{
    long hi = hex4(*pp);
    if (hi <= 0)
        return 0; /* \u0000 cuts json-c's string: leave such text to json-c */
    *pp += 4;
    if (hi < 0xD800 || hi > 0xDFFF)
        return (unsigned long)hi;
    if (hi > 0xDBFF || (*pp)[0] != '\\' || (*pp)[1] != 'u')
        return 0;
    long lo = hex4(*pp + 2);
    if (lo < 0xDC00 || lo > 0xDFFF)
        return 0;
    *pp += 6;
    return 0x10000 + (((unsigned long)hi - 0xD800) << 10) + ((unsigned long)lo - 0xDC00);
}

/* The JSON string at *pp (at its opening quote), unescaped into out if out; false if malformed. */
static bool read_string(const char **pp, struct tz_strbuf *out)
{
    const char *p = *pp + 1;
    for (;;) {
        const char *run = p;
        while (*p && *p != '"' && *p != '\\')
            p++;
        if (out)
            tz_strbuf_add(out, run, (size_t)(p - run));
        if (*p == '"')
            break;
        if (!*p || !p[1])
            return false;
        char c = p[1];
        p += 2;
        const char *plain = c == '"'    ? "\""
                            : c == '\\' ? "\\"
                            : c == '/'  ? "/"
                            : c == 'b'  ? "\b"
                            : c == 'f'  ? "\f"
                            : c == 'n'  ? "\n"
                            : c == 'r'  ? "\r"
                            : c == 't'  ? "\t"
                                        : NULL;
        if (plain) {
            if (out)
                tz_strbuf_addch(out, plain[0]);
        } else if (c == 'u') {
            unsigned long cp = unicode_escape(&p);
            if (!cp)
                return false;
            if (out)
                add_utf8(out, cp);
        } else {
            return false;
        }
    }
    *pp = p + 1;
    return true;
}

static void skip_space(const char **pp)
{
    while (**pp == ' ' || **pp == '\n' || **pp == '\r' || **pp == '\t')
        (*pp)++;
}

/*
 * The strings of the JSON value at *pp, each followed by a line break, into
 * sb if sb (add_value's text for json-c's tree); at the top level the
 * protected keys are passed over. False on anything unexpected.
 */
static bool walk_value(const char **pp, struct tz_strbuf *sb, bool top, int depth)
{
    skip_space(pp);
    if (depth > 32)
        return false;
    if (**pp == '"') {
        if (!read_string(pp, sb))
            return false;
        if (sb)
            tz_strbuf_addch(sb, '\n');
        return true;
    }
    if (**pp == '[' || **pp == '{') {
        bool object = **pp == '{';
        char close = object ? '}' : ']';
        (*pp)++;
        skip_space(pp);
        if (**pp == close) {
            (*pp)++;
            return true;
        }
        for (;;) {
            struct tz_strbuf *into = sb;
            if (object) {
                skip_space(pp);
                const char *key = *pp;
                if (**pp != '"' || !read_string(pp, NULL))
                    return false;
                size_t klen = (size_t)(*pp - key);
                if (top && memchr(key, '\\', klen))
                    return false; /* an escaped key: json-c compares it unescaped */
                if (top && ((klen == 12 && memcmp(key, "\"petitioner\"", 12) == 0) ||
                            (klen == 9 && memcmp(key, "\"contact\"", 9) == 0)))
                    into = NULL;
                skip_space(pp);
                if (**pp != ':')
                    return false;
                (*pp)++;
            }
            if (!walk_value(pp, into, false, depth + 1))
                return false;
            skip_space(pp);
            if (**pp == close) {
                (*pp)++;
                return true;
            }
            if (**pp != ',')
                return false;
            (*pp)++;
        }
    }
    /* a number, true, false or null: no text */
    const char *start = *pp;
    while (**pp && strchr(",]} \n\r\t", **pp) == NULL)
        (*pp)++;
    return *pp > start;
}

/* The fields' strings (as add_value walks json-c's tree) read from the text; false if unsure. */
static bool fields_text(const char *json, struct tz_strbuf *body)
{
    struct tz_strbuf tmp = TZ_STRBUF_INIT;
    const char *p = json;
    bool ok = *json == '{' && walk_value(&p, &tmp, true, 0);
    skip_space(&p);
    ok = ok && *p == '\0';
    if (ok)
        tz_strbuf_add(body, tmp.buf, tmp.len);
    tz_strbuf_release(&tmp);
    return ok;
}

/* The fields' strings through json-c (the text reader's fallback). */
static void fields_text_jsonc(const char *text, struct tz_strbuf *body)
{
    struct tz_err ignore;
    struct json_object *fields = tz_json_parse(text, strlen(text), &ignore);
    if (!fields)
        return;
    json_object_object_del(fields, "petitioner");
    json_object_object_del(fields, "contact");
    add_value(body, fields);
    json_object_put(fields);
}

void tz_app_search_text(const struct tz_item *it, struct tz_strbuf *body)
{
    tz_strbuf_addf(body, "%s\n%s\n%s\n%s\n", it->code ? it->code : "",
                   it->description ? it->description : "", it->source ? it->source : "",
                   it->leader ? it->leader : "");
    const char *text = it->fields_json ? it->fields_json : "{}";
#ifdef TZ_CORE_TEXT_CHECK
    struct tz_strbuf a = TZ_STRBUF_INIT, b = TZ_STRBUF_INIT;
    if (fields_text(text, &a)) {
        fields_text_jsonc(text, &b);
        if (strcmp(a.buf, b.buf) != 0) {
            fprintf(stderr, "search text differs from json-c's:\n%s\n%s\n", a.buf, b.buf);
            abort();
        }
    }
    tz_strbuf_release(&a);
    tz_strbuf_release(&b);
#endif
    if (!fields_text(text, body))
        fields_text_jsonc(text, body);
}

enum tz_status tz_app_search_index(struct tz_call *call, const struct tz_item *it,
                                   struct tz_err *err)
{
    struct tz_strbuf body = TZ_STRBUF_INIT;
    tz_app_search_text(it, &body);
    enum tz_status s =
        TZ_STORE(call->conn)->search_put(call->conn, it->id, it->title, body.buf, err);
    tz_strbuf_release(&body);
    return s;
}

static void add_escaped(struct tz_strbuf *sb, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        switch (s[i]) {
        case '<':
            tz_strbuf_addstr(sb, "&lt;");
            break;
        case '>':
            tz_strbuf_addstr(sb, "&gt;");
            break;
        case '&':
            tz_strbuf_addstr(sb, "&amp;");
            break;
        case '"':
            tz_strbuf_addstr(sb, "&quot;");
            break;
        case '\n':
            tz_strbuf_addch(sb, ' ');
            break;
        default:
            tz_strbuf_addch(sb, s[i]);
        }
    }
}

/* Moves back or forward n UTF-8 characters from p within [start, end). */
static const char *back_chars(const char *start, const char *p, int n)
{
    while (n > 0 && p > start) {
        p--;
        if (((unsigned char)*p & 0xC0) != 0x80)
            n--;
    }
    return p;
}

static const char *ahead_chars(const char *p, const char *end, int n)
{
    while (n > 0 && p < end) {
        p++;
        while (p < end && ((unsigned char)*p & 0xC0) == 0x80)
            p++;
        n--;
    }
    return p;
}

/* The snippet of text around the first q, escaped, q marked; NULL when q is not in text. */
static const char *snippet(struct tz_arena *a, const char *text, const char *q)
{
    const char *hit = strstr(text, q);
    if (!hit)
        return NULL;
    size_t qlen = strlen(q), tlen = strlen(text);
    const char *from = back_chars(text, hit, SNIPPET_BEFORE);
    const char *to = ahead_chars(hit + qlen, text + tlen, SNIPPET_AFTER);
    struct tz_strbuf sb = TZ_STRBUF_INIT;
    if (from > text)
        tz_strbuf_addstr(&sb, "…");
    for (const char *p = from; p < to;) {
        const char *m = strstr(p, q);
        if (!m || m >= to) {
            add_escaped(&sb, p, (size_t)(to - p));
            break;
        }
        add_escaped(&sb, p, (size_t)(m - p));
        tz_strbuf_addstr(&sb, "<mark>");
        add_escaped(&sb, m, qlen);
        tz_strbuf_addstr(&sb, "</mark>");
        p = m + qlen;
    }
    if (to < text + tlen)
        tz_strbuf_addstr(&sb, "…");
    const char *out = tz_arena_strdup(a, sb.buf);
    tz_strbuf_release(&sb);
    return out;
}

enum tz_status tz_app_search(struct tz_call *call, const char *q, int page, int per_page,
                             struct json_object **out, struct tz_err *err)
{
    if (!(call->actor.roles & TZ_ROLES_ITEM))
        return tz_err_set(err, TZ_EFORBIDDEN, "search is for item readers");
    if (!q || !*q)
        return tz_err_field(err, TZ_EINVAL, "q", "'q' is required");
    if (strlen(q) > 200)
        return tz_err_field(err, TZ_EINVAL, "q", "'q' is longer than 200 bytes");
    int64_t *ids = NULL;
    size_t n = 0;
    enum tz_status s =
        TZ_STORE(call->conn)->search(call->conn, q, MAX_HITS, call->arena, &ids, &n, err);
    if (s != TZ_OK)
        return s;
    struct json_object *arr = json_object_new_array();
    int64_t total = 0, first = (int64_t)(page - 1) * per_page;
    for (size_t i = 0; i < n; i++) {
        struct tz_item it;
        struct tz_err ignore;
        if (TZ_STORE(call->conn)->item_get(call->conn, ids[i], call->arena, &it, &ignore) !=
                TZ_OK ||
            !tz_loop_visible(&it, &call->actor))
            continue;
        total++;
        if (total <= first || total > first + per_page)
            continue;
        struct tz_strbuf body = TZ_STRBUF_INIT;
        tz_app_search_text(&it, &body);
        const char *snip = snippet(call->arena, it.title, q);
        if (!snip)
            snip = snippet(call->arena, body.buf, q);
        tz_strbuf_release(&body);
        struct json_object *o = json_object_new_object();
        json_object_object_add(o, "id", json_object_new_int64(it.id));
        json_object_object_add(o, "ledger", json_object_new_string(it.ledger));
        json_object_object_add(o, "code", json_object_new_string(it.code));
        json_object_object_add(o, "title", json_object_new_string(it.title));
        json_object_object_add(o, "status", json_object_new_string(tz_state_name(it.state)));
        json_object_object_add(o, "light", json_object_new_string(tz_light_name(it.light)));
        json_object_object_add(o, "snippet", json_object_new_string(snip ? snip : ""));
        json_object_array_add(arr, o);
    }
    *out = json_object_new_object();
    json_object_object_add(*out, "results", arr);
    json_object_object_add(*out, "total", json_object_new_int64(total));
    json_object_object_add(*out, "page", json_object_new_int(page));
    json_object_object_add(*out, "per_page", json_object_new_int(per_page));
    return TZ_OK;
}

struct backfill {
    struct tz_call *call;
    struct tz_err *err;
    int64_t n;
};

static enum tz_status backfill_one(const struct tz_item *it, void *arg)
{
    struct backfill *b = arg;
    b->n++;
    return tz_app_search_index(b->call, it, b->err);
}

enum tz_status tz_app_search_backfill(struct tz_ctx *ctx, struct tz_err *err)
{
    struct tz_arena a;
    struct tz_call call;
    const char *done = NULL;
    tz_arena_init(&a);
    tz_call_init(&call, ctx, &a, "-");
    enum tz_status s = TZ_STORE(call.conn)->meta_get(call.conn, "search_indexed", &a, &done, err);
    if (s == TZ_OK && !(done && strcmp(done, "1") == 0)) {
        /* items written before the search index existed: index them once */
        struct backfill b = {&call, err, 0};
        s = TZ_STORE(call.conn)->begin(call.conn, err);
        if (s == TZ_OK)
            s = TZ_STORE(call.conn)->item_each(call.conn, backfill_one, &b, err);
        if (s == TZ_OK)
            s = TZ_STORE(call.conn)->meta_set(call.conn, "search_indexed", "1", err);
        if (s == TZ_OK)
            s = TZ_STORE(call.conn)->commit(call.conn, err);
        else
            TZ_STORE(call.conn)->rollback(call.conn);
        if (s == TZ_OK && b.n)
            tz_info("search: indexed %lld items written before the index existed", (long long)b.n);
    }
    tz_call_release(&call);
    tz_arena_release(&a);
    return s;
}
