/*
 * app_import.c - a ledger from an .xlsx or CSV file (POST
 * /ledgers/{ledger}/import, `taizhang import`): the round trip of the ledger
 * the office exported, sent to the units and got back filled in, and old
 * ledgers kept in Excel.
 *
 * DESIGN
 *
 * One pass, one transaction. The reader (import_read.c) hands over rows; the
 * header is the first row among the first ten that names at least two known
 * columns including 编号 or 事项 (the export's title and export line above it
 * are passed over); a row right below it made only of known labels completes
 * it (a header with merged group cells over two rows). Columns are known by
 * the export's labels (编号, 事项, 牵头单位, 配合单位, 责任领导, 办结时限, 进度,
 * 版本 …, a few aliases) and the ledger's field labels; other columns are
 * reported once as warnings and ignored.
 *
 * Each data row becomes a POST /items body (empty or foreign 编号) or a PATCH
 * body of the changed columns (an existing 编号, its 版本 compared: a different
 * version is a conflict, the row was edited on the web meanwhile) and goes
 * through the same code as those requests (tz_app_item_build, _edit), then is
 * written (item, event, audit entry) inside the import's one transaction. A
 * changed 进度 is a `report` (SPEC 2.4): the importer's own when the loop lets
 * them report on the item; when the supervision office imports what the lead
 * unit filled in offline, the report is recorded on the lead unit's behalf,
 * under the loop's state rule (in_progress or ongoing). Bad cells are all
 * listed (row as the user sees it, column letter and label, reason); at the
 * end, any error, a conflict (unless skipped) or a dry run rolls everything
 * back, else the transaction commits with one ledger.import audit entry.
 * Writing while validating keeps memory to one row's arena at a time (plus
 * what SQLite holds for the open transaction) and makes the dry run's preview
 * exactly what the import would do.
 *
 * The transaction is the store's bulk write (begin_bulk: a transaction of its
 * own, not a savepoint of a commit group; see store_sqlite.c for why) and holds
 * the write lock for the whole import: other writers queue behind it (an
 * import of 100 000 rows takes seconds). Inside it the store numbers codes
 * from one reservation and keeps the audit chain's end in memory, and the
 * item's event is written as text (DECISIONS.md, "The bulk write path").
 */
#include "app_internal.h"
#include "import_read.h"
#include "tz/date.h"
#include "tz/light.h"
#include "tz/loop.h"
#include "tz/tabular.h"

#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEADER_SCAN    10   /* rows looked at for the header */
#define PREVIEW_MAX    100  /* rows of each kind shown in the preview */
#define ERRORS_MAX     1000 /* bad cells listed */
#define PROGRESS_EVERY 1000
#define LABEL_BUF      256

/* What a column holds. Ledger fields follow COL_FIELD (COL_FIELD + k). */
enum col_kind {
    COL_NONE,
    COL_IGNORED, /* known, read-only or not importable: no warning */
    COL_SEQ,
    COL_CODE,
    COL_TITLE,
    COL_DESC,
    COL_SOURCE,
    COL_LEAD,
    COL_CO,
    COL_LEADER,
    COL_DEADLINE,
    COL_PROGRESS,
    COL_COMMENT,
    COL_VERSION,
    COL_FIELD,
};

static const struct {
    const char *label;
    enum col_kind kind;
} fixed_labels[] = {
    {"序号", COL_SEQ},          {"编号", COL_CODE},         {"事项编号", COL_CODE},
    {"事项", COL_TITLE},        {"标题", COL_TITLE},        {"事项名称", COL_TITLE},
    {"事项描述", COL_DESC},     {"描述", COL_DESC},         {"来源", COL_SOURCE},
    {"牵头单位", COL_LEAD},     {"责任单位", COL_LEAD},     {"配合单位", COL_CO},
    {"责任领导", COL_LEADER},   {"办结时限", COL_DEADLINE}, {"时限", COL_DEADLINE},
    {"完成时限", COL_DEADLINE}, {"整改时限", COL_DEADLINE}, {"状态", COL_IGNORED},
    {"亮灯", COL_IGNORED},      {"进度", COL_PROGRESS},     {"完成比例", COL_PROGRESS},
    {"进展情况", COL_COMMENT},  {"进展", COL_COMMENT},      {"版本", COL_VERSION},
};
#define N_FIXED_LABELS (sizeof(fixed_labels) / sizeof(fixed_labels[0]))

struct code_seen {
    char **codes;
    int64_t *rows;
    size_t cap, n;
};

struct import {
    struct tz_call *call;
    const struct tz_import_opts *o;
    const struct tz_ledger_def *def;
    struct tz_arena *base_arena; /* the call's own arena */
    struct tz_arena keep;        /* what lives for the whole import */
    struct tz_unit *units;
    size_t n_units;
    /* header */
    bool has_header, header_closed;
    int64_t header_row;
    size_t rows_before_header;
    unsigned n_cols;
    int *col_kind; /* by column: enum col_kind (or COL_FIELD + k) */
    const char **col_label;
    bool has_col[COL_FIELD];
    /* results */
    int64_t rows, creates, updates, unchanged, conflicts, n_errors;
    struct json_object *errors, *warnings, *pv_creates, *pv_updates, *pv_conflicts;
    struct code_seen seen;
    int64_t *req_units; /* units counted as asked for data by this import */
    size_t n_req_units, cap_req_units;
};

/* ---- small helpers ------------------------------------------------------------ */

static const char *col_ref(struct import *im, unsigned col)
{
    char cn[8];
    tz_col_name(col, cn);
    const char *label = col < im->n_cols ? im->col_label[col] : NULL;
    return tz_arena_printf(im->call->arena, "%s%s%s", cn, label ? " " : "", label ? label : "");
}

static void add_error(struct import *im, int64_t row, const char *column, const char *reason)
{
    im->n_errors++;
    if (json_object_array_length(im->errors) >= ERRORS_MAX)
        return;
    struct json_object *e = json_object_new_object();
    json_object_object_add(e, "row", json_object_new_int64(row));
    json_object_object_add(e, "column", column ? json_object_new_string(column) : NULL);
    json_object_object_add(e, "reason", json_object_new_string(reason));
    json_object_array_add(im->errors, e);
}

static void add_warning(struct import *im, const char *column, const char *reason)
{
    struct json_object *e = json_object_new_object();
    json_object_object_add(e, "column", json_object_new_string(column));
    json_object_object_add(e, "reason", json_object_new_string(reason));
    json_object_array_add(im->warnings, e);
}

/* The column that holds kind (the first), or -1. */
static long column_of(struct import *im, int kind)
{
    for (unsigned c = 0; c < im->n_cols; c++)
        if (im->col_kind[c] == kind)
            return c;
    return -1;
}

