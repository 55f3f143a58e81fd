/*
 * tabular.c - CSV records, UTF-8 validation and the value parsers of an import
 * (see tabular.h). Pure: the readers give bytes and cells, this file gives
 * typed values or "no".
 *
 * The CSV parser walks the whole buffer once; a field is copied only when it
 * was quoted (to undo the doubled quotes), into one growing buffer reused for
 * the record, so memory is bounded by the longest record.
 */
#include "tz/tabular.h"

#include "tz/date.h"
#include "tz/strbuf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define EXCEL_EPOCH_OFFSET 25569 /* 1970-01-01 as an Excel serial (1900 system) */

/* ---- UTF-8 ---------------------------------------------------------------- */

bool tz_utf8_valid(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < len) {
        unsigned c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t n;
        unsigned cp;
        if (c >= 0xC2 && c <= 0xDF) {
            n = 1;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (len - i <= n)
            return false;
        for (size_t k = 1; k <= n; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += n + 1;
    }
    return true;
}

/* ---- columns and labels ---------------------------------------------------- */

const char *tz_col_name(unsigned col, char *buf)
{
    char tmp[8];
    size_t n = 0;
    unsigned c = col + 1;
    while (c && n < sizeof(tmp)) {
        tmp[n++] = (char)('A' + (c - 1) % 26);
        c = (c - 1) / 26;
    }
    for (size_t i = 0; i < n; i++)
        buf[i] = tmp[n - 1 - i];
    buf[n] = '\0';
    return buf;
}

bool tz_col_parse(const char *ref, unsigned *col)
{
    unsigned c = 0;
    size_t n = 0;
    while (ref[n] >= 'A' && ref[n] <= 'Z' && n < 4) {
        c = c * 26 + (unsigned)(ref[n] - 'A' + 1);
        n++;
    }
    if (n == 0)
        return false;
    *col = c - 1;
    return true;
}

const char *tz_label_normalize(const char *s, char *buf, size_t n)
{
    size_t k = 0;
    for (const char *p = s; *p && k + 4 < n;) {
        unsigned char c = (unsigned char)*p;
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            p++;
        } else if (strncmp(p, "\u3000", 3) == 0) {
            p += 3;
        } else {
            buf[k++] = *p++;
        }
    }
    buf[k] = '\0';
    if (k && buf[k - 1] == '*')
        buf[--k] = '\0';
    else if (k >= 3 && strcmp(buf + k - 3, "\uff0a") == 0)
        buf[k -= 3] = '\0';
    return buf;
}

/* ---- values ------------------------------------------------------------------ */

static const char *skip_space(const char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    if (strncmp(s, "\u3000", 3) == 0)
        return skip_space(s + 3);
    return s;
}

/* True when only spaces remain. */
static bool at_end(const char *s)
{
    return *skip_space(s) == '\0';
}

/* Reads 1..max digits into *out. */
static const char *read_digits(const char *s, int max, int *out)
{
    int v = 0, n = 0;
    while (*s >= '0' && *s <= '9' && n < max) {
        v = v * 10 + (*s - '0');
        s++;
        n++;
    }
    if (n == 0)
        return NULL;
    *out = v;
    return s;
}

/* A time of day after a date: " 00:00", " 0:00:00", "T00:00:00". */
static bool time_tail(const char *s)
{
    if (at_end(s))
        return true;
    if (*s != ' ' && *s != 'T')
        return false;
    s = skip_space(s + 1);
    int h, m;
    s = read_digits(s, 2, &h);
    if (!s || *s != ':')
        return false;
    s = read_digits(s + 1, 2, &m);
    if (!s)
        return false;
    if (*s == ':') {
        int sec;
        s = read_digits(s + 1, 2, &sec);
        if (!s)
            return false;
        if (*s == '.') {
            int frac;
            s = read_digits(s + 1, 6, &frac);
            if (!s)
                return false;
        }
    }
    return at_end(s) && h < 24 && m < 60;
}

static bool make_day(int y, int m, int d, int32_t *day)
{
    if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1 || d > tz_date_days_in_month(y, m))
        return false;
    *day = tz_date_from_ymd(y, m, d);
    return true;
}

