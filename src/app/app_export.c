/*
 * app_export.c - a ledger as an .xlsx workbook in the official ledger layout
 * (GET /ledgers/{ledger}/export.xlsx, `taizhang export`).
 *
 * Layout of the one sheet: row 1 the title ("督察巡视反馈问题整改台账", merged
 * across, bold, larger); row 2 the export line (导出时间, 范围, 筛选, count);
 * row 3 the Chinese header, frozen; then one row per item: 序号, 编号, 事项,
 * 牵头单位, 配合单位, 责任领导, 办结时限, 状态, 亮灯 (coloured), 进度, the
 * ledger's own fields under their labels, and 版本 last (an import compares
 * code and version to detect conflicts).
 *
 * Cells are typed: dates are Excel date serials with a yyyy"年"m"月"d"日"
 * format, integers and decimals numbers, money numbers in 万元 with two
 * decimals, enums their Chinese labels, booleans 是/否, lists one element a
 * line (wrapped), units their names.
 *
 * Memory stays bounded whatever the count: libxlsxwriter runs in constant-
 * memory mode (each row goes to a temporary file as soon as the next starts;
 * strings are written inline, so there is no sharedStrings.xml), and the rows
 * come from the store's item walk one at a time, each in its own scratch arena.
 *
 * The items are exactly those GET /items shows the caller for the same
 * filters (tz_app_list_prepare), and the petitioner's name and contact are
 * masked by the same rule as the item JSON (tz_app_item_fields_text).
 */
#include "app_internal.h"
#include "tz/date.h"
#include "tz/log.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <xlsxwriter.h>

#define EXCEL_EPOCH_OFFSET 25569 /* 1970-01-01 as an Excel serial (1900 system) */
#define CELL_MAX           32767 /* bytes of text one cell holds */
#define PROGRESS_EVERY     1000

/* The columns every ledger has, before its own fields. */
static const struct {
    const char *label;
    double width;
} fixed_cols[] = {
    {"序号", 6},      {"编号", 16},     {"事项", 40}, {"牵头单位", 18}, {"配合单位", 18},
    {"责任领导", 10}, {"办结时限", 16}, {"状态", 10}, {"亮灯", 8},      {"进度", 8},
};
#define N_FIXED (sizeof(fixed_cols) / sizeof(fixed_cols[0]))

static const char *const state_labels[TZ__STATE_COUNT] = {
    [TZ_STATE_DRAFT] = "立项登记",     [TZ_STATE_ASSIGNED] = "已交办",
    [TZ_STATE_IN_PROGRESS] = "办理中", [TZ_STATE_SUBMITTED] = "申请销号",
    [TZ_STATE_CLOSED] = "已销号",      [TZ_STATE_ONGOING] = "长期坚持",
    [TZ_STATE_CANCELLED] = "已撤销",   [TZ_STATE_REGISTERED] = "已登记",
};

static const char *const light_labels[TZ__LIGHT_COUNT] = {
    [TZ_LIGHT_NONE] = "无灯", [TZ_LIGHT_GREEN] = "绿灯",  [TZ_LIGHT_YELLOW] = "黄灯",
    [TZ_LIGHT_RED] = "红灯",  [TZ_LIGHT_DONE] = "已销号",
};

struct export
{
    struct tz_call *call;
    const struct tz_ledger_def *def;
    lxw_workbook *wb;
    lxw_worksheet *ws;
    lxw_format *text, *wrap, *date, *money, *number, *percent, *center;
    lxw_format *lights[TZ__LIGHT_COUNT];
    lxw_row_t row;
    int64_t done, total;
    tz_progress_fn progress;
    void *progress_arg;
    struct tz_strbuf sb; /* scratch for joined cells */
};

static lxw_format *cell_format(lxw_workbook *wb)
{
    lxw_format *f = workbook_add_format(wb);
    format_set_border(f, LXW_BORDER_THIN);
    format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
    return f;
}

