/*
 * test_audit.c - the audit chain (audit.h, SPEC 2.7).
 *
 * The digests are pinned twice: the raw SM3 and SHA-256 test vectors (GB/T
 * 32905 appendix A, FIPS 180-2) go through OpenSSL directly, and then a sealed
 * entry is compared with H(prev_hash || canonical) computed here by hand, so
 * that tz_audit_seal is shown to hash exactly those bytes. The canonical JSON is
 * pinned byte for byte. A chain of CHAIN_LEN entries is built, verified, and
 * then damaged one field, one deletion and one swap at a time; each damage must
 * be reported at the seq where it happened.
 */
#include "tz/audit.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#define CHAIN_LEN 50

static const char zeros[] = "0000000000000000000000000000000000000000000000000000000000000000";

static void to_hex(const unsigned char *md, size_t len, char *hex)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < len; i++) {
        hex[2 * i] = digits[md[i] >> 4];
        hex[2 * i + 1] = digits[md[i] & 15];
    }
    hex[2 * len] = '\0';
}

/* H(a || b) as hex, computed with OpenSSL directly; HMAC-H when key is not NULL. */
static void reference_hex(const char *md_name, const unsigned char *key, size_t key_len,
                          const char *a, const char *b, size_t b_len, char hex[TZ_HASH_HEX])
{
    EVP_MD *md = EVP_MD_fetch(NULL, md_name, NULL);
    struct tz_strbuf data = TZ_STRBUF_INIT;
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int out_len = 0;

    assert_non_null(md);
    tz_strbuf_addstr(&data, a);
    tz_strbuf_add(&data, b, b_len);
    if (key)
        assert_non_null(
            HMAC(md, key, (int)key_len, (const unsigned char *)data.buf, data.len, out, &out_len));
    else
        assert_int_equal(EVP_Digest(data.buf, data.len, out, &out_len, md, NULL), 1);
    assert_int_equal(out_len, 32);
    to_hex(out, out_len, hex);
    tz_strbuf_release(&data);
    EVP_MD_free(md);
}

static void raw_hex(const char *md_name, const char *data, size_t len, char hex[TZ_HASH_HEX])
{
    reference_hex(md_name, NULL, 0, "", data, len, hex);
}

/* A chain whose strings live in the chain itself, so fields can be swapped in tests. */
struct chain {
    struct tz_audit_entry e[CHAIN_LEN];
    char at[CHAIN_LEN][32];
    char target[CHAIN_LEN][32];
    char detail[CHAIN_LEN][64];
};

static const char *const actors[] = {"admin", "张三", "李四", "-"};
static const char *const actions[] = {"login", "item.assign", "deny", "export"};

static void chain_build(struct chain *c, const struct tz_audit_hasher *h)
{
    struct tz_err err;
    for (int i = 0; i < CHAIN_LEN; i++) {
        struct tz_audit_entry *e = &c->e[i];
        snprintf(c->at[i], sizeof(c->at[i]), "2026-03-01T09:%02d:00+08:00", i);
        snprintf(c->target[i], sizeof(c->target[i]), "item:%d", 100 + i);
        snprintf(c->detail[i], sizeof(c->detail[i]), "{\"n\":%d,\"note\":\"第%d条\"}", i, i);
        e->seq = i + 1;
        e->at = c->at[i];
        e->actor = actors[i % 4];
        e->ip = i % 3 ? "10.0.0.7" : "-";
        e->action = actions[i % 4];
        e->target = c->target[i];
        e->detail = c->detail[i];
        memcpy(e->prev_hash, i ? c->e[i - 1].hash : zeros, TZ_HASH_HEX);
        assert_int_equal(tz_audit_seal(h, e, &err), TZ_OK);
        assert_int_equal(strlen(e->hash), 64);
    }
}

/*
 * Feeds n entries (a permutation or subset of the chain); returns first_broken_seq,
 * and in n_failed_out (may be NULL) how many feeds returned false.
 */