/* A cell's value as text: numbers without a needless ".0". */
static const char *cell_text(struct import *im, const struct tz_cell *c)
{
    if (!c)
        return "";
    if (c->kind == TZ_CELL_NUMBER && c->num == (double)(long long)c->num)
        return tz_arena_printf(im->call->arena, "%lld", (long long)c->num);
    if (c->kind == TZ_CELL_BOOL)
        return c->num ? "是" : "否";
    return c->text;
}

/* Text without surrounding spaces, in the row's arena. */
static const char *trimmed(struct import *im, const char *s)
{
    while (*s && isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    return tz_arena_strndup(im->call->arena, s, n);
}

static int64_t unit_by_name(struct import *im, const char *name)
{
    for (size_t i = 0; i < im->n_units; i++)
        if (strcmp(im->units[i].name, name) == 0 || strcmp(im->units[i].code, name) == 0)
            return im->units[i].id;
    return 0;
}

/* Splits a list cell at line breaks (and 、，；, for units) into its non-empty parts. */
static size_t split_list(struct import *im, const char *s, bool units, const char ***out)
{
    size_t cap = 8, n = 0;
    const char **v = tz_arena_alloc(im->call->arena, cap * sizeof(*v));
    const char *p = s;
    while (*p) {
        size_t len = 0, skip = 0;
        for (;;) {
            const char *q = p + len;
            if (!*q)
                break;
            if (*q == '\n' || *q == '\r') {
                skip = 1;
                break;
            }
            if (units && (strncmp(q, "、", 3) == 0 || strncmp(q, "，", 3) == 0 ||
                          strncmp(q, "；", 3) == 0)) {
                skip = 3;
                break;
            }
            if (units && (*q == ',' || *q == ';')) {
                skip = 1;
                break;
            }
            len++;
        }
        const char *part = trimmed(im, tz_arena_strndup(im->call->arena, p, len));
        if (*part) {
            if (n == cap)
                v = tz_arena_grow(im->call->arena, v, &cap, sizeof(*v));
            v[n++] = part;
        }
        p += len + skip;
    }
    *out = v;
    return n;
}

/* ---- the header ---------------------------------------------------------------- */

static int label_kind(struct import *im, const char *raw)
{
    char buf[LABEL_BUF];
    const char *l = tz_label_normalize(raw, buf, sizeof(buf));
    for (size_t k = 0; k < im->def->n_fields; k++) {
        const struct tz_field_def *fd = &im->def->fields[k];
        char fb[LABEL_BUF];
        if (strcmp(tz_label_normalize(fd->label, fb, sizeof(fb)), l) == 0 ||
            strcmp(fd->key, l) == 0)
            return COL_FIELD + (int)k;
    }
    for (size_t i = 0; i < N_FIXED_LABELS; i++)
        if (strcmp(fixed_labels[i].label, l) == 0)
            return fixed_labels[i].kind;
    return COL_NONE;
}

/* How many cells of the row are known labels; *all_known when every text cell is. */
static size_t known_labels(struct import *im, const struct tz_cell *cells, size_t n, bool *has_key,
                           bool *all_known)
{
    size_t k = 0;
    *has_key = false;
    *all_known = true;
    for (size_t i = 0; i < n; i++) {
        int kind = cells[i].kind == TZ_CELL_TEXT ? label_kind(im, cells[i].text) : COL_NONE;
        if (kind != COL_NONE) {
            k++;
            *has_key = *has_key || kind == COL_CODE || kind == COL_TITLE;
        } else {
            *all_known = false;
        }
    }
    return k;
}

static void set_column(struct import *im, unsigned col, int kind, const char *label)
{
    if (col >= im->n_cols) {
        unsigned n = col + 1;
        int *k = tz_arena_calloc(&im->keep, n * sizeof(*k));
        const char **l = tz_arena_calloc(&im->keep, n * sizeof(*l));
        if (im->n_cols) {
            memcpy(k, im->col_kind, im->n_cols * sizeof(*k));
            memcpy(l, im->col_label, im->n_cols * sizeof(*l));
        }
        im->col_kind = k;
        im->col_label = l;
        im->n_cols = n;
    }
    char buf[LABEL_BUF];
    im->col_kind[col] = kind;
    im->col_label[col] = tz_arena_strdup(&im->keep, tz_label_normalize(label, buf, sizeof(buf)));
    if (kind < COL_FIELD)
        im->has_col[kind] = true;
}

/* Takes a header row (the lower row of a two-row header fills what the upper left open). */
static void take_header(struct import *im, const struct tz_cell *cells, size_t n, bool is_sub)
{
    for (size_t i = 0; i < n; i++) {
        if (cells[i].kind != TZ_CELL_TEXT)
            continue;
        unsigned col = cells[i].col;
        if (is_sub && col < im->n_cols && im->col_kind[col] != COL_NONE)
            continue; /* the upper row already named it */
        set_column(im, col, label_kind(im, cells[i].text), cells[i].text);
    }
}

/* The header is complete: warns once about the columns that are not imported. */
static void close_header(struct import *im)
{
    im->header_closed = true;
    for (unsigned c = 0; c < im->n_cols; c++) {
        int kind = im->col_kind[c];
        if (!im->col_label[c])
            continue;
        if (kind == COL_NONE) {
            add_warning(im, col_ref(im, c), "未识别的列，已忽略");
        } else if (kind >= COL_FIELD) {
            const struct tz_field_def *fd = &im->def->fields[kind - COL_FIELD];
            if (fd->is_computed) {
                im->col_kind[c] = COL_IGNORED; /* the server computes it */
            } else if (fd->type == TZ_FIELD_MILESTONES || fd->type == TZ_FIELD_CHECKLIST) {
                im->col_kind[c] = COL_IGNORED;
                add_warning(im, col_ref(im, c), "此列不导入，请在网页中编辑");
            }
        }
    }
}

/* ---- cell values ---------------------------------------------------------------- */

/* A date cell (a date-styled number, a serial, or text in a usual form) as "YYYY-MM-DD". */
static bool cell_date(const struct tz_cell *c, int32_t *day)
{
    if (c->kind == TZ_CELL_DATE || c->kind == TZ_CELL_NUMBER)
        return tz_excel_serial_day(c->num, day);
    return c->kind == TZ_CELL_TEXT && tz_parse_date_text(c->text, day);
}

/*
 * One ledger field's cell as its JSON value (NULL for an empty cell), or a
 * reason in *why.
 */
static struct json_object *field_value(struct import *im, const struct tz_field_def *fd,
                                       const struct tz_cell *c, const char **why)
{
    *why = NULL;
    if (!c)
        return NULL;
    const char *text = trimmed(im, cell_text(im, c));
    char buf[TZ_DATE_BUF];
    int32_t day;
    double num;
    int64_t i64;
    bool b;
    switch (fd->type) {
    case TZ_FIELD_INTEGER:
        if (c->kind == TZ_CELL_NUMBER && c->num == (double)(int64_t)c->num)
            return json_object_new_int64((int64_t)c->num);
        if (tz_parse_int_text(text, INT64_MIN / 2, INT64_MAX / 2, &i64))
            return json_object_new_int64(i64);
        *why = "应为整数";
        return NULL;
    case TZ_FIELD_DECIMAL:
    case TZ_FIELD_MONEY:
        if (c->kind == TZ_CELL_NUMBER)
            return json_object_new_double(c->num);
        if (tz_parse_number_text(text, &num))
            return json_object_new_double(num);
        *why = fd->type == TZ_FIELD_MONEY ? "应为金额（万元，数字）" : "应为数字";
        return NULL;
    case TZ_FIELD_DATE:
        if (cell_date(c, &day))
            return json_object_new_string(tz_date_format(day, buf));
        *why = "不是有效的日期（如 2026-11-30 或 2026年11月30日）";
        return NULL;
    case TZ_FIELD_BOOL:
        if (c->kind == TZ_CELL_BOOL)
            return json_object_new_boolean(c->num != 0);
        if (tz_parse_bool_text(text, &b))
            return json_object_new_boolean(b);
        *why = "应为“是”或“否”";
        return NULL;
    case TZ_FIELD_ENUM:
        for (size_t k = 0; k < fd->n_values; k++)
            if (strcmp(fd->values[k], text) == 0)
                return json_object_new_string(text);
        {
            struct tz_strbuf sb = TZ_STRBUF_INIT;
            tz_strbuf_addstr(&sb, "不是可选值，可选：");
            for (size_t k = 0; k < fd->n_values; k++)
                tz_strbuf_addf(&sb, "%s%s", k ? "、" : "", fd->values[k]);
            *why = tz_arena_strdup(im->call->arena, sb.buf);
            tz_strbuf_release(&sb);
        }
        return NULL;
    case TZ_FIELD_LIST: {
        const char **parts = NULL;
        size_t n = split_list(im, text, false, &parts);
        struct json_object *a = json_object_new_array();
        for (size_t k = 0; k < n; k++)
            json_object_array_add(a, json_object_new_string(parts[k]));
        return a;
    }
    case TZ_FIELD_UNIT: {
        int64_t id = unit_by_name(im, text);
        if (id)
            return json_object_new_int64(id);
        *why = "没有这个单位";
        return NULL;
    }
    case TZ_FIELD_UNIT_LIST: {
        const char **parts = NULL;
        size_t n = split_list(im, text, true, &parts);
        struct json_object *a = json_object_new_array();
        for (size_t k = 0; k < n; k++) {
            int64_t id = unit_by_name(im, parts[k]);
            if (!id) {
                json_object_put(a);
                *why = tz_arena_printf(im->call->arena, "没有单位“%s”", parts[k]);
                return NULL;
            }
            json_object_array_add(a, json_object_new_int64(id));
        }
        return a;
    }
    default:
        return json_object_new_string(text);
    }
}

/* The row's cells by column kind (the first column of a kind wins). */
struct row_cells {
    const struct tz_cell *by_kind[COL_FIELD];
    const struct tz_cell **field; /* by field index */
};

/* Reads the core columns into body (only those the header has); false after a bad cell. */
static bool core_values(struct import *im, int64_t row, const struct row_cells *rc,
                        struct json_object *body)
{
    bool ok = true;
    const struct tz_cell *c;
    static const struct {
        int kind;
        const char *key;
    } texts[] = {{COL_TITLE, "title"},
                 {COL_DESC, "description"},
                 {COL_SOURCE, "source"},
                 {COL_LEADER, "leader"}};
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
        if (im->has_col[texts[i].kind])
            json_object_object_add(
                body, texts[i].key,
                json_object_new_string(trimmed(im, cell_text(im, rc->by_kind[texts[i].kind]))));
    if (im->has_col[COL_LEAD]) {
        c = rc->by_kind[COL_LEAD];
        const char *name = trimmed(im, cell_text(im, c));
        int64_t id = *name ? unit_by_name(im, name) : 0;
        if (*name && !id) {
            add_error(im, row, col_ref(im, c->col),
                      tz_arena_printf(im->call->arena, "没有单位“%s”", name));
            ok = false;
        }
        json_object_object_add(body, "lead_unit_id", id ? json_object_new_int64(id) : NULL);
    }
    if (im->has_col[COL_CO]) {
        c = rc->by_kind[COL_CO];
        const char **parts = NULL;
        size_t n = split_list(im, cell_text(im, c), true, &parts);
        struct json_object *a = json_object_new_array();
        for (size_t k = 0; k < n; k++) {
            int64_t id = unit_by_name(im, parts[k]);
            if (!id) {
                add_error(im, row, col_ref(im, c->col),
                          tz_arena_printf(im->call->arena, "没有单位“%s”", parts[k]));
                ok = false;
            } else {
                json_object_array_add(a, json_object_new_int64(id));
            }
        }
        json_object_object_add(body, "co_unit_ids", a);
    }
    if (im->has_col[COL_DEADLINE]) {
        c = rc->by_kind[COL_DEADLINE];
        int32_t day = TZ_DAY_NONE;
        char buf[TZ_DATE_BUF];
        if (c && !cell_date(c, &day)) {
            add_error(im, row, col_ref(im, c->col),
                      "不是有效的日期（如 2026-11-30、2026/11/30 或 2026年11月30日）");
            ok = false;
        }
        json_object_object_add(
            body, "deadline",
            day == TZ_DAY_NONE ? NULL : json_object_new_string(tz_date_format(day, buf)));
    }
    return ok;
}

/* Absent, null, "" and [] are all an empty cell. */
static bool is_empty(struct json_object *v)
{
    return !v || (json_object_is_type(v, json_type_string) && !*json_object_get_string(v)) ||
           (json_object_is_type(v, json_type_array) && json_object_array_length(v) == 0);
}

/*
 * The ledger's field columns merged over base (the item's fields, or {}):
 * *changed says whether a value differs from seen (what the caller sees, the
 * petitioner masked for some). false after a bad cell.
 */
static bool field_values(struct import *im, int64_t row, const struct row_cells *rc,
                         struct json_object *base, struct json_object *seen, bool *changed)
{
    bool ok = true;
    *changed = false;
    for (unsigned col = 0; col < im->n_cols; col++) {
        int kind = im->col_kind[col];
        if (kind < COL_FIELD || column_of(im, kind) != (long)col)
            continue;
        const struct tz_field_def *fd = &im->def->fields[kind - COL_FIELD];
        const struct tz_cell *c = rc->field[kind - COL_FIELD];
        const char *why = NULL;
        struct json_object *v = field_value(im, fd, c, &why);
        if (why) {
            add_error(im, row, col_ref(im, col), why);
            ok = false;
            continue;
        }
        struct json_object *old = NULL;
        json_object_object_get_ex(seen, fd->key, &old);
        if (json_object_equal(v, old) || (is_empty(v) && is_empty(old))) {
            json_object_put(v);
            continue;
        }
        /* a double read back from a cell equal to the stored integer is no change */
        if (v && old && json_object_is_type(old, json_type_int) &&
            json_object_is_type(v, json_type_double) &&
            json_object_get_double(v) == (double)json_object_get_int64(old)) {
            json_object_put(v);
            continue;
        }
        *changed = true;
        if (v)
            json_object_object_add(base, fd->key, v);
        else
            json_object_object_del(base, fd->key);
    }
    return ok;
}

/*
 * The API's English reasons that a cell can still meet after the import's own
 * checks (ranges, lengths, required fields, the ledgers' rules), in Chinese;
 * anything else is passed on as it is.
 */
static const char *english_in_chinese(const char *msg)
{
    static const struct {
        const char *en, *zh;
    } words[] = {
        {"is below its minimum", "小于允许的最小值"},
        {"is above its maximum", "大于允许的最大值"},
        {"must not be negative", "不能为负数"},
        {"must be a whole number", "应为整数"},
        {"must be a number", "应为数字"},
        {"is too long", "内容过长"},
        {"is longer than", "内容过长"},
        {"is required", "必须填写"},
    };
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        if (strstr(msg, words[i].en))
            return words[i].zh;
    return msg;
}

/* An error of the create or PATCH path as a bad cell: its field's column, in Chinese. */
static void add_item_error(struct import *im, int64_t row, const struct tz_err *e)
{
    long col = -1;
    static const struct {
        const char *field;
        int kind;
    } core[] = {{"title", COL_TITLE},       {"description", COL_DESC}, {"source", COL_SOURCE},
                {"lead_unit_id", COL_LEAD}, {"co_unit_ids", COL_CO},   {"leader", COL_LEADER},
                {"deadline", COL_DEADLINE}, {"version", COL_VERSION},  {"progress", COL_PROGRESS}};
    for (size_t i = 0; i < sizeof(core) / sizeof(core[0]) && col < 0; i++)
        if (strcmp(e->field, core[i].field) == 0)
            col = column_of(im, core[i].kind);
    for (size_t k = 0; k < im->def->n_fields && col < 0; k++)
        if (strcmp(e->field, im->def->fields[k].key) == 0)
            col = column_of(im, COL_FIELD + (int)k);
    const char *why;
    switch (e->code) {
    case TZ_EFORBIDDEN:
        why = "无权修改此事项（只有督查室可以新建和修改事项）";
        break;
    case TZ_ETRANSITION:
        /* closed or cancelled items take no edit; after 交办 the deadline and lead unit move
           only by an approved extension or a reopening (SPEC 2.3) */
        why = strstr(e->msg, "cannot be edited")
                  ? "事项已销号或已撤销，不能修改"
                  : "事项已交办，办结时限和牵头单位只能通过延期审批或重新交办改变";
        break;
    default:
        if (strcmp(e->field, "title") == 0)
            why = "事项不能为空";
        else if (strcmp(e->field, "location") == 0)
            why = "生态环境问题须有位置，请在网页中新建";
        else
            why = tz_arena_printf(im->call->arena, "不符合要求：%s", english_in_chinese(e->msg));
        break;
    }
    add_error(im, row, col >= 0 ? col_ref(im, (unsigned)col) : NULL, why);
}

/* ---- the preview ----------------------------------------------------------------- */

static struct json_object *preview_row(int64_t row, const struct tz_item *it)
{
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "row", json_object_new_int64(row));
    json_object_object_add(o, "code", it->code ? json_object_new_string(it->code) : NULL);
    json_object_object_add(o, "title", json_object_new_string(it->title ? it->title : ""));
    return o;
}

