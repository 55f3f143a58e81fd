/*
 * audit.h - the tamper-evident audit chain (SPEC 2.7).
 *
 * hash = H(prev_hash || canonical entry), H = SM3 by default, SHA-256
 * selectable, HMAC-H when a key is configured. prev_hash is the 64 lower-case
 * hex characters of the previous entry's hash (64 zeros for seq 1), fed as ASCII.
 * The canonical entry is compact UTF-8 JSON of {seq, at, actor, ip, action,
 * target, detail} in that key order, where detail is a JSON value embedded as is.
 * Pure (hashing is OpenSSL EVP, no I/O); thread-safe.
 */
#ifndef TZ_AUDIT_H
#define TZ_AUDIT_H

#include "tz/err.h"
#include "tz/strbuf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TZ_HASH_HEX 65 /* 64 hex digits and a NUL */

enum tz_hash_alg { TZ_HASH_SM3, TZ_HASH_SHA256 };

/* "SM3" / "SHA-256" (HMAC-SM3 / HMAC-SHA-256 when keyed). */
const char *tz_hash_alg_name(enum tz_hash_alg alg, bool keyed);
bool tz_hash_alg_parse(const char *s, enum tz_hash_alg *out);

struct tz_audit_entry {
    int64_t seq;
    const char *at;     /* real-clock timestamp text */
    const char *actor;  /* user name, or "-" */
    const char *ip;     /* client address, or "-" */
    const char *action; /* "login", "login_failed", "item.assign", "deny", ... */
    const char *target; /* "item:12", "user:3", ... or "" */
    const char *detail; /* JSON text of a value, "{}" when none */
    char prev_hash[TZ_HASH_HEX];
    char hash[TZ_HASH_HEX];
};

/* The key for HMAC, or none (key NULL). */
struct tz_audit_hasher {
    enum tz_hash_alg alg;
    const unsigned char *key;
    size_t key_len;
};

/* Appends the canonical entry to out. */
void tz_audit_canonical(const struct tz_audit_entry *e, struct tz_strbuf *out);

/* Computes e->hash from e->prev_hash and the canonical entry. 500 if the digest fails. */
enum tz_status tz_audit_seal(const struct tz_audit_hasher *h, struct tz_audit_entry *e,
                             struct tz_err *err);

/* Walks a chain in seq order. Feed every entry; the first break is remembered. */
struct tz_audit_verifier {
    struct tz_audit_hasher hasher;
    int64_t checked;
    int64_t expect_seq;
    char last_hash[TZ_HASH_HEX];
    int64_t first_broken_seq; /* 0 while intact */
};

void tz_audit_verifier_init(struct tz_audit_verifier *v, const struct tz_audit_hasher *h);
/*
 * Checks one entry: seq follows the previous one, prev_hash equals the previous
 * hash, and hash is the recomputed one. Returns false at the first break (and
 * records its seq); later entries are still counted.
 */
bool tz_audit_verifier_feed(struct tz_audit_verifier *v, const struct tz_audit_entry *e);

#endif