static void make_formats(struct export *x)
{
    static const lxw_color_t fills[TZ__LIGHT_COUNT] = {
        [TZ_LIGHT_NONE] = LXW_COLOR_WHITE, [TZ_LIGHT_GREEN] = 0x00B050,
        [TZ_LIGHT_YELLOW] = 0xFFFF00,      [TZ_LIGHT_RED] = LXW_COLOR_RED,
        [TZ_LIGHT_DONE] = 0xD9D9D9,
    };
    x->text = cell_format(x->wb);
    x->wrap = cell_format(x->wb);
    format_set_text_wrap(x->wrap);
    x->date = cell_format(x->wb);
    format_set_num_format(x->date, "yyyy\"年\"m\"月\"d\"日\"");
    x->money = cell_format(x->wb);
    format_set_num_format(x->money, "#,##0.00");
    x->number = cell_format(x->wb);
    x->percent = cell_format(x->wb);
    format_set_num_format(x->percent, "0\"%\"");
    x->center = cell_format(x->wb);
    format_set_align(x->center, LXW_ALIGN_CENTER);
    for (int l = 0; l < TZ__LIGHT_COUNT; l++) {
        x->lights[l] = cell_format(x->wb);
        format_set_align(x->lights[l], LXW_ALIGN_CENTER);
        format_set_bg_color(x->lights[l], fills[l]);
        if (l == TZ_LIGHT_RED)
            format_set_font_color(x->lights[l], LXW_COLOR_WHITE);
    }
}

/* Text cut to what a cell holds, at a character boundary. */
static void put_text(struct export *x, lxw_col_t col, const char *s, lxw_format *fmt)
{
    if (!s || !*s) {
        worksheet_write_blank(x->ws, x->row, col, fmt);
        return;
    }
    size_t len = strlen(s);
    if (len <= CELL_MAX) {
        worksheet_write_string(x->ws, x->row, col, s, fmt);
        return;
    }
    len = CELL_MAX;
    while (len && ((unsigned char)s[len] & 0xC0) == 0x80)
        len--;
    struct tz_strbuf cut = TZ_STRBUF_INIT;
    tz_strbuf_add(&cut, s, len);
    worksheet_write_string(x->ws, x->row, col, cut.buf, fmt);
    tz_strbuf_release(&cut);
}

static void put_day(struct export *x, lxw_col_t col, int32_t day)
{
    if (day == TZ_DAY_NONE)
        worksheet_write_blank(x->ws, x->row, col, x->date);
    else
        worksheet_write_number(x->ws, x->row, col, (double)day + EXCEL_EPOCH_OFFSET, x->date);
}

static const char *unit_name(struct export *x, int64_t id, struct tz_arena *a)
{
    const struct tz_unit *u = tz_ctx_unit(x->call->ctx, id, a);
    return u ? u->name : tz_arena_printf(a, "#%lld", (long long)id);
}

/* A "YYYY-MM-DD" text as a date cell, anything else as text. */
static void put_date_text(struct export *x, lxw_col_t col, const char *s)
{
    int32_t day;
    if (s && tz_date_parse(s, &day))
        put_day(x, col, day);
    else
        put_text(x, col, s, x->text);
}

static const char *json_text(struct json_object *o, const char *key)
{
    struct json_object *v = NULL;
    if (!json_object_object_get_ex(o, key, &v) || !v)
        return "";
    return json_object_get_string(v);
}