static void preview_add(struct json_object *list, struct json_object *o)
{
    if (json_object_array_length(list) < PREVIEW_MAX)
        json_object_array_add(list, o);
    else
        json_object_put(o);
}

/* ---- a create --------------------------------------------------------------------- */

static bool is_our_code(struct import *im, const char *code)
{
    size_t n = strlen(im->def->prefix);
    if (strncmp(code, im->def->prefix, n) != 0 || code[n] != '-')
        return false;
    const char *p = code + n + 1;
    for (int i = 0; i < 4; i++)
        if (!isdigit((unsigned char)p[i]))
            return false;
    if (p[4] != '-' || !isdigit((unsigned char)p[5]))
        return false;
    for (p += 5; *p; p++)
        if (!isdigit((unsigned char)*p))
            return false;
    return true;
}

static enum tz_status create_row(struct import *im, int64_t row, const struct row_cells *rc,
                                 const char *foreign_code, struct tz_err *err)
{
    struct tz_call *call = im->call;
    if (!(call->user.roles & TZ_ROLE_SUPERVISOR)) {
        long col = column_of(im, COL_CODE);
        add_error(im, row, col >= 0 ? col_ref(im, (unsigned)col) : NULL,
                  *foreign_code ? "没有这个编号的事项（或无权查看）"
                                : "无权新建事项（只有督查室可以新建）");
        return TZ_OK;
    }
    struct json_object *body = json_object_new_object();
    json_object_object_add(body, "ledger", json_object_new_string(im->def->key));
    bool ok = core_values(im, row, rc, body);
    struct json_object *fields = json_object_new_object(), *seen = json_object_new_object();
    bool changed = false;
    ok = field_values(im, row, rc, fields, seen, &changed) && ok;
    json_object_put(seen);
    json_object_object_add(body, "fields", fields);
    if (*foreign_code) {
        /* an old ledger's own number: kept with the source, the server numbers the item */
        struct json_object *src = NULL;
        const char *was = json_object_object_get_ex(body, "source", &src) && src
                              ? json_object_get_string(src)
                              : "";
        json_object_object_add(
            body, "source",
            json_object_new_string(tz_arena_printf(call->arena, "%s%s原编号 %s", was,
                                                   *was ? "；" : "", foreign_code)));
    }
    if (!ok) {
        json_object_put(body);
        return TZ_OK;
    }
    struct tz_item it;
    struct tz_err e;
    tz_err_clear(&e);
    /* the item's strings are borrowed from body until it is written */
    enum tz_status s = tz_app_item_build(call, body, &it, &e);
    if (s != TZ_OK) {
        json_object_put(body);
        add_item_error(im, row, &e);
        return TZ_OK;
    }
    s = tz_app_item_record(call, NULL, &it, "create", NULL, err);
    if (s == TZ_OK) {
        im->creates++;
        preview_add(im->pv_creates, preview_row(row, &it));
    }
    json_object_put(body);
    return s;
}

