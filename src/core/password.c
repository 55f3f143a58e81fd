/*
 * password.c - the password policy (see password.h, SPEC 2.2, DOMAIN 11.3).
 *
 * DESIGN
 *
 * The rules are checked in a fixed order and the first one that fails is
 * reported, always as 422 on field "password":
 *
 *   1. the password is valid UTF-8 of at most MAX_BYTES bytes (the cap every
 *      input size has; argon2id would take more, nobody needs more);
 *   2. it has at least MIN_CHARS characters, counted as Unicode code points,
 *      so "安全生产" is four characters, not twelve bytes;
 *   3. it mixes at least MIN_CLASSES of four classes: ASCII upper-case letter,
 *      ASCII lower-case letter, ASCII digit, and anything else (punctuation,
 *      space, and every non-ASCII character, Chinese included);
 *   4. it is not the user name, nor the user name reversed (code point by code
 *      point), compared with ASCII letters folded to one case. Non-ASCII
 *      characters compare exactly: there is no case folding for Chinese.
 *
 * Messages name the rule and never echo the password. Pure and thread-safe.
 */
#include "tz/password.h"

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#define MIN_CHARS   8
#define MIN_CLASSES 3
#define MAX_BYTES   1024

enum char_class { CLASS_UPPER = 1, CLASS_LOWER = 2, CLASS_DIGIT = 4, CLASS_OTHER = 8 };

/*
 * Length of the well-formed UTF-8 sequence at s (n bytes left, n > 0), or 0 if
 * it is malformed: a stray continuation byte, a truncated sequence, an overlong
 * form, a surrogate or a value above U+10FFFF.
 */
static size_t utf8_seq_len(const unsigned char *s, size_t n)
{
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF; /* allowed range of the second byte */

    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xC2 && s[0] <= 0xDF) {
        len = 2;
    } else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
        len = 3;
        if (s[0] == 0xE0)
            lo = 0xA0;
        else if (s[0] == 0xED)
            hi = 0x9F;
    } else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
        len = 4;
        if (s[0] == 0xF0)
            lo = 0x90;
        else if (s[0] == 0xF4)
            hi = 0x8F;
    } else {
        return 0;
    }
    if (n < len || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    }
    return len;
}

static enum char_class classify(unsigned char lead)
{
    if (lead >= 'A' && lead <= 'Z')
        return CLASS_UPPER;
    if (lead >= 'a' && lead <= 'z')
        return CLASS_LOWER;
    if (lead >= '0' && lead <= '9')
        return CLASS_DIGIT;
    return CLASS_OTHER;
}

static int count_bits(unsigned mask)
{
    int n = 0;
    for (; mask; mask >>= 1)
        n += (int)(mask & 1);
    return n;
}

static unsigned char fold(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

/* a and b, both len bytes, are equal with ASCII letters folded. */
static bool equal_folded(const char *a, const char *b, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (fold((unsigned char)a[i]) != fold((unsigned char)b[i]))
            return false;
    }
    return true;
}

/*
 * Writes s (len bytes) with its characters in reverse order into out (len
 * bytes). A character is a lead byte and the continuation bytes after it, so
 * malformed input is still reversed without splitting anything.
 */
static void reverse_chars(const char *s, size_t len, char *out)
{
    size_t end = len;
    size_t pos = 0;

    while (end > 0) {
        size_t start = end - 1;
        while (start > 0 && ((unsigned char)s[start] & 0xC0) == 0x80)
            start--;
        memcpy(out + pos, s + start, end - start);
        pos += end - start;
        end = start;
    }
}

enum tz_status tz_password_check(const char *username, const char *password, struct tz_err *err)
{
    const unsigned char *p = (const unsigned char *)password;
    size_t len = password ? strlen(password) : 0;
    size_t user_len = username ? strlen(username) : 0;
    size_t n_chars = 0;
    unsigned classes = 0;
    char reversed[MAX_BYTES];

    if (len > MAX_BYTES)
        return tz_err_field(err, TZ_EINVAL, "password", "'password' must be at most %d bytes",
                            MAX_BYTES);
    for (size_t i = 0; i < len;) {
        size_t step = utf8_seq_len(p + i, len - i);
        if (step == 0)
            return tz_err_field(err, TZ_EINVAL, "password", "'password' must be valid UTF-8");
        classes |= (unsigned)classify(p[i]);
        n_chars++;
        i += step;
    }
    if (n_chars < MIN_CHARS)
        return tz_err_field(err, TZ_EINVAL, "password",
                            "'password' must be at least %d characters long", MIN_CHARS);
    if (count_bits(classes) < MIN_CLASSES)
        return tz_err_field(err, TZ_EINVAL, "password",
                            "'password' must mix at least %d of: upper-case letters, lower-case "
                            "letters, digits, other characters",
                            MIN_CLASSES);
    if (user_len == len) {
        if (equal_folded(password, username, len))
            return tz_err_field(err, TZ_EINVAL, "password", "'password' must not be the user name");
        reverse_chars(username, user_len, reversed);
        if (equal_folded(password, reversed, len))
            return tz_err_field(err, TZ_EINVAL, "password",
                                "'password' must not be the user name reversed");
    }
    tz_err_clear(err);
    return TZ_OK;
}
