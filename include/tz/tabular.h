/*
 * tabular.h - the pure half of importing a spreadsheet: a cell as the readers
 * hand it over, an RFC 4180 CSV parser over a buffer, UTF-8 validation, and
 * the value parsers that turn what people type into Excel (2026年11月30日,
 * 60%, 是, an Excel date serial) into typed values.
 *
 * The .xlsx reader (zip + XML, I/O) lives in src/app/import_read.c; what to do
 * with a row (header mapping, validation, writing) in src/app/app_import.c.
 * Everything here is pure and thread-safe; nothing allocates except the CSV
 * parser's field buffer, which it frees before returning.
 */
#ifndef TZ_TABULAR_H
#define TZ_TABULAR_H

#include "tz/err.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum tz_cell_kind {
    TZ_CELL_TEXT,   /* text: a shared or inline string, a CSV field */
    TZ_CELL_NUMBER, /* a number (num) */
    TZ_CELL_DATE,   /* a number whose cell style is a date format: an Excel serial */
    TZ_CELL_BOOL,   /* num is 0 or 1 */
    TZ_CELL_ERROR,  /* a formula error (#N/A) or a formula without a cached value; text says */
};

/* One non-empty cell of a row. text is always set (the raw <v> for numbers). */
struct tz_cell {
    unsigned col; /* 0 = column A */
    enum tz_cell_kind kind;
    const char *text;
    double num;
};

/*
 * Called for every row with at least one non-empty cell, in file order. row is
 * the row number the user sees (1-based). cells are borrowed for the call.
 * Returning anything but TZ_OK stops the reading with that status.
 */
typedef enum tz_status (*tz_row_fn)(void *arg, int64_t row, const struct tz_cell *cells,
                                    size_t n_cells, struct tz_err *err);

/*
 * Parses CSV text (RFC 4180: fields in double quotes may hold commas, quotes
 * written "" and line breaks; records end with CRLF or LF) and calls fn for
 * each record that has a non-blank field; the record's number is its row. A
 * quote left open at the end is 422. At most max_fields fields a record (more
 * is 422) and max_field bytes a field (more is 422).
 */
enum tz_status tz_csv_parse(const char *data, size_t len, size_t max_fields, size_t max_field,
                            tz_row_fn fn, void *arg, struct tz_err *err);

/* True when s[0..len) is well-formed UTF-8 (no overlongs, surrogates or > U+10FFFF). */
bool tz_utf8_valid(const char *s, size_t len);

/* "A", "B", … "Z", "AA" … for col 0, 1, …: into buf (at least 8 bytes). */
const char *tz_col_name(unsigned col, char *buf);
/* The column of a cell reference ("AB12" -> 27); false when it has no letters. */
bool tz_col_parse(const char *ref, unsigned *col);

/*
 * A header label as compared: spaces (ASCII and U+3000), line breaks, a
 * trailing "*" or "＊" (a required mark) removed, into buf of size n.
 */
const char *tz_label_normalize(const char *s, char *buf, size_t n);

/*
 * A date typed as text: 2026-11-30, 2026/11/30, 2026.11.30, 2026年11月30日
 * (months and days with or without a leading zero), optionally followed by a
 * time ("2026-11-30 00:00:00"), or an Excel serial written as digits. Surrounding
 * spaces are ignored. False when it is none of those or no such day exists.
 */
bool tz_parse_date_text(const char *s, int32_t *day);
/* An Excel serial (1900 date system) as a day number; false outside 1900-03-01..9999-12-31. */
bool tz_excel_serial_day(double serial, int32_t *day);
/* A number typed as text: optional sign, digits with optional "," grouping, decimals. */
bool tz_parse_number_text(const char *s, double *out);
/* A whole number (no fraction) within [min, max]. */
bool tz_parse_int_text(const char *s, int64_t min, int64_t max, int64_t *out);
/* A percentage 0..100: "60", "60%", "60％", "60.0". */
bool tz_parse_percent_text(const char *s, int *out);
/* 是/否, 是的/不是, true/false, yes/no, y/n, 1/0, √/×. */
bool tz_parse_bool_text(const char *s, bool *out);

#endif