/* ---- an update ---------------------------------------------------------------------- */

/* Which actor reports the progress: the importer, or the lead unit on whose behalf the office
 * enters it. */
static bool report_actor(struct import *im, const struct tz_item *it,
                         const struct tz_action_req *req, const struct tz_loop_env *env,
                         struct tz_actor *out, int64_t *unit, const char **why)
{
    struct tz_err e;
    struct tz_actor *me = &im->call->actor;
    *why = NULL;
    if (tz_loop_check(it, me, req, env, &e) == TZ_OK) {
        *out = *me;
        return true;
    }
    if ((me->roles & TZ_ROLE_SUPERVISOR) && it->lead_unit_id) {
        *unit = it->lead_unit_id;
        *out = (struct tz_actor){.user_id = me->user_id,
                                 .username = me->username,
                                 .unit_id = it->lead_unit_id,
                                 .roles = TZ_ROLE_STAFF,
                                 .subtree = unit,
                                 .n_subtree = 1};
        if (tz_loop_check(it, out, req, env, &e) == TZ_OK)
            return true;
    }
    if (e.code == TZ_ETRANSITION || (me->roles & TZ_ROLE_SUPERVISOR))
        *why = tz_arena_printf(
            im->call->arena, "事项当前状态（%s）不能报送进度：签收后办理中或长期坚持的事项才能报送",
            tz_state_name(it->state));
    else
        *why = "无权报送此事项的进度（只有牵头单位或配合单位可以报送）";
    return false;
}