/* The lines of a list-like field (list, units, milestones, checklist) into x->sb. */
static void join_list(struct export *x, const struct tz_field_def *fd, struct json_object *v,
                      struct tz_arena *a)
{
    tz_strbuf_reset(&x->sb);
    size_t n = json_object_array_length(v);
    for (size_t i = 0; i < n; i++) {
        struct json_object *e = json_object_array_get_idx(v, i);
        if (i)
            tz_strbuf_addch(&x->sb, '\n');
        if (fd->type == TZ_FIELD_UNIT_LIST) {
            tz_strbuf_addstr(&x->sb, unit_name(x, json_object_get_int64(e), a));
        } else if (fd->type == TZ_FIELD_MILESTONES && json_object_is_type(e, json_type_object)) {
            struct json_object *done = NULL;
            json_object_object_get_ex(e, "done", &done);
            tz_strbuf_addf(&x->sb, "%s（%s）%s", json_text(e, "name"), json_text(e, "due"),
                           json_object_get_boolean(done) ? "已完成" : "未完成");
        } else if (fd->type == TZ_FIELD_CHECKLIST && json_object_is_type(e, json_type_object)) {
            tz_strbuf_addf(&x->sb, "%s：%s", json_text(e, "name"), json_text(e, "status"));
            const char *date = json_text(e, "date"), *doc = json_text(e, "doc_no");
            if (*date)
                tz_strbuf_addf(&x->sb, " %s", date);
            if (*doc)
                tz_strbuf_addf(&x->sb, " %s", doc);
        } else if (json_object_is_type(e, json_type_string)) {
            tz_strbuf_addstr(&x->sb, json_object_get_string(e));
        } else {
            tz_strbuf_addstr(&x->sb, json_object_to_json_string_ext(e, JSON_C_TO_STRING_PLAIN));
        }
    }
}

/* One kind-specific field's cell. */
static void put_field(struct export *x, lxw_col_t col, const struct tz_field_def *fd,
                      struct json_object *v, struct tz_arena *a)
{
    if (!v) {
        worksheet_write_blank(x->ws, x->row, col, x->text);
        return;
    }
    enum json_type t = json_object_get_type(v);
    bool is_num = t == json_type_int || t == json_type_double;
    switch (fd->type) {
    case TZ_FIELD_INTEGER:
    case TZ_FIELD_DECIMAL:
    case TZ_FIELD_MONEY:
        if (is_num) {
            worksheet_write_number(x->ws, x->row, col, json_object_get_double(v),
                                   fd->type == TZ_FIELD_MONEY ? x->money : x->number);
            return;
        }
        break;
    case TZ_FIELD_DATE:
        put_date_text(x, col, json_object_get_string(v));
        return;
    case TZ_FIELD_BOOL:
        put_text(x, col, json_object_get_boolean(v) ? "是" : "否", x->center);
        return;
    case TZ_FIELD_UNIT:
        put_text(x, col, unit_name(x, json_object_get_int64(v), a), x->text);
        return;
    case TZ_FIELD_LIST:
    case TZ_FIELD_UNIT_LIST:
    case TZ_FIELD_MILESTONES:
    case TZ_FIELD_CHECKLIST:
        if (t == json_type_array) {
            join_list(x, fd, v, a);
            put_text(x, col, x->sb.buf, x->wrap);
            return;
        }
        break;
    case TZ_FIELD_LONG_TEXT:
        put_text(x, col, json_object_get_string(v), x->wrap);
        return;
    default:
        break;
    }
    if (t == json_type_string)
        put_text(x, col, json_object_get_string(v), x->text);
    else if (is_num)
        worksheet_write_number(x->ws, x->row, col, json_object_get_double(v), x->number);
    else
        put_text(x, col, json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN), x->wrap);
}

