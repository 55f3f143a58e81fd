/*
 * import_read.c - the first worksheet of an .xlsx workbook and CSV files, row
 * by row (see import_read.h).
 *
 * DESIGN
 *
 * An .xlsx is a zip (libzip, opened on the buffer) of XML parts (expat):
 *   xl/workbook.xml + xl/_rels/workbook.xml.rels  which part is the first sheet;
 *   xl/sharedStrings.xml                          strings cells refer to by index;
 *   xl/styles.xml                                 which cell styles are dates;
 *   the sheet                                     streamed, never held whole.
 * Each part is inflated with zip_fread in 64 KiB chunks and fed to expat as it
 * comes, counting the bytes: an entry that declares (zip_stat) or turns out to
 * inflate past max_entry, or a workbook past max_total, stops at once with 413.
 * A zip bomb therefore costs at most max_total bytes of inflating, and memory
 * stays at a chunk plus one row. The compression ratio is not checked: a
 * legitimate sheet of a million empty rows compresses as well as a bomb
 * (deflate's limit, about 1000:1), and only the inflated size does harm.
 *
 * Element names are matched by local name (prefixes such as "x:" vary by the
 * program that wrote the file). Rows and cells without a reference take the
 * next number, as Excel does.
 */
#include "import_read.h"

#include "tz/strbuf.h"

#include <errno.h>
#include <expat.h>
#include <iconv.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#define CHUNK         (64u * 1024u)
#define MAX_PATH_PART 512

static const char *const MSG_ENCRYPTED =
    "文件受密码保护或是旧版 .xls 格式：请在 Excel 中取消密码，另存为 .xlsx 后再导入";
static const char *const MSG_NOT_WORKBOOK =
    "不是有效的 .xlsx 工作簿（文件已损坏或不是 Excel 文件）";

void tz_read_limits_init(struct tz_read_limits *lim)
{
    lim->max_entry = 256u << 20;
    lim->max_total = 512u << 20;
    lim->max_strings = 2000000;
    lim->max_cols = 1000;
    lim->max_cell = 100000;
}

/* ---- zip parts through expat ------------------------------------------------ */

struct book {
    zip_t *zip;
    const struct tz_read_limits *lim;
    size_t total; /* bytes inflated so far */
};

/* A decimal number of an attribute or value; 0 for anything else (files are not trusted). */
static long long number_of(const char *s)
{
    char *end = NULL;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    return (end == s || errno) ? 0 : v;
}

static const char *local_name(const char *name)
{
    const char *c = strrchr(name, ':');
    return c ? c + 1 : name;
}

static const char *attr(const char **atts, const char *name)
{
    for (size_t i = 0; atts[i]; i += 2)
        if (strcmp(local_name(atts[i]), name) == 0)
            return atts[i + 1];
    return NULL;
}

/*
 * Feeds the part `name` to parser p. *found_out false (and TZ_OK) when the part
 * is absent and may be (optional); an absent required part is 422.
 */