/* Whether a core column's value (as core_values put it) equals the item's. */
static bool same_core_value(const struct tz_item *it, const char *key, struct json_object *v)
{
    static const struct {
        const char *key;
        size_t offset;
    } texts[] = {{"title", offsetof(struct tz_item, title)},
                 {"description", offsetof(struct tz_item, description)},
                 {"source", offsetof(struct tz_item, source)},
                 {"leader", offsetof(struct tz_item, leader)}};
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
        if (strcmp(key, texts[i].key) == 0) {
            const char *cur = *(const char *const *)((const char *)it + texts[i].offset);
            return strcmp(cur ? cur : "", json_object_get_string(v)) == 0;
        }
    }
    if (strcmp(key, "lead_unit_id") == 0)
        return (v ? json_object_get_int64(v) : 0) == it->lead_unit_id;
    if (strcmp(key, "deadline") == 0) {
        int32_t day = TZ_DAY_NONE;
        if (v && !tz_date_parse(json_object_get_string(v), &day))
            return false;
        return day == it->deadline;
    }
    if (strcmp(key, "co_unit_ids") == 0) {
        size_t n = json_object_array_length(v);
        if (n != it->n_co_units)
            return false;
        for (size_t i = 0; i < n; i++) {
            bool found = false;
            int64_t id = json_object_get_int64(json_object_array_get_idx(v, i));
            for (size_t k = 0; k < it->n_co_units && !found; k++)
                found = it->co_unit_ids[k] == id;
            if (!found)
                return false;
        }
        return true;
    }
    return false;
}

/*
 * Forms gathered from the grassroots (DOMAIN 9.3): an import by the office that
 * records a unit's progress is one data request to that unit, however many of
 * its rows it holds (unit_tally kind "data_request", for the burden meter).
 */
static enum tz_status count_request(struct import *im, int64_t unit, int64_t item_id,
                                    const char *now, struct tz_err *err)
{
    for (size_t i = 0; i < im->n_req_units; i++)
        if (im->req_units[i] == unit)
            return TZ_OK;
    if (im->n_req_units == im->cap_req_units) {
        size_t cap = im->cap_req_units ? 2 * im->cap_req_units : 16;
        int64_t *v = tz_arena_alloc(&im->keep, cap * sizeof(*v));
        if (im->n_req_units)
            memcpy(v, im->req_units, im->n_req_units * sizeof(*v));
        im->req_units = v;
        im->cap_req_units = cap;
    }
    im->req_units[im->n_req_units++] = unit;
    return TZ_STORE(im->call->conn)
        ->tally_insert(im->call->conn, unit, item_id, "data_request",
                       tz_arena_printf(im->call->arena, "%.7s", now), err);
}

/* The row's 版本 against the item's: false (the row done with) when missing or different. */
static bool version_matches(struct import *im, int64_t row, const struct row_cells *rc,
                            const struct tz_item *cur)
{
    const struct tz_cell *vc = rc->by_kind[COL_VERSION];
    int64_t version = 0;
    if (!vc || !tz_parse_int_text(cell_text(im, vc), 1, INT64_MAX / 2, &version)) {
        long col = column_of(im, COL_VERSION);
        add_error(im, row, col >= 0 ? col_ref(im, (unsigned)col) : "版本",
                  "更新已有事项须填写导出时的版本号（版本列）");
        return false;
    }
    if (version == cur->version)
        return true;
    im->conflicts++;
    struct json_object *o = preview_row(row, cur);
    json_object_object_add(o, "version", json_object_new_int64(version));
    json_object_object_add(o, "current_version", json_object_new_int64(cur->version));
    json_object_object_add(o, "reason",
                           json_object_new_string("导出后已在网页中修改，请重新导出后再填报"));
    preview_add(im->pv_conflicts, o);
    return false;
}

/* The columns that differ from the item, as a PATCH body (without version) into body. */
static bool patch_body(struct import *im, int64_t row, const struct row_cells *rc,
                       const struct tz_item *cur, struct json_object *body)
{
    struct json_object *probe = json_object_new_object();
    struct tz_err ignore;
    bool ok = core_values(im, row, rc, probe);
    json_object_object_foreach(probe, key, val)
    {
        if (!same_core_value(cur, key, val))
            json_object_object_add(body, key, json_object_get(val));
    }
    json_object_put(probe);
    struct json_object *base = tz_json_parse(cur->fields_json, strlen(cur->fields_json), &ignore);
    const char *seen_text = tz_app_item_fields_text(im->call, cur, im->call->arena);
    struct json_object *seen = tz_json_parse(seen_text, strlen(seen_text), &ignore);
    bool fields_changed = false;
    if (!base)
        base = json_object_new_object();
    ok = field_values(im, row, rc, base, seen, &fields_changed) && ok;
    json_object_put(seen);
    if (fields_changed) {
        tz_ledger_strip_computed(im->def, base);
        json_object_object_add(body, "fields", base);
    } else {
        json_object_put(base);
    }
    return ok;
}