static enum tz_status write_row(const struct tz_item *it, void *arg, struct tz_err *err)
{
    struct export *x = arg;
    struct tz_arena a;
    struct tz_err ignore;
    (void)err;
    tz_arena_init(&a);
    x->done++;
    worksheet_write_number(x->ws, x->row, 0, (double)x->done, x->center);
    put_text(x, 1, it->code, x->text);
    put_text(x, 2, it->title, x->wrap);
    put_text(x, 3, it->lead_unit_id ? unit_name(x, it->lead_unit_id, &a) : NULL, x->text);
    tz_strbuf_reset(&x->sb);
    for (size_t i = 0; i < it->n_co_units; i++) {
        if (i)
            tz_strbuf_addch(&x->sb, '\n');
        tz_strbuf_addstr(&x->sb, unit_name(x, it->co_unit_ids[i], &a));
    }
    put_text(x, 4, x->sb.buf, x->wrap);
    put_text(x, 5, it->leader, x->text);
    put_day(x, 6, it->deadline);
    put_text(x, 7, state_labels[it->state], x->center);
    put_text(x, 8, light_labels[it->light], x->lights[it->light]);
    worksheet_write_number(x->ws, x->row, 9, it->progress, x->percent);
    const char *text = tz_app_item_fields_text(x->call, it, &a);
    struct json_object *fields = tz_json_parse(text, strlen(text), &ignore);
    lxw_col_t col = N_FIXED;
    for (size_t k = 0; k < x->def->n_fields; k++, col++) {
        struct json_object *v = NULL;
        if (fields)
            json_object_object_get_ex(fields, x->def->fields[k].key, &v);
        put_field(x, col, &x->def->fields[k], v, &a);
    }
    json_object_put(fields);
    worksheet_write_number(x->ws, x->row, col, (double)it->version, x->center);
    x->row++;
    tz_arena_release(&a);
    if (x->progress && x->done % PROGRESS_EVERY == 0)
        x->progress(x->progress_arg, x->done, x->total);
    return TZ_OK;
}

static double field_width(const struct tz_field_def *fd)
{
    switch (fd->type) {
    case TZ_FIELD_LONG_TEXT:
    case TZ_FIELD_MILESTONES:
    case TZ_FIELD_CHECKLIST:
        return 40;
    case TZ_FIELD_LIST:
    case TZ_FIELD_UNIT_LIST:
        return 24;
    case TZ_FIELD_DATE:
        return 16;
    case TZ_FIELD_MONEY:
    case TZ_FIELD_DECIMAL:
    case TZ_FIELD_INTEGER:
        return 12;
    case TZ_FIELD_BOOL:
        return 8;
    default:
        break;
    }
    /* wide enough for the label (a CJK character is about two columns) */
    double w = (double)strlen(fd->label) / 3 * 2 + 4;
    return w < 14 ? 14 : w;
}

/* "范围：…；筛选：…" of the export line: the query in words. */
static void describe(struct tz_call *call, const struct tz_list_query *q, struct tz_strbuf *sb,
                     const struct tz_ledger_def *def)
{
    const struct tz_item_filter *f = &q->filter;
    size_t start;
    if (f->scope.all) {
        tz_strbuf_addstr(sb, "范围：全部事项");
    } else {
        const struct tz_unit *u = tz_ctx_unit(call->ctx, call->actor.unit_id, call->arena);
        tz_strbuf_addf(sb, "范围：%s及下级单位的事项", u ? u->name : "本单位");
    }
    tz_strbuf_addstr(sb, "　筛选：");
    start = sb->len;
    if (f->states) {
        tz_strbuf_addstr(sb, "状态为");
        for (int s = 0, k = 0; s < TZ__STATE_COUNT; s++)
            if (f->states & (1u << s))
                tz_strbuf_addf(sb, "%s%s", k++ ? "、" : "", state_labels[s]);
        tz_strbuf_addstr(sb, "；");
    }
    if (f->lights) {
        tz_strbuf_addstr(sb, "亮灯为");
        for (int l = 0, k = 0; l < TZ__LIGHT_COUNT; l++)
            if (f->lights & (1u << l))
                tz_strbuf_addf(sb, "%s%s", k++ ? "、" : "", light_labels[l]);
        tz_strbuf_addstr(sb, "；");
    }
    if (q->unit) {
        const struct tz_unit *u = tz_ctx_unit(call->ctx, q->unit, call->arena);
        tz_strbuf_addf(sb, "单位：%s（含下级）；", u ? u->name : "?");
    }
    if (f->lead_unit_id) {
        const struct tz_unit *u = tz_ctx_unit(call->ctx, f->lead_unit_id, call->arena);
        tz_strbuf_addf(sb, "牵头单位：%s；", u ? u->name : "?");
    }
    char buf[TZ_DATE_BUF];
    if (f->due_after != TZ_DAY_NONE)
        tz_strbuf_addf(sb, "办结时限不早于%s；", tz_date_format(f->due_after, buf));
    if (f->due_before != TZ_DAY_NONE)
        tz_strbuf_addf(sb, "办结时限不晚于%s；", tz_date_format(f->due_before, buf));
    if (f->supervised_min >= 0)
        tz_strbuf_addf(sb, "督办次数不少于%d；", f->supervised_min);
    if (f->q && *f->q)
        tz_strbuf_addf(sb, "关键词“%s”；", f->q);
    for (size_t i = 0; i < q->n_field_args; i++) {
        const char *label = q->field_keys[i];
        for (size_t k = 0; k < def->n_fields; k++)
            if (strcmp(def->fields[k].key, q->field_keys[i]) == 0)
                label = def->fields[k].label;
        tz_strbuf_addf(sb, "%s：%s；", label, q->field_values[i]);
    }
    if (sb->len == start)
        tz_strbuf_addstr(sb, "无");
    else
        sb->buf[sb->len -= strlen("；")] = '\0';
}