static enum tz_status parse_part(struct book *b, const char *name, XML_Parser p, bool optional,
                                 bool *found_out, struct tz_err *err)
{
    zip_stat_t st;
    zip_int64_t idx = zip_name_locate(b->zip, name, 0);
    if (found_out)
        *found_out = idx >= 0;
    if (idx < 0)
        return optional ? TZ_OK
                        : tz_err_set(err, TZ_EINVAL, "%s（缺少 %s）", MSG_NOT_WORKBOOK, name);
    zip_stat_init(&st);
    if (zip_stat_index(b->zip, (zip_uint64_t)idx, 0, &st) == 0 && (st.valid & ZIP_STAT_SIZE) &&
        (st.size > b->lim->max_entry || b->total + st.size > b->lim->max_total))
        return tz_err_set(err, TZ_ETOOLARGE,
                          "文件解压后过大（%s 解压后 %llu MB，上限 %zu MB），疑似压缩炸弹，已拒绝",
                          name, (unsigned long long)(st.size >> 20), b->lim->max_entry >> 20);
    zip_file_t *f = zip_fopen_index(b->zip, (zip_uint64_t)idx, 0);
    if (!f) {
        int ze = zip_error_code_zip(zip_get_error(b->zip));
        if (ze == ZIP_ER_NOPASSWD || ze == ZIP_ER_WRONGPASSWD || ze == ZIP_ER_ENCRNOTSUPP)
            return tz_err_set(err, TZ_EINVAL, "%s", MSG_ENCRYPTED);
        return tz_err_set(err, TZ_EINVAL, "%s（无法读取 %s）", MSG_NOT_WORKBOOK, name);
    }
    enum tz_status s = TZ_OK;
    size_t entry = 0;
    char *buf = malloc(CHUNK);
    if (!buf)
        abort();
    for (;;) {
        zip_int64_t n = zip_fread(f, buf, CHUNK);
        if (n < 0) {
            s = tz_err_set(err, TZ_EINVAL, "%s（%s 解压失败）", MSG_NOT_WORKBOOK, name);
            break;
        }
        entry += (size_t)n;
        b->total += (size_t)n;
        if (entry > b->lim->max_entry || b->total > b->lim->max_total) {
            s = tz_err_set(err, TZ_ETOOLARGE, "文件解压后过大（超过 %zu MB），疑似压缩炸弹，已拒绝",
                           b->lim->max_entry >> 20);
            break;
        }
        if (XML_Parse(p, buf, (int)n, n == 0) == XML_STATUS_ERROR) {
            /* a handler that stopped the parser has set err itself */
            if (XML_GetErrorCode(p) != XML_ERROR_ABORTED)
                s = tz_err_set(err, TZ_EINVAL, "%s（%s 第 %lu 行：%s）", MSG_NOT_WORKBOOK, name,
                               (unsigned long)XML_GetCurrentLineNumber(p),
                               XML_ErrorString(XML_GetErrorCode(p)));
            else
                s = TZ_EINVAL; /* replaced by the caller with the handler's status */
            break;
        }
        if (n == 0)
            break;
    }
    free(buf);
    zip_fclose(f);
    return s;
}

/* ---- workbook.xml and its relationships: where the first sheet is ---------- */

struct first_sheet {
    char rid[128];
    char target[MAX_PATH_PART];
    bool has_sheet;
};

static void on_workbook(void *ud, const char *name, const char **atts)
{
    struct first_sheet *fs = ud;
    const char *id = attr(atts, "id");
    if (!fs->has_sheet && strcmp(local_name(name), "sheet") == 0 && id) {
        snprintf(fs->rid, sizeof(fs->rid), "%s", id);
        fs->has_sheet = true;
    }
}

static void on_rels(void *ud, const char *name, const char **atts)
{
    struct first_sheet *fs = ud;
    const char *id = attr(atts, "Id"), *target = attr(atts, "Target");
    if (strcmp(local_name(name), "Relationship") == 0 && id && target && fs->has_sheet &&
        strcmp(id, fs->rid) == 0) {
        if (target[0] == '/')
            snprintf(fs->target, sizeof(fs->target), "%s", target + 1);
        else
            snprintf(fs->target, sizeof(fs->target), "xl/%s", target);
    }
}

static enum tz_status find_first_sheet(struct book *b, struct first_sheet *fs, struct tz_err *err)
{
    memset(fs, 0, sizeof(*fs));
    XML_Parser p = XML_ParserCreate(NULL);
    XML_SetUserData(p, fs);
    XML_SetStartElementHandler(p, on_workbook);
    enum tz_status s = parse_part(b, "xl/workbook.xml", p, false, NULL, err);
    XML_ParserFree(p);
    if (s != TZ_OK)
        return s;
    if (fs->has_sheet) {
        bool found = false;
        p = XML_ParserCreate(NULL);
        XML_SetUserData(p, fs);
        XML_SetStartElementHandler(p, on_rels);
        s = parse_part(b, "xl/_rels/workbook.xml.rels", p, true, &found, err);
        XML_ParserFree(p);
        if (s != TZ_OK)
            return s;
    }
    if (!fs->target[0])
        snprintf(fs->target, sizeof(fs->target), "xl/worksheets/sheet1.xml");
    return TZ_OK;
}

