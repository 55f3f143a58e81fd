/*
 * test_password.c - the password policy (password.h, SPEC 2.2).
 *
 * One table of (user name, password, expected outcome). A refused password
 * must come back as TZ_EINVAL on field "password" with the message that names
 * the rule that failed, so each row also carries that message.
 */
#include "tz/password.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

struct pvec {
    const char *username;
    const char *password;
    const char *refused_for; /* the expected message, or NULL when accepted */
};

#define OK     NULL
#define LENGTH "'password' must be at least 8 characters long"
#define CLASSES                                                                                    \
    "'password' must mix at least 3 of: upper-case letters, lower-case letters, digits, other "    \
    "characters"
#define NAME     "'password' must not be the user name"
#define REVERSED "'password' must not be the user name reversed"
#define UTF8     "'password' must be valid UTF-8"

static const struct pvec vectors[] = {
    /* Length: 8 characters, counted as code points. */
    {"alice", "Abcdef1", LENGTH},           /* 7 characters, 3 classes */
    {"alice", "Abcdef12", OK},              /* 8 */
    {"alice", "", LENGTH},                  /* empty */
    {"alice", NULL, LENGTH},                /* absent */
    {"alice", "Ab1安全生产", LENGTH},       /* 7 characters though 15 bytes */
    {"alice", "Ab1安全生产好", OK},         /* 8 characters */
    {"alice", "安全生产安全生产", CLASSES}, /* 8 characters, only "other" */

    /* Classes: at least 3 of upper, lower, digit, other. */
    {"alice", "abcdefgh", CLASSES},     /* lower only */
    {"alice", "abcdefg1", CLASSES},     /* lower + digit */
    {"alice", "ABCDEFGH", CLASSES},     /* upper only */
    {"alice", "ABCDefgh", CLASSES},     /* upper + lower */
    {"alice", "12345678", CLASSES},     /* digit only */
    {"alice", "!@#$%^&*", CLASSES},     /* other only */
    {"alice", "abcd!@#$", CLASSES},     /* lower + other */
    {"alice", "abcdefG1", OK},          /* upper + lower + digit */
    {"alice", "abcdef!1", OK},          /* lower + digit + other */
    {"alice", "ABCDEF!1", OK},          /* upper + digit + other */
    {"alice", "ABCdef! ", OK},          /* upper + lower + other (space) */
    {"alice", "Aa1!Aa1!", OK},          /* all four */
    {"alice", "abcdef1安", OK},         /* Chinese counts as other */
    {"alice", "安全生产abcd", CLASSES}, /* other + lower only */
    {"alice", "安全生产ab12", OK},      /* other + lower + digit */
    {"alice", "ÄÖÜäöüß1", CLASSES},     /* non-ASCII letters are "other", not upper/lower */
    {"alice", "ÄÖÜäöüßa", CLASSES},     /* other + lower */
    {"alice", "ÄÖÜäöüa1", OK},          /* other + lower + digit */

    /* Not the user name, in any ASCII case, nor reversed. */
    {"Admin2026!", "Admin2026!", NAME},
    {"Admin2026!", "aDMIN2026!", NAME},
    {"admin2026!", "ADMIN2026!", NAME},
    {"Admin2026!", "!6202nimdA", REVERSED},
    {"Admin2026!", "!6202NIMDA", REVERSED},
    {"Admin2026!", "Admin2026!x", OK}, /* contains the name: allowed by the rule */
    {"Admin2026!", "Admin2026?", OK},
    {"张三Ab1234", "张三ab1234", NAME},
    {"张三Ab1234", "4321bA三张", REVERSED}, /* reversed by character, not by byte */
    {"张三Ab1234", "4321Ba三张", REVERSED},
    {"张三Ab1234", "4321bA张三", OK},
    {"", "Abcdef12", OK},   /* no user name */
    {NULL, "Abcdef12", OK}, /* no user name */

    /* Malformed UTF-8 is refused rather than guessed at. */
    {"alice", "Abcdef12\xff", UTF8},
    {"alice", "Abcdef12\xe5\xae", UTF8},         /* truncated */
    {"alice", "Abcdef12\xc0\xaf", UTF8},         /* overlong '/' */
    {"alice", "Abcdef12\xed\xa0\x80", UTF8},     /* surrogate */
    {"alice", "Abcdef12\xf4\x90\x80\x80", UTF8}, /* above U+10FFFF */
    {"alice", "Abcdef12\xf0\x9f\x94\x91", OK},   /* a 4-byte character */
};

static void test_vectors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
        const struct pvec *v = &vectors[i];
        struct tz_err err;
        enum tz_status st;

        memset(&err, 0x5a, sizeof(err));
        st = tz_password_check(v->username, v->password, &err);
        if (!v->refused_for) {
            if (st != TZ_OK)
                fail_msg("row %zu (%s): refused: %s", i, v->password ? v->password : "(null)",
                         err.msg);
            assert_int_equal(err.code, TZ_OK);
            continue;
        }
        if (st != TZ_EINVAL)
            fail_msg("row %zu (%s): accepted, want '%s'", i, v->password ? v->password : "(null)",
                     v->refused_for);
        assert_int_equal(err.code, TZ_EINVAL);
        assert_string_equal(err.field, "password");
        if (strcmp(err.msg, v->refused_for) != 0)
            fail_msg("row %zu: message '%s', want '%s'", i, err.msg, v->refused_for);
    }
}

static void test_length_cap(void **state)
{
    char pw[1100];
    (void)state;

    memset(pw, 'a', sizeof(pw) - 1);
    pw[sizeof(pw) - 1] = '\0';
    pw[0] = 'A';
    pw[1] = '1';
    assert_int_equal(tz_password_check("alice", pw, NULL), TZ_EINVAL);
    pw[1024] = '\0';
    assert_int_equal(tz_password_check("alice", pw, NULL), TZ_OK);
    /* The same long name, forward and reversed. */
    assert_int_equal(tz_password_check(pw, pw, NULL), TZ_EINVAL);
}

static void test_message_never_echoes_password(void **state)
{
    struct tz_err err;
    (void)state;

    assert_int_equal(tz_password_check("bob", "secretpw", &err), TZ_EINVAL);
    assert_null(strstr(err.msg, "secretpw"));
    assert_int_equal(tz_password_check("Bob12345!", "bob12345!", &err), TZ_EINVAL);
    assert_string_equal(err.msg, NAME);
    assert_null(strstr(err.msg, "bob12345!"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vectors),
        cmocka_unit_test(test_length_cap),
        cmocka_unit_test(test_message_never_echoes_password),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