static int64_t verify(const struct tz_audit_hasher *h, const struct tz_audit_entry *const *list,
                      int n, int64_t *checked_out, int *n_failed_out)
{
    struct tz_audit_verifier v;
    int n_failed = 0;
    tz_audit_verifier_init(&v, h);
    for (int i = 0; i < n; i++)
        n_failed += !tz_audit_verifier_feed(&v, list[i]);
    if (checked_out)
        *checked_out = v.checked;
    if (n_failed_out)
        *n_failed_out = n_failed;
    return v.first_broken_seq;
}

static int64_t verify_chain(const struct tz_audit_hasher *h, const struct chain *c)
{
    const struct tz_audit_entry *list[CHAIN_LEN];
    int64_t checked;
    int64_t broken;
    for (int i = 0; i < CHAIN_LEN; i++)
        list[i] = &c->e[i];
    broken = verify(h, list, CHAIN_LEN, &checked, NULL);
    assert_int_equal(checked, CHAIN_LEN);
    return broken;
}

static const struct tz_audit_hasher sm3 = {.alg = TZ_HASH_SM3};
static const struct tz_audit_hasher sha256 = {.alg = TZ_HASH_SHA256};

static void one_entry(struct tz_audit_entry *e, const char *prev)
{
    memset(e, 0, sizeof(*e));
    e->seq = 1;
    e->at = "2026-03-01T09:30:00+08:00";
    e->actor = "admin";
    e->ip = "127.0.0.1";
    e->action = "login";
    e->target = "";
    e->detail = "{}";
    snprintf(e->prev_hash, sizeof(e->prev_hash), "%s", prev);
}