/* ---- shared strings ---------------------------------------------------------- */

struct strings {
    struct tz_strbuf text; /* every string, NUL-terminated */
    size_t *offsets;
    size_t n, cap;
    /* while parsing */
    struct tz_strbuf cur;
    int in_si, in_t, in_rph;
    size_t max;
    bool too_many, too_long;
    size_t max_len;
    XML_Parser p;
};

static void on_ss_start(void *ud, const char *name, const char **atts)
{
    struct strings *ss = ud;
    const char *ln = local_name(name);
    (void)atts;
    if (strcmp(ln, "si") == 0) {
        ss->in_si = 1;
        tz_strbuf_reset(&ss->cur);
    } else if (strcmp(ln, "rPh") == 0) {
        ss->in_rph = 1; /* phonetic guide: not part of the value */
    } else if (strcmp(ln, "t") == 0 && ss->in_si && !ss->in_rph) {
        ss->in_t = 1;
    }
}

static void on_ss_end(void *ud, const char *name)
{
    struct strings *ss = ud;
    const char *ln = local_name(name);
    if (strcmp(ln, "t") == 0) {
        ss->in_t = 0;
    } else if (strcmp(ln, "rPh") == 0) {
        ss->in_rph = 0;
    } else if (strcmp(ln, "si") == 0) {
        ss->in_si = 0;
        if (ss->n == ss->max) {
            ss->too_many = true;
            XML_StopParser(ss->p, XML_FALSE);
            return;
        }
        if (ss->n == ss->cap) {
            ss->cap = ss->cap ? 2 * ss->cap : 1024;
            ss->offsets = realloc(ss->offsets, ss->cap * sizeof(*ss->offsets));
            if (!ss->offsets)
                abort();
        }
        ss->offsets[ss->n++] = ss->text.len;
        tz_strbuf_add(&ss->text, ss->cur.buf, ss->cur.len);
        tz_strbuf_addch(&ss->text, '\0');
    }
}

static void on_ss_text(void *ud, const char *s, int len)
{
    struct strings *ss = ud;
    if (!ss->in_t)
        return;
    if (ss->cur.len + (size_t)len > ss->max_len) {
        ss->too_long = true; /* one string is a cell: it has the cell's cap */
        XML_StopParser(ss->p, XML_FALSE);
        return;
    }
    tz_strbuf_add(&ss->cur, s, (size_t)len);
}

static void strings_release(struct strings *ss)
{
    tz_strbuf_release(&ss->text);
    tz_strbuf_release(&ss->cur);
    free(ss->offsets);
}

static enum tz_status read_strings(struct book *b, struct strings *ss, struct tz_err *err)
{
    ss->max = b->lim->max_strings;
    ss->max_len = b->lim->max_cell;
    ss->p = XML_ParserCreate(NULL);
    XML_SetUserData(ss->p, ss);
    XML_SetElementHandler(ss->p, on_ss_start, on_ss_end);
    XML_SetCharacterDataHandler(ss->p, on_ss_text);
    enum tz_status s = parse_part(b, "xl/sharedStrings.xml", ss->p, true, NULL, err);
    XML_ParserFree(ss->p);
    if (ss->too_many)
        return tz_err_set(err, TZ_EINVAL, "共享字符串超过 %zu 个", ss->max);
    if (ss->too_long)
        return tz_err_set(err, TZ_EINVAL, "有一个单元格的内容超过 %zu 字节", ss->max_len);
    return s;
}

