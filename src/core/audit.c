/*
 * audit.c - the tamper-evident audit chain (see audit.h, SPEC 2.7).
 *
 * DESIGN
 *
 * Each entry is sealed with hash = H(prev_hash || canonical entry), where
 * prev_hash is fed as its 64 lower-case hex ASCII characters and the canonical
 * entry is compact JSON in a fixed key order:
 *
 *   {"seq":N,"at":"...","actor":"...","ip":"...","action":"...","target":"...","detail":D}
 *
 * Strings are escaped by tz_strbuf_add_json_str (UTF-8 kept as is, quotes,
 * backslashes and control characters escaped); a NULL string is written as "".
 * D is the entry's detail JSON text embedded byte for byte, not re-encoded, so
 * whoever stores an entry must store detail exactly as it was sealed; a NULL or
 * empty detail is written as {}. Hashes are kept as lower-case hex text, which
 * is what the next entry hashes and what the verifier compares.
 *
 * H is SM3 (GB/T 32905) or SHA-256, fetched from the default OpenSSL 3 provider
 * once per process (pthread_once; a fetched EVP_MD is immutable and may be
 * shared by threads: each digest has its own context), so every function here
 * is thread-safe. The fetch was a quarter of an entry's sealing (an import
 * seals 100 000 entries). A
 * hasher with a non-empty key uses HMAC-H instead (EVP_MAC "HMAC"); an empty
 * key counts as no key.
 *
 * The verifier walks entries in the order they are fed. An entry breaks the
 * chain when its seq is not the previous seq + 1 (1 for the first), when its
 * prev_hash differs from the previous entry's stored hash (64 zeros for the
 * first), or when its stored hash differs from the recomputed one. The first
 * broken entry's seq is remembered; after a break the walk resynchronises on
 * the entry just fed, so later entries are still checked against their own
 * predecessor and counted. A deleted entry therefore shows as a break at the
 * next seq; a truncated tail is not visible to the chain by itself.
 */
#include "tz/audit.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <inttypes.h>
#include <pthread.h>
#include <string.h>
#include <strings.h>

#define DIGEST_LEN 32 /* both SM3 and SHA-256 */

_Static_assert(TZ_HASH_HEX == 2 * DIGEST_LEN + 1, "hex digest size");

static const char zero_hash[TZ_HASH_HEX] =
    "0000000000000000000000000000000000000000000000000000000000000000";

/* OpenSSL's fetch name of a digest. */
static const char *md_name(enum tz_hash_alg alg)
{
    return alg == TZ_HASH_SHA256 ? "SHA256" : "SM3";
}

const char *tz_hash_alg_name(enum tz_hash_alg alg, bool keyed)
{
    if (alg == TZ_HASH_SHA256)
        return keyed ? "HMAC-SHA-256" : "SHA-256";
    return keyed ? "HMAC-SM3" : "SM3";
}

bool tz_hash_alg_parse(const char *s, enum tz_hash_alg *out)
{
    if (!s)
        return false;
    if (strcasecmp(s, "SM3") == 0) {
        *out = TZ_HASH_SM3;
        return true;
    }
    if (strcasecmp(s, "SHA-256") == 0 || strcasecmp(s, "SHA256") == 0) {
        *out = TZ_HASH_SHA256;
        return true;
    }
    return false;
}

static void add_field(struct tz_strbuf *out, const char *key, const char *value)
{
    tz_strbuf_addstr(out, key);
    if (!value)
        value = "";
    tz_strbuf_add_json_str(out, value, strlen(value));
}

void tz_audit_canonical(const struct tz_audit_entry *e, struct tz_strbuf *out)
{
    tz_strbuf_addf(out, "{\"seq\":%" PRId64, e->seq);
    add_field(out, ",\"at\":", e->at);
    add_field(out, ",\"actor\":", e->actor);
    add_field(out, ",\"ip\":", e->ip);
    add_field(out, ",\"action\":", e->action);
    add_field(out, ",\"target\":", e->target);
    tz_strbuf_addstr(out, ",\"detail\":");
    tz_strbuf_addstr(out, e->detail && e->detail[0] ? e->detail : "{}");
    tz_strbuf_addch(out, '}');
}

static bool is_keyed(const struct tz_audit_hasher *h)
{
    return h->key && h->key_len > 0;
}

static EVP_MD *fetched_md[2]; /* by enum tz_hash_alg; NULL if the fetch failed */
static pthread_once_t fetch_once = PTHREAD_ONCE_INIT;

static void fetch_digests(void)
{
    fetched_md[TZ_HASH_SM3] = EVP_MD_fetch(NULL, md_name(TZ_HASH_SM3), NULL);
    fetched_md[TZ_HASH_SHA256] = EVP_MD_fetch(NULL, md_name(TZ_HASH_SHA256), NULL);
}