/* The row's 进度 (the item's when the column is absent or empty); false after a bad cell. */
static bool progress_of(struct import *im, int64_t row, const struct row_cells *rc,
                        const struct tz_item *cur, int *progress)
{
    const struct tz_cell *pc = rc->by_kind[COL_PROGRESS];
    *progress = cur->progress;
    if (!pc)
        return true;
    double v = pc->num;
    bool good = pc->kind == TZ_CELL_NUMBER ? (v >= 0 && v <= 100 && v == (int)v) || (v > 0 && v < 1)
                                           : tz_parse_percent_text(pc->text, progress);
    if (pc->kind == TZ_CELL_NUMBER && good)
        *progress = v > 0 && v < 1 ? (int)(v * 100 + 0.5) : (int)v; /* 0.6 in a % cell */
    if (!good)
        add_error(im, row, col_ref(im, pc->col), "进度应为 0 到 100 的整数（可带 %）");
    return good;
}

/*
 * Applies the PATCH body to cur into *next as PATCH /items/{id} would; false
 * (a bad cell recorded) when the API would refuse it. *edits: anything changes.
 */
static bool apply_edit(struct import *im, int64_t row, const struct tz_item *cur,
                       struct json_object *body, struct tz_item *next, bool *edits)
{
    struct tz_err e;
    tz_err_clear(&e);
    *next = *cur;
    *edits = false;
    if (json_object_object_length(body) == 0)
        return true;
    json_object_object_add(body, "version", json_object_new_int64(cur->version));
    enum tz_status s = tz_app_item_edit(im->call, cur, body, next, &e);
    if (s != TZ_OK) {
        /* the loop names no field when a deadline or lead unit may not move: the row does */
        if (s == TZ_ETRANSITION && !e.field[0] && !strstr(e.msg, "cannot be edited"))
            snprintf(e.field, sizeof(e.field), "%s",
                     json_object_object_get_ex(body, "deadline", NULL) ? "deadline"
                                                                       : "lead_unit_id");
        add_item_error(im, row, &e);
        return false;
    }
    *edits = !tz_app_item_same(cur, next);
    if (!*edits)
        *next = *cur; /* nothing that an event would show: no edit, no new version */
    return true;
}

/* A progress report to record after the edit (if any). */
struct report {
    struct tz_action_req req;
    struct tz_actor by;
    int64_t on_behalf_of; /* the lead unit the office reports for, or 0 */
    struct tz_loop_env env;
};

/* Checks the report of progress on it (the item as edited); false (a bad cell) when refused. */
static bool plan_report(struct import *im, int64_t row, const struct row_cells *rc,
                        const struct tz_item *it, int progress, struct report *rp)
{
    struct tz_call *call = im->call;
    const char *comment = trimmed(im, cell_text(im, rc->by_kind[COL_COMMENT]));
    const char *file = im->o->name && *im->o->name ? im->o->name : "导入文件";
    const char *why = NULL;
    memset(rp, 0, sizeof(*rp));
    rp->req = (struct tz_action_req){.action = TZ_ACTION_REPORT,
                                     .has_progress = true,
                                     .progress = progress,
                                     .deadline = TZ_DAY_NONE,
                                     .version = it->version};
    rp->req.comment =
        *comment ? comment : tz_arena_printf(call->arena, "据《%s》报送进度 %d%%", file, progress);
    rp->env = (struct tz_loop_env){.today = tz_ctx_today(call->ctx),
                                   .now = tz_ctx_now(call->ctx, call->arena)};
    if (!report_actor(im, it, &rp->req, &rp->env, &rp->by, &rp->on_behalf_of, &why)) {
        add_error(im, row, col_ref(im, rc->by_kind[COL_PROGRESS]->col), why);
        return false;
    }
    if (rp->by.unit_id != call->actor.unit_id || rp->by.roles != call->actor.roles)
        rp->req.comment =
            tz_arena_printf(call->arena, "%s（督查室代录牵头单位报送）", rp->req.comment);
    return true;
}

/* Writes the report planned on it (the item as it stands in the transaction). */
static enum tz_status write_report(struct import *im, const struct tz_item *it, struct report *rp,
                                   struct tz_err *err)
{
    struct tz_item after = *it;
    tz_loop_apply(&after, &rp->by, &rp->req, &rp->env);
    after.updated_at = rp->env.now;
    after.light = tz_app_item_light(im->call->ctx, &after, rp->env.today);
    enum tz_status s = tz_app_item_record(im->call, it, &after, "report", &rp->req, err);
    if (s == TZ_OK && rp->on_behalf_of)
        s = count_request(im, rp->on_behalf_of, after.id, rp->env.now, err);
    return s;
}

static enum tz_status update_row(struct import *im, int64_t row, const struct row_cells *rc,
                                 int64_t id, struct tz_err *err)
{
    struct tz_call *call = im->call;
    struct tz_item cur, next;
    struct report rp;
    enum tz_status s = TZ_STORE(call->conn)->item_get(call->conn, id, call->arena, &cur, err);
    if (s != TZ_OK)
        return s;
    if (!tz_loop_visible(&cur, &call->actor)) {
        add_error(im, row, col_ref(im, (unsigned)column_of(im, COL_CODE)),
                  "没有这个编号的事项（或无权查看）");
        return TZ_OK;
    }
    if (!version_matches(im, row, rc, &cur))
        return TZ_OK;
    /* next's strings are borrowed from body until the records are written */
    struct json_object *body = json_object_new_object();
    int progress = 0;
    bool ok = patch_body(im, row, rc, &cur, body);
    ok = progress_of(im, row, rc, &cur, &progress) && ok;
    bool edits = false, reports = progress != cur.progress;
    ok = ok && apply_edit(im, row, &cur, body, &next, &edits);
    ok = ok && (!reports || plan_report(im, row, rc, &next, progress, &rp));
    if (ok && (edits || reports)) {
        if (edits)
            s = tz_app_item_record(call, &cur, &next, "edit", NULL, err);
        if (s == TZ_OK && reports)
            s = write_report(im, &next, &rp, err);
        if (s == TZ_OK) {
            im->updates++;
            struct json_object *o = preview_row(row, &cur);
            json_object_object_add(o, "edit", json_object_new_boolean(edits));
            json_object_object_add(o, "progress", reports ? json_object_new_int(progress) : NULL);
            preview_add(im->pv_updates, o);
        }
    } else if (ok) {
        im->unchanged++;
    }
    json_object_put(body);
    return s;
}