/* ---- styles: which cell formats are dates ------------------------------------ */

struct styles {
    /* custom number formats: id -> is a date */
    int custom_ids[512];
    bool custom_is_date[512];
    size_t n_custom;
    /* cellXfs: index -> numFmtId */
    int *xf_fmt;
    size_t n_xf, cap_xf;
    int in_cell_xfs;
};

/* A built-in format id that shows a date (ECMA-376 18.8.30 and the CJK ids Excel uses). */
static bool builtin_is_date(int id)
{
    return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
           (id >= 50 && id <= 58);
}

/* A custom format code with a date part (y, m, d, h, s) outside quotes and brackets. */
static bool code_is_date(const char *code)
{
    bool quoted = false;
    int bracket = 0;
    for (const char *p = code; *p; p++) {
        char c = *p;
        if (c == '"') {
            quoted = !quoted;
        } else if (quoted) {
            continue;
        } else if (c == '\\' && p[1]) {
            p++;
        } else if (c == '[') {
            bracket++;
        } else if (c == ']' && bracket) {
            bracket--;
        } else if (!bracket && strchr("yYmMdDhHsSeE", c) && c) {
            if ((c == 'e' || c == 'E') && p > code && (p[-1] == '0' || p[-1] == '#'))
                continue; /* 0.00E+00 is scientific, not an era year */
            return true;
        }
    }
    return false;
}

static void on_styles(void *ud, const char *name, const char **atts)
{
    struct styles *st = ud;
    const char *ln = local_name(name);
    if (strcmp(ln, "numFmt") == 0) {
        const char *id = attr(atts, "numFmtId"), *code = attr(atts, "formatCode");
        if (id && code && st->n_custom < 512) {
            st->custom_ids[st->n_custom] = (int)number_of(id);
            st->custom_is_date[st->n_custom] = code_is_date(code);
            st->n_custom++;
        }
    } else if (strcmp(ln, "cellXfs") == 0) {
        st->in_cell_xfs = 1;
    } else if (strcmp(ln, "xf") == 0 && st->in_cell_xfs) {
        const char *id = attr(atts, "numFmtId");
        if (st->n_xf == st->cap_xf) {
            st->cap_xf = st->cap_xf ? 2 * st->cap_xf : 64;
            st->xf_fmt = realloc(st->xf_fmt, st->cap_xf * sizeof(*st->xf_fmt));
            if (!st->xf_fmt)
                abort();
        }
        st->xf_fmt[st->n_xf++] = id ? (int)number_of(id) : 0;
    }
}

static void on_styles_end(void *ud, const char *name)
{
    struct styles *st = ud;
    if (strcmp(local_name(name), "cellXfs") == 0)
        st->in_cell_xfs = 0;
}

static bool style_is_date(const struct styles *st, long xf)
{
    if (xf < 0 || (size_t)xf >= st->n_xf)
        return false;
    int id = st->xf_fmt[xf];
    for (size_t i = 0; i < st->n_custom; i++)
        if (st->custom_ids[i] == id)
            return st->custom_is_date[i];
    return builtin_is_date(id);
}

static enum tz_status read_styles(struct book *b, struct styles *st, struct tz_err *err)
{
    XML_Parser p = XML_ParserCreate(NULL);
    XML_SetUserData(p, st);
    XML_SetElementHandler(p, on_styles, on_styles_end);
    enum tz_status s = parse_part(b, "xl/styles.xml", p, true, NULL, err);
    XML_ParserFree(p);
    return s;
}

/* ---- the sheet, streamed ------------------------------------------------------ */

struct sheet {
    const struct strings *ss;
    const struct styles *st;
    const struct tz_read_limits *lim;
    tz_row_fn fn;
    void *arg;
    struct tz_err *err;
    enum tz_status status; /* the first failure (the parser is stopped) */
    XML_Parser p;
    /* the row being read */
    int64_t row;
    struct tz_cell *cells;
    size_t *text_at; /* offsets into text, made pointers when the row ends */
    size_t n_cells, cap_cells;
    struct tz_strbuf text;
    /* the cell being read */
    unsigned col;
    bool col_known;
    char type[16];
    long xf;
    bool has_formula, in_v, in_is_t, has_v;
    struct tz_strbuf val;
};