bool tz_excel_serial_day(double serial, int32_t *day)
{
    /* 61 is 1900-03-01: before it Excel counts a 29 February 1900 that never was */
    if (!isfinite(serial) || serial < 61 || serial > 2958465)
        return false;
    *day = (int32_t)floor(serial) - EXCEL_EPOCH_OFFSET;
    return true;
}

bool tz_parse_date_text(const char *s, int32_t *day)
{
    int y, m, d;
    s = skip_space(s);
    const char *p = read_digits(s, 7, &y);
    if (!p)
        return false;
    if (at_end(p) && p - s >= 5) /* an Excel serial typed or saved as text */
        return tz_excel_serial_day((double)y, day);
    if (p - s != 4)
        return false;
    bool is_cn = strncmp(p, "年", 3) == 0;
    char sep = *p;
    if (is_cn)
        p += 3;
    else if (sep == '-' || sep == '/' || sep == '.')
        p++;
    else
        return false;
    p = read_digits(p, 2, &m);
    if (!p)
        return false;
    if (is_cn) {
        if (strncmp(p, "月", 3) != 0)
            return false;
        p += 3;
    } else if (*p++ != sep) {
        return false;
    }
    p = read_digits(p, 2, &d);
    if (!p)
        return false;
    if (is_cn) {
        if (strncmp(p, "日", 3) == 0)
            p += 3;
        else if (strncmp(p, "号", 3) == 0)
            p += 3;
        else
            return false;
    }
    return time_tail(p) && make_day(y, m, d, day);
}

bool tz_parse_number_text(const char *s, double *out)
{
    char buf[64];
    size_t k = 0;
    s = skip_space(s);
    if (*s == '+' || *s == '-')
        buf[k++] = *s++;
    bool digits = false, dot = false;
    for (; *s && k + 1 < sizeof(buf); s++) {
        if (*s >= '0' && *s <= '9') {
            buf[k++] = *s;
            digits = true;
        } else if (*s == ',' && digits && !dot) {
            continue; /* 1,234.5 */
        } else if (*s == '.' && !dot) {
            buf[k++] = *s;
            dot = true;
        } else {
            break;
        }
    }
    if (!digits || !at_end(s))
        return false;
    buf[k] = '\0';
    char *end = NULL;
    double v = strtod(buf, &end);
    if (!end || *end || !isfinite(v))
        return false;
    *out = v;
    return true;
}

bool tz_parse_int_text(const char *s, int64_t min, int64_t max, int64_t *out)
{
    double v;
    if (!tz_parse_number_text(s, &v) || v != floor(v) || v < (double)min || v > (double)max)
        return false;
    *out = (int64_t)v;
    return true;
}

bool tz_parse_percent_text(const char *s, int *out)
{
    char buf[64];
    size_t len = strlen(s);
    if (len >= sizeof(buf))
        return false;
    memcpy(buf, s, len + 1);
    while (len && (buf[len - 1] == ' ' || buf[len - 1] == '\t'))
        buf[--len] = '\0';
    if (len && buf[len - 1] == '%')
        buf[--len] = '\0';
    else if (len >= 3 && strcmp(buf + len - 3, "％") == 0)
        buf[len -= 3] = '\0';
    double v;
    if (!tz_parse_number_text(buf, &v) || v < 0 || v > 100 || v != floor(v))
        return false;
    *out = (int)v;
    return true;
}

bool tz_parse_bool_text(const char *s, bool *out)
{
    static const char *const yes[] = {"是",  "是的", "true", "TRUE", "True", "yes", "Yes",
                                      "YES", "y",    "Y",    "1",    "√",    "✓",   NULL};
    static const char *const no[] = {"否", "不是", "false", "FALSE", "False", "no", "No",
                                     "NO", "n",    "N",     "0",     "×",     "✗",  NULL};
    char buf[32];
    s = skip_space(s);
    size_t len = strlen(s);
    if (len >= sizeof(buf))
        return false;
    memcpy(buf, s, len + 1);
    while (len && (buf[len - 1] == ' ' || buf[len - 1] == '\t'))
        buf[--len] = '\0';
    for (size_t i = 0; yes[i]; i++)
        if (strcmp(buf, yes[i]) == 0) {
            *out = true;
            return true;
        }
    for (size_t i = 0; no[i]; i++)
        if (strcmp(buf, no[i]) == 0) {
            *out = false;
            return true;
        }
    return false;
}