static void test_sm3_vectors(void **state)
{
    char abcd16[65] = "";
    char hex[TZ_HASH_HEX];
    (void)state;

    /* GB/T 32905-2016 appendix A, examples 1 and 2. */
    raw_hex("SM3", "abc", 3, hex);
    assert_string_equal(hex, "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
    for (int i = 0; i < 16; i++)
        memcpy(abcd16 + 4 * i, "abcd", 4);
    raw_hex("SM3", abcd16, 64, hex);
    assert_string_equal(hex, "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732");
}

static void test_seal_is_sm3_of_prev_and_canonical(void **state)
{
    struct tz_audit_entry e;
    struct tz_strbuf canon = TZ_STRBUF_INIT;
    struct tz_err err;
    char want[TZ_HASH_HEX];
    (void)state;

    /* With an empty prev_hash the hash is SM3 of the canonical entry alone. */
    one_entry(&e, "");
    tz_audit_canonical(&e, &canon);
    assert_int_equal(tz_audit_seal(&sm3, &e, &err), TZ_OK);
    raw_hex("SM3", canon.buf, canon.len, want);
    assert_string_equal(e.hash, want);

    /* With the first entry's prev_hash, the 64 zeros come first, as ASCII. */
    one_entry(&e, zeros);
    assert_int_equal(tz_audit_seal(&sm3, &e, &err), TZ_OK);
    reference_hex("SM3", NULL, 0, zeros, canon.buf, canon.len, want);
    assert_string_equal(e.hash, want);
    tz_strbuf_release(&canon);
}

static void test_sha256_mode(void **state)
{
    struct tz_audit_entry e, f;
    struct tz_strbuf canon = TZ_STRBUF_INIT;
    struct tz_err err;
    char want[TZ_HASH_HEX];
    (void)state;

    raw_hex("SHA256", "abc", 3, want);
    assert_string_equal(want, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");

    one_entry(&e, zeros);
    one_entry(&f, zeros);
    tz_audit_canonical(&e, &canon);
    assert_int_equal(tz_audit_seal(&sha256, &e, &err), TZ_OK);
    reference_hex("SHA256", NULL, 0, zeros, canon.buf, canon.len, want);
    assert_string_equal(e.hash, want);
    assert_int_equal(tz_audit_seal(&sm3, &f, &err), TZ_OK);
    assert_string_not_equal(e.hash, f.hash);
    tz_strbuf_release(&canon);
}

static void test_hmac_mode(void **state)
{
    static const unsigned char key[] = "audit-key-0123456789";
    const struct tz_audit_hasher keyed = {.alg = TZ_HASH_SM3, .key = key, .key_len = 20};
    const struct tz_audit_hasher keyed256 = {.alg = TZ_HASH_SHA256, .key = key, .key_len = 20};
    const struct tz_audit_hasher other_key = {.alg = TZ_HASH_SM3, .key = key, .key_len = 19};
    struct tz_audit_entry plain, mac;
    struct tz_strbuf canon = TZ_STRBUF_INIT;
    struct tz_err err;
    char want[TZ_HASH_HEX];
    struct chain *c = test_malloc(sizeof(*c));
    (void)state;

    one_entry(&plain, zeros);
    one_entry(&mac, zeros);
    tz_audit_canonical(&plain, &canon);
    assert_int_equal(tz_audit_seal(&sm3, &plain, &err), TZ_OK);
    assert_int_equal(tz_audit_seal(&keyed, &mac, &err), TZ_OK);
    assert_string_not_equal(plain.hash, mac.hash);
    reference_hex("SM3", key, 20, zeros, canon.buf, canon.len, want);
    assert_string_equal(mac.hash, want);

    assert_int_equal(tz_audit_seal(&keyed256, &mac, &err), TZ_OK);
    reference_hex("SHA256", key, 20, zeros, canon.buf, canon.len, want);
    assert_string_equal(mac.hash, want);

    /* A keyed chain verifies with its key only. */
    chain_build(c, &keyed);
    assert_int_equal(verify_chain(&keyed, c), 0);
    assert_int_equal(verify_chain(&sm3, c), 1);
    assert_int_equal(verify_chain(&other_key, c), 1);

    tz_strbuf_release(&canon);
    test_free(c);
}

static void test_canonical_exact_bytes(void **state)
{
    struct tz_audit_entry e = {
        .seq = 42,
        .at = "2026-03-01T09:30:00+08:00",
        .actor = "张三",
        .ip = "192.168.1.20",
        .action = "item.assign",
        .target = "item:12 \"整改\"\n第二行",
        .detail = "{\"unit\":\"城关区应急管理局\",\"n\":[1,2]}",
    };
    struct tz_strbuf out = TZ_STRBUF_INIT;
    static const char want[] =
        "{\"seq\":42,\"at\":\"2026-03-01T09:30:00+08:00\",\"actor\":\"张三\","
        "\"ip\":\"192.168.1.20\",\"action\":\"item.assign\","
        "\"target\":\"item:12 \\\"整改\\\"\\n第二行\","
        "\"detail\":{\"unit\":\"城关区应急管理局\",\"n\":[1,2]}}";
    (void)state;

    tz_audit_canonical(&e, &out);
    assert_int_equal(out.len, strlen(want));
    assert_memory_equal(out.buf, want, out.len);

    /* Appends: a second call adds a second copy. */
    tz_audit_canonical(&e, &out);
    assert_int_equal(out.len, 2 * strlen(want));
    tz_strbuf_release(&out);

    /* No detail is {}, a NULL string is "", a control character is \u escaped. */
    e.seq = 1;
    e.actor = "a\tb\001";
    e.target = NULL;
    e.detail = NULL;
    tz_audit_canonical(&e, &out);
    assert_string_equal(out.buf, "{\"seq\":1,\"at\":\"2026-03-01T09:30:00+08:00\","
                                 "\"actor\":\"a\\tb\\u0001\",\"ip\":\"192.168.1.20\","
                                 "\"action\":\"item.assign\",\"target\":\"\",\"detail\":{}}");
    tz_strbuf_release(&out);
}

static void test_chain_verifies(void **state)
{
    struct chain *c = test_malloc(sizeof(*c));
    struct tz_audit_verifier v;
    (void)state;

    chain_build(c, &sm3);
    tz_audit_verifier_init(&v, &sm3);
    for (int i = 0; i < CHAIN_LEN; i++)
        assert_true(tz_audit_verifier_feed(&v, &c->e[i]));
    assert_int_equal(v.checked, CHAIN_LEN);
    assert_int_equal(v.first_broken_seq, 0);

    chain_build(c, &sha256);
    assert_int_equal(verify_chain(&sha256, c), 0);
    /* The wrong algorithm breaks at once. */
    assert_int_equal(verify_chain(&sm3, c), 1);

    /* An empty chain is intact. */
    tz_audit_verifier_init(&v, &sm3);
    assert_int_equal(v.checked, 0);
    assert_int_equal(v.first_broken_seq, 0);
    test_free(c);
}

enum field { F_AT, F_ACTOR, F_IP, F_ACTION, F_TARGET, F_DETAIL, F_PREV, F_HASH, F_COUNT };

static void tamper(struct tz_audit_entry *e, enum field f)
{
    switch (f) {
    case F_AT:
        e->at = "2026-03-01T09:59:59+08:00";
        break;
    case F_ACTOR:
        e->actor = "王五";
        break;
    case F_IP:
        e->ip = "10.9.9.9";
        break;
    case F_ACTION:
        e->action = "item.close";
        break;
    case F_TARGET:
        e->target = "item:999";
        break;
    case F_DETAIL:
        e->detail = "{\"n\": 0}";
        break;
    case F_PREV:
        e->prev_hash[10] = e->prev_hash[10] == 'a' ? 'b' : 'a';
        break;
    case F_HASH:
        e->hash[63] = e->hash[63] == '0' ? '1' : '0';
        break;
    default:
        fail();
    }
}

static void test_tamper_each_field(void **state)
{
    static const int positions[] = {1, 2, 17, CHAIN_LEN - 1, CHAIN_LEN};
    struct chain *c = test_malloc(sizeof(*c));
    (void)state;

    chain_build(c, &sm3);
    for (size_t p = 0; p < sizeof(positions) / sizeof(positions[0]); p++) {
        int k = positions[p];
        for (int f = 0; f < F_COUNT; f++) {
            struct tz_audit_entry saved = c->e[k - 1];
            struct tz_audit_verifier v;

            tamper(&c->e[k - 1], (enum field)f);
            tz_audit_verifier_init(&v, &sm3);
            for (int i = 0; i < CHAIN_LEN; i++)
                assert_int_equal(tz_audit_verifier_feed(&v, &c->e[i]),
                                 i != k - 1 && !(f == F_HASH && i == k));
            assert_int_equal(v.checked, CHAIN_LEN);
            if (v.first_broken_seq != k)
                fail_msg("field %d of seq %d: broken at %lld", f, k, (long long)v.first_broken_seq);
            c->e[k - 1] = saved;
        }
    }
    assert_int_equal(verify_chain(&sm3, c), 0);
    test_free(c);
}

static void test_tamper_and_reseal(void **state)
{
    struct chain *c = test_malloc(sizeof(*c));
    struct tz_err err;
    (void)state;

    /* Rewriting an entry and sealing it again moves the break to the next entry. */
    chain_build(c, &sm3);
    c->e[19].actor = "王五";
    assert_int_equal(tz_audit_seal(&sm3, &c->e[19], &err), TZ_OK);
    assert_int_equal(verify_chain(&sm3, c), 21);

    /* The last entry can be rewritten unseen only by whoever can recompute H. */
    chain_build(c, &sm3);
    c->e[CHAIN_LEN - 1].actor = "王五";
    assert_int_equal(tz_audit_seal(&sm3, &c->e[CHAIN_LEN - 1], &err), TZ_OK);
    assert_int_equal(verify_chain(&sm3, c), 0);
    test_free(c);
}

static void test_deleted_entry(void **state)
{
    struct chain *c = test_malloc(sizeof(*c));
    const struct tz_audit_entry *list[CHAIN_LEN];
    (void)state;

    chain_build(c, &sm3);
    for (int k = 1; k <= CHAIN_LEN; k++) {
        int n = 0;
        int n_failed;
        int64_t checked;
        int64_t broken;
        for (int i = 0; i < CHAIN_LEN; i++) {
            if (i != k - 1)
                list[n++] = &c->e[i];
        }
        broken = verify(&sm3, list, n, &checked, &n_failed);
        assert_int_equal(checked, CHAIN_LEN - 1);
        /* A cut tail leaves no trace in the chain itself. */
        assert_int_equal(broken, k < CHAIN_LEN ? k + 1 : 0);
        /* The walk resynchronises: only the entry after the gap fails. */
        assert_int_equal(n_failed, k < CHAIN_LEN ? 1 : 0);
    }
    test_free(c);
}

static void test_reordered_entries(void **state)
{
    struct chain *c = test_malloc(sizeof(*c));
    const struct tz_audit_entry *list[CHAIN_LEN];
    (void)state;

    chain_build(c, &sm3);
    for (int k = 1; k < CHAIN_LEN; k++) {
        for (int i = 0; i < CHAIN_LEN; i++)
            list[i] = &c->e[i];
        list[k - 1] = &c->e[k];
        list[k] = &c->e[k - 1];
        /* Entry k+1 arrives where k was expected. */
        assert_int_equal(verify(&sm3, list, CHAIN_LEN, NULL, NULL), k + 1);
    }

    /* The first entry must be seq 1 with 64 zeros before it. */
    list[0] = &c->e[1];
    assert_int_equal(verify(&sm3, list, 1, NULL, NULL), 2);
    test_free(c);
}

static void test_duplicate_and_renumbered(void **state)
{
    struct chain *c = test_malloc(sizeof(*c));
    const struct tz_audit_entry *list[CHAIN_LEN + 1];
    struct tz_err err;
    (void)state;

    /* An entry replayed twice breaks at its second copy. */
    chain_build(c, &sm3);
    for (int i = 0; i < 10; i++)
        list[i] = &c->e[i];
    list[10] = &c->e[9];
    assert_int_equal(verify(&sm3, list, 11, NULL, NULL), 10);

    /* A chain that starts at seq 2, though well linked and sealed, is broken at 2. */
    for (int i = 0; i < CHAIN_LEN; i++) {
        c->e[i].seq = i + 2;
        assert_int_equal(tz_audit_seal(&sm3, &c->e[i], &err), TZ_OK);
        if (i + 1 < CHAIN_LEN)
            memcpy(c->e[i + 1].prev_hash, c->e[i].hash, TZ_HASH_HEX);
    }
    assert_int_equal(verify_chain(&sm3, c), 2);

    /* Upper-case hex is not the stored form. */
    chain_build(c, &sm3);
    for (int i = 0; i < 64; i++) {
        if (c->e[4].hash[i] >= 'a')
            c->e[4].hash[i] = (char)(c->e[4].hash[i] - 'a' + 'A');
    }
    assert_int_equal(verify_chain(&sm3, c), 5);
    test_free(c);
}

static void test_alg_names(void **state)
{
    enum tz_hash_alg alg = TZ_HASH_SHA256;
    (void)state;

    assert_string_equal(tz_hash_alg_name(TZ_HASH_SM3, false), "SM3");
    assert_string_equal(tz_hash_alg_name(TZ_HASH_SHA256, false), "SHA-256");
    assert_string_equal(tz_hash_alg_name(TZ_HASH_SM3, true), "HMAC-SM3");
    assert_string_equal(tz_hash_alg_name(TZ_HASH_SHA256, true), "HMAC-SHA-256");

    assert_true(tz_hash_alg_parse("SM3", &alg));
    assert_int_equal(alg, TZ_HASH_SM3);
    assert_true(tz_hash_alg_parse("sha-256", &alg));
    assert_int_equal(alg, TZ_HASH_SHA256);
    assert_true(tz_hash_alg_parse("sm3", &alg));
    assert_int_equal(alg, TZ_HASH_SM3);
    assert_true(tz_hash_alg_parse("SHA256", &alg));
    assert_int_equal(alg, TZ_HASH_SHA256);

    alg = TZ_HASH_SM3;
    assert_false(tz_hash_alg_parse("md5", &alg));
    assert_false(tz_hash_alg_parse("", &alg));
    assert_false(tz_hash_alg_parse("SHA-2566", &alg));
    assert_false(tz_hash_alg_parse(NULL, &alg));
    assert_int_equal(alg, TZ_HASH_SM3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sm3_vectors),
        cmocka_unit_test(test_seal_is_sm3_of_prev_and_canonical),
        cmocka_unit_test(test_sha256_mode),
        cmocka_unit_test(test_hmac_mode),
        cmocka_unit_test(test_canonical_exact_bytes),
        cmocka_unit_test(test_chain_verifies),
        cmocka_unit_test(test_tamper_each_field),
        cmocka_unit_test(test_tamper_and_reseal),
        cmocka_unit_test(test_deleted_entry),
        cmocka_unit_test(test_reordered_entries),
        cmocka_unit_test(test_duplicate_and_renumbered),
        cmocka_unit_test(test_alg_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