static void sheet_fail(struct sheet *sh, enum tz_status s)
{
    if (sh->status == TZ_OK)
        sh->status = s;
    XML_StopParser(sh->p, XML_FALSE);
}

static void on_sheet_start(void *ud, const char *name, const char **atts)
{
    struct sheet *sh = ud;
    const char *ln = local_name(name);
    if (strcmp(ln, "row") == 0) {
        const char *r = attr(atts, "r");
        sh->row = r ? number_of(r) : sh->row + 1;
        sh->n_cells = 0;
        sh->col_known = false;
        tz_strbuf_reset(&sh->text);
    } else if (strcmp(ln, "c") == 0) {
        const char *r = attr(atts, "r"), *t = attr(atts, "t"), *s = attr(atts, "s");
        unsigned col = 0;
        if (r && tz_col_parse(r, &col))
            sh->col = col;
        else
            sh->col = sh->col_known ? sh->col + 1 : 0;
        sh->col_known = true;
        /* the cell's type, cut to the buffer (every valid type fits): once a cell, no printf */
        size_t tl = t ? strnlen(t, sizeof(sh->type) - 1) : 1;
        memcpy(sh->type, t ? t : "n", tl);
        sh->type[tl] = '\0';
        sh->xf = s ? (long)number_of(s) : 0;
        sh->has_formula = sh->in_v = sh->in_is_t = sh->has_v = false;
        tz_strbuf_reset(&sh->val);
    } else if (strcmp(ln, "v") == 0) {
        sh->in_v = sh->has_v = true;
    } else if (strcmp(ln, "t") == 0) {
        sh->in_is_t = true; /* inside <is> (rich or plain); rPh does not occur in cells */
        sh->has_v = true;
    } else if (strcmp(ln, "f") == 0) {
        sh->has_formula = true;
    }
}

static void on_sheet_text(void *ud, const char *s, int len)
{
    struct sheet *sh = ud;
    if (sh->in_v || sh->in_is_t) {
        if (sh->val.len + (size_t)len > sh->lim->max_cell) {
            char cn[8];
            tz_err_set(sh->err, TZ_EINVAL, "第 %lld 行 %s 列的内容超过 %zu 字节",
                       (long long)sh->row, tz_col_name(sh->col, cn), sh->lim->max_cell);
            sheet_fail(sh, TZ_EINVAL);
            return;
        }
        tz_strbuf_add(&sh->val, s, (size_t)len);
    }
}