/* H(a || b) into md; false on any OpenSSL failure. */
static bool plain_digest(enum tz_hash_alg alg, const void *a, size_t a_len, const void *b,
                         size_t b_len, unsigned char md[DIGEST_LEN])
{
    pthread_once(&fetch_once, fetch_digests);
    const EVP_MD *type = fetched_md[alg == TZ_HASH_SHA256 ? TZ_HASH_SHA256 : TZ_HASH_SM3];
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    unsigned int md_len = 0;
    bool ok = false;

    if (!type || !ctx || EVP_MD_get_size(type) != DIGEST_LEN)
        goto out;
    if (!EVP_DigestInit_ex(ctx, type, NULL) || !EVP_DigestUpdate(ctx, a, a_len) ||
        !EVP_DigestUpdate(ctx, b, b_len) || !EVP_DigestFinal_ex(ctx, md, &md_len))
        goto out;
    ok = md_len == DIGEST_LEN;
out:
    EVP_MD_CTX_free(ctx);
    return ok;
}

/* HMAC-H(key, a || b) into md; false on any OpenSSL failure. */
static bool keyed_digest(const struct tz_audit_hasher *h, const void *a, size_t a_len,
                         const void *b, size_t b_len, unsigned char md[DIGEST_LEN])
{
    EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    EVP_MAC_CTX *ctx = mac ? EVP_MAC_CTX_new(mac) : NULL;
    OSSL_PARAM params[2];
    size_t md_len = 0;
    bool ok = false;

    if (!ctx)
        goto out;
    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)md_name(h->alg), 0);
    params[1] = OSSL_PARAM_construct_end();
    if (!EVP_MAC_init(ctx, h->key, h->key_len, params) ||
        EVP_MAC_CTX_get_mac_size(ctx) != DIGEST_LEN)
        goto out;
    if (!EVP_MAC_update(ctx, a, a_len) || !EVP_MAC_update(ctx, b, b_len) ||
        !EVP_MAC_final(ctx, md, &md_len, DIGEST_LEN))
        goto out;
    ok = md_len == DIGEST_LEN;
out:
    EVP_MAC_CTX_free(ctx);
    EVP_MAC_free(mac);
    return ok;
}

/* Computes the lower-case hex hash of e into hex; false if the digest fails. */
static bool compute_hash(const struct tz_audit_hasher *h, const struct tz_audit_entry *e,
                         char hex[TZ_HASH_HEX])
{
    static const char digits[] = "0123456789abcdef";
    struct tz_strbuf canon = TZ_STRBUF_INIT;
    unsigned char md[DIGEST_LEN];
    size_t prev_len = strnlen(e->prev_hash, TZ_HASH_HEX - 1);
    bool ok;

    tz_audit_canonical(e, &canon);
    if (is_keyed(h))
        ok = keyed_digest(h, e->prev_hash, prev_len, canon.buf, canon.len, md);
    else
        ok = plain_digest(h->alg, e->prev_hash, prev_len, canon.buf, canon.len, md);
    tz_strbuf_release(&canon);
    if (!ok) {
        hex[0] = '\0';
        return false;
    }
    for (size_t i = 0; i < DIGEST_LEN; i++) {
        hex[2 * i] = digits[md[i] >> 4];
        hex[2 * i + 1] = digits[md[i] & 15];
    }
    hex[2 * DIGEST_LEN] = '\0';
    return true;
}

enum tz_status tz_audit_seal(const struct tz_audit_hasher *h, struct tz_audit_entry *e,
                             struct tz_err *err)
{
    if (!compute_hash(h, e, e->hash))
        return tz_err_set(err, TZ_EINTERNAL, "'%s' digest failed",
                          tz_hash_alg_name(h->alg, is_keyed(h)));
    return TZ_OK;
}

/* True if the two hex hashes are the same 64 characters. Neither need be NUL-terminated. */
static bool hash_eq(const char a[TZ_HASH_HEX], const char b[TZ_HASH_HEX])
{
    return strnlen(a, TZ_HASH_HEX) == TZ_HASH_HEX - 1 &&
           strnlen(b, TZ_HASH_HEX) == TZ_HASH_HEX - 1 && CRYPTO_memcmp(a, b, TZ_HASH_HEX - 1) == 0;
}

void tz_audit_verifier_init(struct tz_audit_verifier *v, const struct tz_audit_hasher *h)
{
    v->hasher = *h;
    v->checked = 0;
    v->expect_seq = 1;
    memcpy(v->last_hash, zero_hash, TZ_HASH_HEX);
    v->first_broken_seq = 0;
}

bool tz_audit_verifier_feed(struct tz_audit_verifier *v, const struct tz_audit_entry *e)
{
    char recomputed[TZ_HASH_HEX];
    bool ok = e->seq == v->expect_seq;

    if (!hash_eq(e->prev_hash, v->last_hash))
        ok = false;
    if (!compute_hash(&v->hasher, e, recomputed) || !hash_eq(e->hash, recomputed))
        ok = false;

    v->checked++;
    if (!ok && v->first_broken_seq == 0)
        v->first_broken_seq = e->seq > 0 ? e->seq : v->expect_seq;
    /* Resynchronise on this entry, so that one break is reported once. */
    v->expect_seq = e->seq < INT64_MAX ? e->seq + 1 : INT64_MAX;
    memcpy(v->last_hash, e->hash, TZ_HASH_HEX - 1);
    v->last_hash[TZ_HASH_HEX - 1] = '\0';
    return ok;
}