static enum tz_status lxw_fail(lxw_error e, const char *path, struct tz_err *err)
{
    return tz_err_set(err, TZ_EINVAL, "cannot write '%s': %s", path, lxw_strerror(e));
}

/* The audit entry of an export: which ledger, how many rows, under which filters. */
static enum tz_status audit_export(struct tz_call *call, const struct tz_ledger_def *def,
                                   int64_t rows, const char *summary, struct tz_err *err)
{
    struct tz_strbuf d = TZ_STRBUF_INIT;
    tz_strbuf_addf(&d, "{\"rows\":%lld,\"summary\":", (long long)rows);
    tz_strbuf_add_json_str(&d, summary, strlen(summary));
    tz_strbuf_addch(&d, '}');
    enum tz_status s = tz_app_audit_alone(
        call, "ledger.export", tz_arena_printf(call->arena, "ledger:%s", def->key), d.buf, err);
    tz_strbuf_release(&d);
    return s;
}

enum tz_status tz_app_export_xlsx(struct tz_call *call, const char *ledger, struct tz_list_query *q,
                                  const char *path, tz_progress_fn progress, void *progress_arg,
                                  int64_t *n_rows_out, struct tz_err *err)
{
    struct export x = {.call = call, .progress = progress, .progress_arg = progress_arg};
    struct tz_item_filter *f = &q->filter;
    enum tz_status s;
    *n_rows_out = 0;
    tz_strbuf_init(&x.sb);
    x.def = tz_app_ledger(call->ctx, ledger);
    if (!x.def)
        return tz_err_set(err, TZ_ENOTFOUND, "no ledger '%s'", ledger);
    f->ledgers[0] = x.def->key;
    f->n_ledgers = 1;
    s = tz_app_list_prepare(call, q, err);
    if (s != TZ_OK)
        return s;

    /* the count first: the export line, written before the rows, says it */
    struct tz_item *ignored = NULL;
    size_t n_ignored = 0;
    f->page = 1;
    f->per_page = 1;
    f->known_total = -1;
    s = TZ_STORE(call->conn)
            ->item_list(call->conn, f, call->arena, &ignored, &n_ignored, &x.total, err);
    if (s != TZ_OK)
        return s;

    /* a path that cannot be written fails now, not after the whole walk */
    FILE *probe = fopen(path, "wb");
    if (!probe)
        return tz_err_set(err, TZ_EINVAL, "cannot write '%s': %s", path, strerror(errno));
    fclose(probe);
    lxw_workbook_options opts = {.constant_memory = LXW_TRUE};
    x.wb = workbook_new_opt(path, &opts);
    if (!x.wb)
        return tz_err_set(err, TZ_EINVAL, "cannot write '%s'", path);
    x.ws = workbook_add_worksheet(x.wb, x.def->name);
    make_formats(&x);
    lxw_col_t last = (lxw_col_t)(N_FIXED + x.def->n_fields);
    for (lxw_col_t c = 0; c < N_FIXED; c++)
        worksheet_set_column(x.ws, c, c, fixed_cols[c].width, NULL);
    for (size_t k = 0; k < x.def->n_fields; k++)
        worksheet_set_column(x.ws, (lxw_col_t)(N_FIXED + k), (lxw_col_t)(N_FIXED + k),
                             field_width(&x.def->fields[k]), NULL);
    worksheet_set_column(x.ws, last, last, 6, NULL);

    /* title, export line, header */
    lxw_format *title = workbook_add_format(x.wb);
    format_set_bold(title);
    format_set_font_size(title, 18);
    format_set_align(title, LXW_ALIGN_CENTER);
    format_set_align(title, LXW_ALIGN_VERTICAL_CENTER);
    lxw_format *line = workbook_add_format(x.wb);
    format_set_font_size(line, 10);
    lxw_format *head = workbook_add_format(x.wb);
    format_set_bold(head);
    format_set_border(head, LXW_BORDER_THIN);
    format_set_align(head, LXW_ALIGN_CENTER);
    format_set_align(head, LXW_ALIGN_VERTICAL_CENTER);
    format_set_text_wrap(head);
    format_set_bg_color(head, 0xDDEBF7);

    worksheet_set_row(x.ws, 0, 36, NULL);
    worksheet_merge_range(x.ws, 0, 0, 0, last, tz_arena_printf(call->arena, "%s台账", x.def->name),
                          title);
    const char *now = tz_ctx_now(call->ctx, call->arena); /* YYYY-MM-DDTHH:MM:SS+08:00 */
    tz_strbuf_addf(&x.sb, "导出时间：%.10s %.5s　", now, now + 11);
    describe(call, q, &x.sb, x.def);
    tz_strbuf_addf(&x.sb, "　共 %lld 项", (long long)x.total);
    worksheet_merge_range(x.ws, 1, 0, 1, last, x.sb.buf, line);
    const char *summary = tz_arena_strdup(call->arena, x.sb.buf); /* for the audit entry */
    worksheet_set_row(x.ws, 2, 30, NULL);
    for (lxw_col_t c = 0; c < N_FIXED; c++)
        worksheet_write_string(x.ws, 2, c, fixed_cols[c].label, head);
    for (size_t k = 0; k < x.def->n_fields; k++)
        worksheet_write_string(x.ws, 2, (lxw_col_t)(N_FIXED + k), x.def->fields[k].label, head);
    worksheet_write_string(x.ws, 2, last, "版本", head);
    worksheet_freeze_panes(x.ws, 3, 0);

    x.row = 3;
    s = TZ_STORE(call->conn)->item_walk(call->conn, f, write_row, &x, err);
    if (s == TZ_OK && x.row > 3)
        worksheet_autofilter(x.ws, 2, 0, x.row - 1, last);
    lxw_error e = workbook_close(x.wb);
    if (s == TZ_OK && e != LXW_NO_ERROR)
        s = lxw_fail(e, path, err);
    /* an export of personal data is an audited event (DOMAIN 11.4): none leaves unrecorded */
    if (s == TZ_OK)
        s = audit_export(call, x.def, x.done, summary, err);
    if (s != TZ_OK) {
        remove(path);
    } else {
        *n_rows_out = x.done;
        if (progress && (x.done == 0 || x.done % PROGRESS_EVERY != 0))
            progress(progress_arg, x.done, x.total); /* the last, unless just said */
    }
    tz_strbuf_release(&x.sb);
    return s;
}