/* Appends the cell just read to the row (nothing when it holds no value). */
static void end_cell(struct sheet *sh)
{
    enum tz_cell_kind kind = TZ_CELL_TEXT;
    const char *text = sh->val.buf;
    double num = 0;
    const char *t = sh->type;
    if (!sh->has_v || (!*text && strcmp(t, "inlineStr") != 0 && strcmp(t, "str") != 0)) {
        if (!sh->has_formula)
            return;
        kind = TZ_CELL_ERROR;
        text = "公式没有计算结果（请在 Excel 中重新计算并保存）";
    } else if (strcmp(t, "s") == 0) {
        long i = (long)number_of(text);
        if (i < 0 || (size_t)i >= sh->ss->n) {
            kind = TZ_CELL_ERROR;
            text = "引用了不存在的共享字符串";
        } else {
            text = sh->ss->text.buf + sh->ss->offsets[i];
        }
    } else if (strcmp(t, "inlineStr") == 0 || strcmp(t, "str") == 0) {
        kind = TZ_CELL_TEXT;
    } else if (strcmp(t, "b") == 0) {
        kind = TZ_CELL_BOOL;
        num = number_of(text) ? 1 : 0;
    } else if (strcmp(t, "e") == 0) {
        kind = TZ_CELL_ERROR;
    } else {
        char *end = NULL;
        num = strtod(text, &end);
        if (!end || *end || !isfinite(num)) {
            kind = TZ_CELL_TEXT; /* a number Excel would not write: keep the text */
        } else {
            kind = style_is_date(sh->st, sh->xf) ? TZ_CELL_DATE : TZ_CELL_NUMBER;
        }
    }
    if (kind == TZ_CELL_TEXT && !*text)
        return;
    if (sh->n_cells == sh->lim->max_cols) {
        tz_err_set(sh->err, TZ_EINVAL, "第 %lld 行超过 %zu 列", (long long)sh->row,
                   sh->lim->max_cols);
        sheet_fail(sh, TZ_EINVAL);
        return;
    }
    if (sh->n_cells == sh->cap_cells) {
        sh->cap_cells = sh->cap_cells ? 2 * sh->cap_cells : 32;
        sh->cells = realloc(sh->cells, sh->cap_cells * sizeof(*sh->cells));
        sh->text_at = realloc(sh->text_at, sh->cap_cells * sizeof(*sh->text_at));
        if (!sh->cells || !sh->text_at)
            abort();
    }
    struct tz_cell *c = &sh->cells[sh->n_cells];
    c->col = sh->col;
    c->kind = kind;
    c->num = num;
    sh->text_at[sh->n_cells++] = sh->text.len;
    tz_strbuf_addstr(&sh->text, text);
    tz_strbuf_addch(&sh->text, '\0');
}

static void on_sheet_end(void *ud, const char *name)
{
    struct sheet *sh = ud;
    const char *ln = local_name(name);
    if (strcmp(ln, "v") == 0) {
        sh->in_v = false;
    } else if (strcmp(ln, "t") == 0) {
        sh->in_is_t = false;
    } else if (strcmp(ln, "c") == 0) {
        end_cell(sh);
    } else if (strcmp(ln, "row") == 0 && sh->n_cells) {
        for (size_t i = 0; i < sh->n_cells; i++)
            sh->cells[i].text = sh->text.buf + sh->text_at[i];
        enum tz_status s = sh->fn(sh->arg, sh->row, sh->cells, sh->n_cells, sh->err);
        sh->n_cells = 0;
        if (s != TZ_OK)
            sheet_fail(sh, s);
    }
}

static enum tz_status read_sheet(struct book *b, const char *part, struct sheet *sh,
                                 struct tz_err *err)
{
    sh->p = XML_ParserCreate(NULL);
    sh->err = err;
    XML_SetUserData(sh->p, sh);
    XML_SetElementHandler(sh->p, on_sheet_start, on_sheet_end);
    XML_SetCharacterDataHandler(sh->p, on_sheet_text);
    tz_strbuf_init(&sh->text);
    tz_strbuf_init(&sh->val);
    enum tz_status s = parse_part(b, part, sh->p, false, NULL, err);
    if (sh->status != TZ_OK)
        s = sh->status; /* err was set where the reading stopped */
    XML_ParserFree(sh->p);
    tz_strbuf_release(&sh->text);
    tz_strbuf_release(&sh->val);
    free(sh->cells);
    free(sh->text_at);
    return s;
}

