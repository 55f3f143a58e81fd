/*
 * import_read.h - the file readers of an import (internal to src/app): the
 * first worksheet of an .xlsx workbook (libzip + expat) and a CSV file in
 * UTF-8, UTF-8 with BOM or GB18030 (iconv), each handed over row by row as
 * struct tz_cell (tz/tabular.h). What a row means is app_import.c's business.
 *
 * Both read from a buffer in memory (the request body, or the file the CLI
 * read) and keep memory bounded: the sheet's XML is streamed through expat in
 * chunks from zip_fread; only the shared strings are held (they are needed by
 * index). Every size that comes from the file has a cap (struct
 * tz_read_limits); going over one is an error of its own, never an
 * exhausted machine.
 */
#ifndef TZ_IMPORT_READ_H
#define TZ_IMPORT_READ_H

#include "tz/err.h"
#include "tz/tabular.h"

#include <stddef.h>

struct tz_read_limits {
    size_t max_entry;   /* uncompressed bytes of one zip entry read (413 beyond) */
    size_t max_total;   /* uncompressed bytes read from the workbook in all (413 beyond) */
    size_t max_strings; /* shared strings (422 beyond) */
    size_t max_cols;    /* cells a row (422 beyond) */
    size_t max_cell;    /* bytes of text a cell (422 beyond) */
};

/* The defaults: 256 MiB an entry, 512 MiB in all, 2 M strings, 1000 columns, 100 000 bytes. */
void tz_read_limits_init(struct tz_read_limits *lim);

/*
 * Reads the first worksheet (by workbook.xml and its relationships) of the
 * .xlsx in data[0..len): numbers, shared and inline strings, booleans, dates
 * (numbers in a date style: built-in formats 14-22, 27-36, 45-47, 50-58 and
 * custom formats with date parts), formula cells by their cached value (none:
 * a TZ_CELL_ERROR cell), formula errors. Rows with no value are skipped. 422
 * with a message for people for an encrypted or legacy file, a corrupt zip or
 * something that is not a workbook; 413 when an entry or the total inflates
 * past the limits. fn's status stops the reading and is returned.
 */
enum tz_status tz_read_xlsx(const void *data, size_t len, const struct tz_read_limits *lim,
                            tz_row_fn fn, void *arg, struct tz_err *err);

/*
 * Reads CSV text, deciding its encoding: a UTF-8 BOM -> UTF-8; valid UTF-8 ->
 * UTF-8; else valid GB18030 -> converted to UTF-8; else 422 "无法识别的文件编码".
 * *encoding_out is "UTF-8", "UTF-8-BOM" or "GB18030" (static).
 */
enum tz_status tz_read_csv(const void *data, size_t len, const struct tz_read_limits *lim,
                           const char **encoding_out, tz_row_fn fn, void *arg, struct tz_err *err);

#endif