/* ---- CSV --------------------------------------------------------------------- */

struct csv_record {
    struct tz_strbuf text; /* the record's fields, each NUL-terminated */
    size_t *starts;        /* offsets into text */
    struct tz_cell *cells; /* built when the record ends */
    size_t n_fields, max_fields;
};

static enum tz_status csv_emit(struct csv_record *r, int64_t row, tz_row_fn fn, void *arg,
                               struct tz_err *err)
{
    size_t n = 0;
    for (size_t i = 0; i < r->n_fields; i++) {
        const char *f = r->text.buf + r->starts[i];
        if (at_end(f))
            continue;
        r->cells[n].col = (unsigned)i;
        r->cells[n].kind = TZ_CELL_TEXT;
        r->cells[n].text = f;
        r->cells[n].num = 0;
        n++;
    }
    enum tz_status s = n ? fn(arg, row, r->cells, n, err) : TZ_OK;
    r->n_fields = 0;
    tz_strbuf_reset(&r->text);
    return s;
}

static enum tz_status csv_field_start(struct csv_record *r, int64_t row, struct tz_err *err)
{
    if (r->n_fields == r->max_fields)
        return tz_err_set(err, TZ_EINVAL, "第 %lld 行超过 %zu 列", (long long)row, r->max_fields);
    r->starts[r->n_fields++] = r->text.len;
    return TZ_OK;
}

enum tz_status tz_csv_parse(const char *data, size_t len, size_t max_fields, size_t max_field,
                            tz_row_fn fn, void *arg, struct tz_err *err)
{
    struct csv_record r = {.max_fields = max_fields};
    tz_strbuf_init(&r.text);
    r.starts = calloc(max_fields + 1, sizeof(*r.starts));
    r.cells = calloc(max_fields + 1, sizeof(*r.cells));
    if (!r.starts || !r.cells)
        abort();
    enum tz_status s = TZ_OK;
    int64_t row = 1;
    size_t i = 0;
    while (i < len && s == TZ_OK) {
        /* one field */
        size_t field_start;
        s = csv_field_start(&r, row, err);
        if (s != TZ_OK)
            break;
        field_start = r.text.len;
        if (data[i] == '"') {
            i++;
            for (;;) {
                if (i >= len) {
                    s = tz_err_set(err, TZ_EINVAL, "第 %lld 行的引号没有闭合", (long long)row);
                    break;
                }
                if (data[i] == '"') {
                    if (i + 1 < len && data[i + 1] == '"') {
                        tz_strbuf_addch(&r.text, '"');
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                tz_strbuf_addch(&r.text, data[i++]);
            }
            /* anything between the closing quote and the separator is kept as typed */
            while (s == TZ_OK && i < len && data[i] != ',' && data[i] != '\n' && data[i] != '\r')
                tz_strbuf_addch(&r.text, data[i++]);
        } else {
            size_t j = i;
            while (j < len && data[j] != ',' && data[j] != '\n' && data[j] != '\r')
                j++;
            tz_strbuf_add(&r.text, data + i, j - i);
            i = j;
        }
        if (s != TZ_OK)
            break;
        if (r.text.len - field_start > max_field) {
            s = tz_err_set(err, TZ_EINVAL, "第 %lld 行有一个单元格超过 %zu 字节", (long long)row,
                           max_field);
            break;
        }
        tz_strbuf_addch(&r.text, '\0');
        if (i < len && data[i] == ',') {
            i++;
            if (i == len) /* a trailing comma: one more empty field */
                s = csv_field_start(&r, row, err);
            continue;
        }
        /* end of record: CRLF, LF or a lone CR */
        if (i < len && data[i] == '\r')
            i++;
        if (i < len && data[i] == '\n')
            i++;
        s = csv_emit(&r, row, fn, arg, err);
        row++;
    }
    if (s == TZ_OK && r.n_fields)
        s = csv_emit(&r, row, fn, arg, err);
    tz_strbuf_release(&r.text);
    free(r.starts);
    free(r.cells);
    return s;
}