/* ---- rows --------------------------------------------------------------------------- */

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    while (*s)
        h = (h ^ (unsigned char)*s++) * 1099511628211ull;
    return h;
}

/* The row that had this code before, or 0 (and the code is remembered). */
static int64_t seen_before(struct import *im, const char *code, int64_t row)
{
    struct code_seen *cs = &im->seen;
    if (2 * (cs->n + 1) > cs->cap) {
        size_t cap = cs->cap ? 2 * cs->cap : 1024;
        char **codes = calloc(cap, sizeof(*codes));
        int64_t *rows = calloc(cap, sizeof(*rows));
        if (!codes || !rows)
            abort();
        for (size_t i = 0; i < cs->cap; i++) {
            if (!cs->codes[i])
                continue;
            size_t j = hash_str(cs->codes[i]) & (cap - 1);
            while (codes[j])
                j = (j + 1) & (cap - 1);
            codes[j] = cs->codes[i];
            rows[j] = cs->rows[i];
        }
        free(cs->codes);
        free(cs->rows);
        cs->codes = codes;
        cs->rows = rows;
        cs->cap = cap;
    }
    size_t j = hash_str(code) & (cs->cap - 1);
    while (cs->codes[j]) {
        if (strcmp(cs->codes[j], code) == 0)
            return cs->rows[j];
        j = (j + 1) & (cs->cap - 1);
    }
    cs->codes[j] = tz_arena_strdup(&im->keep, code);
    cs->rows[j] = row;
    cs->n++;
    return 0;
}

static enum tz_status data_row(struct import *im, int64_t row, const struct tz_cell *cells,
                               size_t n, struct tz_err *err)
{
    struct row_cells rc;
    memset(&rc, 0, sizeof(rc));
    rc.field = tz_arena_calloc(im->call->arena, (im->def->n_fields + 1) * sizeof(*rc.field));
    for (size_t i = 0; i < n; i++) {
        unsigned col = cells[i].col;
        int kind = col < im->n_cols ? im->col_kind[col] : COL_NONE;
        if (kind >= COL_FIELD) {
            if (!rc.field[kind - COL_FIELD])
                rc.field[kind - COL_FIELD] = &cells[i];
        } else if (kind > COL_IGNORED && !rc.by_kind[kind]) {
            rc.by_kind[kind] = &cells[i];
        }
    }
    /* a formula without a value, or a formula error, in a column that is imported */
    bool bad = false;
    for (size_t i = 0; i < n; i++) {
        unsigned col = cells[i].col;
        int kind = col < im->n_cols ? im->col_kind[col] : COL_NONE;
        if (cells[i].kind == TZ_CELL_ERROR && kind > COL_SEQ) {
            add_error(im, row, col_ref(im, col),
                      tz_arena_printf(im->call->arena, "单元格是错误值：%s", cells[i].text));
            bad = true;
        }
    }
    if (bad)
        return TZ_OK;
    const char *code = trimmed(im, cell_text(im, rc.by_kind[COL_CODE]));
    if (*code) {
        int64_t before = seen_before(im, code, row);
        if (before) {
            add_error(im, row, col_ref(im, rc.by_kind[COL_CODE]->col),
                      tz_arena_printf(im->call->arena, "编号与第 %lld 行重复", (long long)before));
            return TZ_OK;
        }
        int64_t id = 0;
        enum tz_status s =
            TZ_STORE(im->call->conn)->item_id_by_code(im->call->conn, im->def->key, code, &id, err);
        if (s != TZ_OK)
            return s;
        if (id)
            return update_row(im, row, &rc, id, err);
        if (is_our_code(im, code)) {
            add_error(im, row, col_ref(im, rc.by_kind[COL_CODE]->col),
                      "没有这个编号的事项（或无权查看）");
            return TZ_OK;
        }
    }
    return create_row(im, row, &rc, code, err);
}

static enum tz_status on_row(void *arg, int64_t row, const struct tz_cell *cells, size_t n,
                             struct tz_err *err)
{
    struct import *im = arg;
    bool has_key = false, all_known = false;
    if (!im->has_header) {
        size_t k = known_labels(im, cells, n, &has_key, &all_known);
        if (k >= 2 && has_key) {
            im->has_header = true;
            im->header_row = row;
            take_header(im, cells, n, false);
            return TZ_OK;
        }
        if (++im->rows_before_header >= HEADER_SCAN)
            return tz_err_set(err, TZ_EINVAL,
                              "未找到表头：前 %d 行中没有一行写着“编号”“事项”等列名", HEADER_SCAN);
        return TZ_OK;
    }
    if (!im->header_closed) {
        size_t k = known_labels(im, cells, n, &has_key, &all_known);
        if (k >= 1 && all_known && row == im->header_row + 1) {
            take_header(im, cells, n, true); /* the lower row of a two-row header */
            close_header(im);
            return TZ_OK;
        }
        close_header(im);
    }
    im->rows++;
    if (im->rows > im->call->ctx->cfg.import_max_rows)
        return tz_err_field(err, TZ_EINVAL, "file",
                            "文件的数据行超过导入上限 %lld 行，请分成几个文件导入",
                            (long long)im->call->ctx->cfg.import_max_rows);
    struct tz_arena scratch;
    tz_arena_init(&scratch);
    im->call->arena = &scratch;
    enum tz_status s = data_row(im, row, cells, n, err);
    im->call->arena = im->base_arena;
    tz_arena_release(&scratch);
    if (im->o->progress && im->rows % PROGRESS_EVERY == 0)
        im->o->progress(im->o->progress_arg, im->rows, 0);
    return s;
}

/* ---- the use case -------------------------------------------------------------------- */

static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), m = strlen(tail);
    return n >= m && strcasecmp(s + n - m, tail) == 0;
}

/* xlsx or csv, from the content type, else the name, else the bytes. */
static bool is_csv(const struct tz_import_opts *o, const unsigned char *d, size_t len)
{
    const char *ct = o->content_type;
    if (ct && strncasecmp(ct, "text/csv", 8) == 0)
        return true;
    if (ct && strstr(ct, "spreadsheetml"))
        return false;
    if (o->name && ends_with(o->name, ".csv"))
        return true;
    if (o->name && (ends_with(o->name, ".xlsx") || ends_with(o->name, ".xls")))
        return false;
    return !(len >= 4 && ((d[0] == 'P' && d[1] == 'K') || (d[0] == 0xD0 && d[1] == 0xCF)));
}