enum tz_status tz_read_xlsx(const void *data, size_t len, const struct tz_read_limits *lim,
                            tz_row_fn fn, void *arg, struct tz_err *err)
{
    const unsigned char *d = data;
    if (len >= 4 && d[0] == 0xD0 && d[1] == 0xCF && d[2] == 0x11 && d[3] == 0xE0)
        return tz_err_set(err, TZ_EINVAL, "%s", MSG_ENCRYPTED);
    if (len < 4 || d[0] != 'P' || d[1] != 'K')
        return tz_err_set(err, TZ_EINVAL, "%s", MSG_NOT_WORKBOOK);
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
    if (!src) {
        zip_error_fini(&ze);
        return tz_err_set(err, TZ_EINTERNAL, "cannot read the upload");
    }
    struct book b = {.lim = lim};
    b.zip = zip_open_from_source(src, ZIP_RDONLY, &ze);
    if (!b.zip) {
        zip_source_free(src);
        zip_error_fini(&ze);
        return tz_err_set(err, TZ_EINVAL, "%s", MSG_NOT_WORKBOOK);
    }
    zip_error_fini(&ze);
    struct first_sheet fs;
    struct strings ss = {0};
    struct styles st = {0};
    struct sheet sh = {.ss = &ss, .st = &st, .lim = lim, .fn = fn, .arg = arg};
    tz_strbuf_init(&ss.text);
    tz_strbuf_init(&ss.cur);
    enum tz_status s = find_first_sheet(&b, &fs, err);
    if (s == TZ_OK)
        s = read_strings(&b, &ss, err);
    if (s == TZ_OK)
        s = read_styles(&b, &st, err);
    if (s == TZ_OK)
        s = read_sheet(&b, fs.target, &sh, err);
    strings_release(&ss);
    free(st.xf_fmt);
    zip_discard(b.zip);
    return s;
}

/* ---- CSV ---------------------------------------------------------------------- */

/* GB18030 text as UTF-8 into out; false when it is not valid GB18030. */
static bool from_gb18030(const char *in, size_t len, struct tz_strbuf *out)
{
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1)
        return false;
    tz_strbuf_grow(out, len * 3 / 2 + 16);
    char *src = (char *)in;
    size_t left = len;
    bool ok = true;
    while (left) {
        tz_strbuf_grow(out, left * 2 + 16);
        char *dst = out->buf + out->len;
        size_t room = out->alloc - out->len - 1;
        size_t before = room;
        size_t r = iconv(cd, &src, &left, &dst, &room);
        out->len += before - room;
        out->buf[out->len] = '\0';
        if (r == (size_t)-1 && errno != E2BIG) {
            ok = false;
            break;
        }
    }
    iconv_close(cd);
    return ok;
}

enum tz_status tz_read_csv(const void *data, size_t len, const struct tz_read_limits *lim,
                           const char **encoding_out, tz_row_fn fn, void *arg, struct tz_err *err)
{
    const char *text = data;
    const unsigned char *d = data;
    struct tz_strbuf conv = TZ_STRBUF_INIT;
    enum tz_status s;
    if (len >= 3 && d[0] == 0xEF && d[1] == 0xBB && d[2] == 0xBF) {
        text += 3;
        len -= 3;
        *encoding_out = "UTF-8-BOM";
        if (!tz_utf8_valid(text, len))
            return tz_err_set(err, TZ_EINVAL,
                              "无法识别的文件编码（标记为 UTF-8，但内容不是 UTF-8）");
    } else if (len >= 2 && ((d[0] == 0xFF && d[1] == 0xFE) || (d[0] == 0xFE && d[1] == 0xFF))) {
        return tz_err_set(err, TZ_EINVAL,
                          "无法识别的文件编码（UTF-16）：请另存为“CSV UTF-8”或默认的 CSV 格式");
    } else if (tz_utf8_valid(text, len)) {
        *encoding_out = "UTF-8";
    } else if (memchr(text, '\0', len) == NULL && from_gb18030(text, len, &conv)) {
        text = conv.buf;
        len = conv.len;
        *encoding_out = "GB18030";
    } else {
        tz_strbuf_release(&conv);
        return tz_err_set(err, TZ_EINVAL,
                          "无法识别的文件编码：请使用 UTF-8 或 GB18030（Excel 默认的 CSV）");
    }
    s = tz_csv_parse(text, len, lim->max_cols, lim->max_cell, fn, arg, err);
    tz_strbuf_release(&conv);
    return s;
}