static struct json_object *report(struct import *im, const char *format, const char *encoding)
{
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "dry_run", json_object_new_boolean(im->o->dry_run));
    json_object_object_add(o, "ledger", json_object_new_string(im->def->key));
    json_object_object_add(o, "file", im->o->name ? json_object_new_string(im->o->name) : NULL);
    json_object_object_add(o, "format", json_object_new_string(format));
    json_object_object_add(o, "encoding", encoding ? json_object_new_string(encoding) : NULL);
    json_object_object_add(o, "header_row", json_object_new_int64(im->header_row));
    json_object_object_add(o, "rows", json_object_new_int64(im->rows));
    json_object_object_add(o, "creates", json_object_new_int64(im->creates));
    json_object_object_add(o, "updates", json_object_new_int64(im->updates));
    json_object_object_add(o, "unchanged", json_object_new_int64(im->unchanged));
    json_object_object_add(o, "conflicts", json_object_new_int64(im->conflicts));
    json_object_object_add(o, "error_count", json_object_new_int64(im->n_errors));
    struct json_object *pv = json_object_new_object();
    json_object_object_add(pv, "creates", json_object_get(im->pv_creates));
    json_object_object_add(pv, "updates", json_object_get(im->pv_updates));
    json_object_object_add(pv, "conflicts", json_object_get(im->pv_conflicts));
    json_object_object_add(o, "preview", pv);
    json_object_object_add(o, "errors", json_object_get(im->errors));
    json_object_object_add(o, "warnings", json_object_get(im->warnings));
    return o;
}

static enum tz_status audit_import(struct import *im, const char *format, struct tz_err *err)
{
    struct tz_strbuf d = TZ_STRBUF_INIT;
    const char *name = im->o->name ? im->o->name : "";
    tz_strbuf_addstr(&d, "{\"file\":");
    tz_strbuf_add_json_str(&d, name, strlen(name));
    tz_strbuf_addf(&d,
                   ",\"format\":\"%s\",\"rows\":%lld,\"creates\":%lld,\"updates\":%lld,"
                   "\"unchanged\":%lld,\"conflicts_skipped\":%lld}",
                   format, (long long)im->rows, (long long)im->creates, (long long)im->updates,
                   (long long)im->unchanged, (long long)im->conflicts);
    enum tz_status s =
        tz_app_audit(im->call, "ledger.import",
                     tz_arena_printf(im->call->arena, "ledger:%s", im->def->key), d.buf, err);
    tz_strbuf_release(&d);
    return s;
}

static void import_release(struct import *im)
{
    json_object_put(im->errors);
    json_object_put(im->warnings);
    json_object_put(im->pv_creates);
    json_object_put(im->pv_updates);
    json_object_put(im->pv_conflicts);
    free(im->seen.codes);
    free(im->seen.rows);
    tz_arena_release(&im->keep);
}

enum tz_status tz_app_import(struct tz_call *call, const struct tz_import_opts *opts,
                             const void *data, size_t len, struct json_object **out,
                             struct tz_err *err)
{
    struct import im = {.call = call, .o = opts, .base_arena = call->arena};
    *out = NULL;
    if (!(call->actor.roles & (TZ_ROLE_SUPERVISOR | TZ_ROLE_MANAGER | TZ_ROLE_STAFF)))
        return tz_err_set(err, TZ_EFORBIDDEN, "只有督查室和承办单位可以导入台账");
    im.def = tz_app_ledger(call->ctx, opts->ledger);
    if (!im.def)
        return tz_err_set(err, TZ_ENOTFOUND, "no ledger '%s'", opts->ledger);
    if (len > call->ctx->cfg.max_import)
        return tz_err_set(err, TZ_ETOOLARGE, "文件超过导入上限 %zu MB",
                          call->ctx->cfg.max_import >> 20);
    if (len == 0)
        return tz_err_field(err, TZ_EINVAL, "file", "文件是空的");
    enum tz_status s = tz_app_lights_current(call, err);
    if (s != TZ_OK)
        return s;
    s = TZ_STORE(call->conn)->unit_list(call->conn, call->arena, &im.units, &im.n_units, err);
    if (s != TZ_OK)
        return s;
    tz_arena_init(&im.keep);
    im.errors = json_object_new_array();
    im.warnings = json_object_new_array();
    im.pv_creates = json_object_new_array();
    im.pv_updates = json_object_new_array();
    im.pv_conflicts = json_object_new_array();
    struct tz_read_limits lim;
    tz_read_limits_init(&lim);
    bool csv = is_csv(opts, data, len);
    const char *encoding = NULL, *format = csv ? "csv" : "xlsx";

    call->n_changes = 0;
    s = TZ_STORE(call->conn)->begin_bulk(call->conn, err); /* one transaction, no savepoint */
    if (s != TZ_OK) {
        import_release(&im);
        return s;
    }
    if (csv)
        s = tz_read_csv(data, len, &lim, &encoding, on_row, &im, err);
    else
        s = tz_read_xlsx(data, len, &lim, on_row, &im, err);
    call->arena = im.base_arena;
    if (im.has_header && !im.header_closed)
        close_header(&im);
    if (s == TZ_OK && !im.has_header)
        s = tz_err_field(err, TZ_EINVAL, "file",
                         "未找到表头：文件中没有一行写着“编号”“事项”等列名");
    if (s == TZ_OK && opts->progress)
        opts->progress(opts->progress_arg, im.rows, im.rows);
    bool writes = s == TZ_OK && !opts->dry_run && im.n_errors == 0 &&
                  (im.conflicts == 0 || opts->skip_conflicts);
    if (writes)
        s = audit_import(&im, format, err);
    if (s == TZ_OK && writes) {
        s = tz_app_commit(call, err);
    } else {
        TZ_STORE(call->conn)->rollback(call->conn);
    }
    if (s == TZ_OK) {
        *out = report(&im, format, encoding);
        if (im.n_errors && !opts->dry_run)
            s = tz_err_field(err, TZ_EINVAL, "file", "有 %lld 个单元格不符合要求，未导入任何数据",
                             (long long)im.n_errors);
        else if (im.conflicts && !opts->dry_run && !opts->skip_conflicts)
            s = tz_err_field(err, TZ_ECONFLICT, "version",
                             "有 %lld 行在导出后已在网页中修改（版本不符），未导入任何数据",
                             (long long)im.conflicts);
    }
    import_release(&im);
    return s;
}

enum tz_status tz_app_call_as(struct tz_call *call, const char *username, struct tz_err *err)
{
    struct tz_user u;
    struct tz_err ignore;
    if (TZ_STORE(call->conn)->user_get(call->conn, 0, username, call->arena, &u, &ignore) !=
            TZ_OK ||
        u.disabled)
        return tz_err_field(err, TZ_EINVAL, "as", "没有可用的用户“%s”", username);
    call->user = u;
    call->signed_in = true;
    tz_app_make_actor(call);
    return TZ_OK;
}
