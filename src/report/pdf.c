/*
 * pdf.c - the page-layout toolkit of the printed documents (pdf.h) and the
 * process-wide font set-up.
 *
 * Fonts: one pango font map (pango_cairo_font_map_new) at 72 dpi, so a font
 * size in points is a size in the page's units, made at the first render and
 * kept: loading the CJK faces costs about 250 ms once, a warm render tens of
 * milliseconds. Before the first use, fontconfig is asked for each family the
 * documents name (PDF_SERIF, PDF_SANS) and must answer with that family: a
 * machine without fonts-noto-cjk would otherwise print boxes (tofu) or pick
 * any font silently, so it fails with a message that names the package.
 *
 * Thread safety: pango's font map and its caches are not safe to share
 * between threads, and fontconfig's are process-wide; every render holds
 * render_lock from start to end (renders are short; see report.h).
 */
#include "pdf.h"
#include "tz/report.h"

#include <cairo-pdf.h>
#include <fontconfig/fontconfig.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const double PDF_BLACK[3] = {0, 0, 0};
const double PDF_RED[3] = {0.80, 0.0, 0.0};
const double PDF_GREY[3] = {0.45, 0.45, 0.45};
const double PDF_LIGHT[3] = {0.93, 0.93, 0.93};
const double PDF_YELLOW[3] = {0.95, 0.72, 0.02};
const double PDF_GREEN[3] = {0.18, 0.49, 0.20};
const double PDF_BLUE[3] = {0.10, 0.34, 0.70};
const double PDF_DONE[3] = {0.55, 0.60, 0.66};
const double PDF_ORANGE[3] = {0.93, 0.45, 0.05};

static pthread_mutex_t render_lock = PTHREAD_MUTEX_INITIALIZER;
static PangoFontMap *font_map; /* under render_lock */

/* Does fontconfig resolve `family` to itself (not to a fallback)? */
static bool family_installed(const char *family)
{
    FcPattern *pat = FcNameParse((const FcChar8 *)family);
    FcResult res = FcResultNoMatch;
    bool ok = false;
    if (!pat)
        return false;
    FcConfigSubstitute(NULL, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    FcPattern *match = FcFontMatch(NULL, pat, &res);
    FcChar8 *got = NULL;
    if (match && FcPatternGetString(match, FC_FAMILY, 0, &got) == FcResultMatch)
        ok = strcmp((const char *)got, family) == 0;
    if (match)
        FcPatternDestroy(match);
    FcPatternDestroy(pat);
    return ok;
}

/* The font map, made and checked on first use. Call with render_lock held. */
static enum tz_status fonts_ready(struct tz_err *err)
{
    if (font_map)
        return TZ_OK;
    if (!FcInit())
        return tz_err_set(err, TZ_EUNAVAIL, "fontconfig cannot start: cannot print documents");
    static const char *const families[] = {PDF_SERIF, PDF_SANS};
    for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++)
        if (!family_installed(families[i]))
            return tz_err_set(err, TZ_EUNAVAIL,
                              "font '%s' is not installed: install the Debian package "
                              "fonts-noto-cjk to print documents",
                              families[i]);
    font_map = pango_cairo_font_map_new();
    /* once per process: the caches go at exit, after every render (leak checkers stay quiet) */
    static bool registered;
    if (!registered && atexit(tz_report_shutdown) == 0)
        registered = true;
    pango_cairo_font_map_set_resolution(PANGO_CAIRO_FONT_MAP(font_map), 72.0);
    return TZ_OK;
}

#if defined(__SANITIZE_ADDRESS__)
/*
 * Test builds (AddressSanitizer): cairo 1.16 (Debian 12) loses 768 bytes per
 * font inside cairo_surface_finish each time it embeds the subset of a
 * CID-keyed CFF font (the Noto CJK faces) in a PDF: an array of cairo's own
 * that never reaches this code (seen with fast_unwind_on_malloc=0). libcairo
 * has no frame pointers, so LSan's fast unwinder sees only the allocating
 * frame and the suppression can name no more than the library. The cairo
 * objects this module makes are created and destroyed in the same function
 * (run_pass, pdf_render, make_layout's callers). See docs/DECISIONS.md (PDF).
 */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libcairo.so\n";
}
/* and no "Suppressions used" table on every command's stderr */
const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
    return "print_suppressions=0";
}
#endif

void tz_report_shutdown(void)
{
    pthread_mutex_lock(&render_lock);
    if (font_map) {
        g_object_unref(font_map);
        font_map = NULL;
    }
    cairo_debug_reset_static_data();
    FcFini();
    pthread_mutex_unlock(&render_lock);
}

double pdf_width(const struct pdf *p)
{
    return p->right - p->left;
}

static PangoLayout *make_layout(struct pdf *p, const struct pdf_style *st, double w,
                                const char *text)
{
    PangoLayout *l = pango_layout_new(p->pango);
    PangoFontDescription *fd = pango_font_description_new();
    pango_font_description_set_family(fd, st->family);
    pango_font_description_set_absolute_size(fd, st->size * PANGO_SCALE);
    pango_font_description_set_weight(fd, st->bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    pango_layout_set_width(l, (int)(w * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    if (st->line_spacing > 0)
        pango_layout_set_line_spacing(l, (float)st->line_spacing);
    switch (st->align) {
    case PDF_CENTER:
        pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
        break;
    case PDF_RIGHT:
        pango_layout_set_alignment(l, PANGO_ALIGN_RIGHT);
        break;
    case PDF_JUSTIFY:
        pango_layout_set_justify(l, TRUE);
        break;
    default:
        break;
    }
    pango_layout_set_text(l, text ? text : "", -1);
    return l;
}

double pdf_text_height(struct pdf *p, const struct pdf_style *st, double w, const char *text)
{
    PangoLayout *l = make_layout(p, st, w, text);
    int lw, lh;
    pango_layout_get_size(l, &lw, &lh);
    g_object_unref(l);
    return (double)lh / PANGO_SCALE;
}

double pdf_text_at(struct pdf *p, const struct pdf_style *st, double x, double y, double w,
                   const char *text)
{
    PangoLayout *l = make_layout(p, st, w, text);
    int lw, lh;
    pango_layout_get_size(l, &lw, &lh);
    cairo_set_source_rgb(p->cr, st->rgb[0], st->rgb[1], st->rgb[2]);
    cairo_move_to(p->cr, x, y);
    pango_cairo_show_layout(p->cr, l);
    g_object_unref(l);
    return (double)lh / PANGO_SCALE;
}

void pdf_paragraph(struct pdf *p, const struct pdf_style *st, const char *text, double after)
{
    double w = pdf_width(p);
    PangoLayout *l = make_layout(p, st, w, text);
    PangoLayoutIter *it = pango_layout_get_iter(l);
    double shift = 0; /* layout y of the first line on this page */
    bool first = true;
    cairo_set_source_rgb(p->cr, st->rgb[0], st->rgb[1], st->rgb[2]);
    /* line by line, so that a long paragraph continues on the next page */
    do {
        PangoRectangle r;
        pango_layout_iter_get_line_extents(it, NULL, &r);
        double top = (double)r.y / PANGO_SCALE, h = (double)r.height / PANGO_SCALE;
        if (p->y + (top - shift) + h > p->bottom && !(first && p->y <= p->top)) {
            p->y += top - shift;
            pdf_new_page(p);
            shift = top;
            cairo_set_source_rgb(p->cr, st->rgb[0], st->rgb[1], st->rgb[2]);
        }
        first = false;
        PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
        int baseline = pango_layout_iter_get_baseline(it);
        cairo_move_to(p->cr, p->left + (double)r.x / PANGO_SCALE,
                      p->y + (double)baseline / PANGO_SCALE - shift);
        pango_cairo_show_layout_line(p->cr, line);
    } while (pango_layout_iter_next_line(it));
    int lw, lh;
    pango_layout_get_size(l, &lw, &lh);
    p->y += (double)lh / PANGO_SCALE - shift + after;
    pango_layout_iter_free(it);
    g_object_unref(l);
}

void pdf_fill_rect(struct pdf *p, double x, double y, double w, double h, const double rgb[3])
{
    cairo_set_source_rgb(p->cr, rgb[0], rgb[1], rgb[2]);
    cairo_rectangle(p->cr, x, y, w, h);
    cairo_fill(p->cr);
}

void pdf_stroke_rect(struct pdf *p, double x, double y, double w, double h, double lw,
                     const double rgb[3])
{
    cairo_set_source_rgb(p->cr, rgb[0], rgb[1], rgb[2]);
    cairo_set_line_width(p->cr, lw);
    cairo_rectangle(p->cr, x, y, w, h);
    cairo_stroke(p->cr);
}

void pdf_line(struct pdf *p, double x1, double y1, double x2, double y2, double lw,
              const double rgb[3])
{
    cairo_set_source_rgb(p->cr, rgb[0], rgb[1], rgb[2]);
    cairo_set_line_width(p->cr, lw);
    cairo_move_to(p->cr, x1, y1);
    cairo_line_to(p->cr, x2, y2);
    cairo_stroke(p->cr);
}

static void draw_footer(struct pdf *p)
{
    static const struct pdf_style st = {PDF_SERIF, 10.5, false, PDF_CENTER, {0, 0, 0}, 0};
    char text[64];
    double y = PDF_A4_H - 18 * PDF_MM;
    if (p->n_pages > 0)
        snprintf(text, sizeof(text), "第%d页 共%d页", p->page, p->n_pages);
    else
        snprintf(text, sizeof(text), "第%d页", p->page);
    pdf_text_at(p, &st, p->left, y, pdf_width(p), text);
    if (p->footer_left) {
        struct pdf_style small = st;
        small.align = PDF_LEFT;
        small.size = 9;
        small.rgb[0] = small.rgb[1] = small.rgb[2] = 0.4;
        pdf_text_at(p, &small, p->left, y + 1.5, pdf_width(p) / 2, p->footer_left);
    }
}

void pdf_new_page(struct pdf *p)
{
    draw_footer(p);
    cairo_show_page(p->cr);
    p->page++;
    p->y = p->top;
}

void pdf_need(struct pdf *p, double h)
{
    if (p->y + h > p->bottom && p->y > p->top)
        pdf_new_page(p);
}

/* ---- tables ------------------------------------------------------------ */

static double row_height(struct pdf *p, const struct pdf_table *t, const struct pdf_style *st,
                         const char *const *cells)
{
    double h = 0, w = pdf_width(p);
    for (size_t c = 0; c < t->n_cols; c++) {
        double ch = pdf_text_height(p, st, t->widths[c] * w - 2 * t->pad, cells[c]);
        if (ch > h)
            h = ch;
    }
    return h + 2 * t->pad;
}

static void draw_row(struct pdf *p, const struct pdf_table *t, const struct pdf_style *st,
                     const char *const *cells, double h, const double *fill,
                     const double *const *cell_rgb)
{
    double x = p->left, w = pdf_width(p);
    if (fill)
        pdf_fill_rect(p, p->left, p->y, w, h, fill);
    for (size_t c = 0; c < t->n_cols; c++) {
        double cw = t->widths[c] * w;
        struct pdf_style cs = *st;
        cs.align = t->aligns ? t->aligns[c] : PDF_LEFT;
        if (cell_rgb && cell_rgb[c])
            memcpy(cs.rgb, cell_rgb[c], sizeof(cs.rgb));
        double th = pdf_text_height(p, &cs, cw - 2 * t->pad, cells[c]);
        pdf_text_at(p, &cs, x + t->pad, p->y + (h - th) / 2, cw - 2 * t->pad, cells[c]);
        pdf_stroke_rect(p, x, p->y, cw, h, 0.5, PDF_BLACK);
        x += cw;
    }
    p->y += h;
}

void pdf_table_header(struct pdf *p, const struct pdf_table *t)
{
    double h = row_height(p, t, t->head, t->titles);
    pdf_need(p, 2 * h);
    struct pdf_table centred = *t;
    centred.aligns = NULL;
    enum pdf_align al[16];
    for (size_t c = 0; c < t->n_cols && c < 16; c++)
        al[c] = PDF_CENTER;
    centred.aligns = al;
    draw_row(p, &centred, t->head, t->titles, h, PDF_LIGHT, NULL);
}

void pdf_table_row(struct pdf *p, const struct pdf_table *t, const char *const *cells,
                   const double *fill, const double *const *cell_rgb)
{
    double h = row_height(p, t, t->body, cells);
    if (p->y + h > p->bottom) {
        pdf_new_page(p);
        pdf_table_header(p, t);
    }
    draw_row(p, t, t->body, cells, h, fill, cell_rgb);
}

double pdf_table_row_height(struct pdf *p, const struct pdf_table *t, const char *const *cells)
{
    return row_height(p, t, t->body, cells);
}

/* ---- the two passes ------------------------------------------------------ */

/* One pass onto surface; returns the page count. */
static int run_pass(cairo_surface_t *surface, double margin_top, double margin_bottom,
                    const char *footer_left, int n_pages, void (*layout)(struct pdf *, void *),
                    void *arg)
{
    struct pdf p = {0};
    p.surface = surface;
    p.cr = cairo_create(surface);
    p.pango = pango_font_map_create_context(font_map);
    /* the same metrics on both passes whatever the surface: no hinting, as in a PDF */
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(p.pango, fo);
    cairo_font_options_destroy(fo);
    pango_cairo_update_context(p.cr, p.pango);
    p.left = 28 * PDF_MM;
    p.right = PDF_A4_W - 26 * PDF_MM;
    p.top = margin_top;
    p.bottom = PDF_A4_H - margin_bottom;
    p.y = p.top;
    p.page = 1;
    p.n_pages = n_pages;
    p.footer_left = footer_left;
    layout(&p, arg);
    draw_footer(&p);
    cairo_show_page(p.cr);
    g_object_unref(p.pango);
    cairo_destroy(p.cr);
    return p.page;
}

enum tz_status pdf_render(const char *path, double margin_top, double margin_bottom,
                          const char *footer_left, void (*layout)(struct pdf *p, void *arg),
                          void *arg, int *pages_out, struct tz_err *err)
{
    pthread_mutex_lock(&render_lock);
    enum tz_status s = fonts_ready(err);
    int pages = 0;
    if (s == TZ_OK) {
        /* the counting pass records the drawing and throws it away (no font subsetting) */
        cairo_rectangle_t page = {0, 0, PDF_A4_W, PDF_A4_H};
        cairo_surface_t *count = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &page);
        pages = run_pass(count, margin_top, margin_bottom, footer_left, 0, layout, arg);
        cairo_surface_destroy(count);
        cairo_surface_t *out = cairo_pdf_surface_create(path, PDF_A4_W, PDF_A4_H);
        if (cairo_surface_status(out) != CAIRO_STATUS_SUCCESS) {
            s = tz_err_set(err, TZ_EINVAL, "cannot write '%s'", path);
        } else {
            cairo_pdf_surface_set_metadata(out, CAIRO_PDF_METADATA_CREATOR, "taizhang");
            run_pass(out, margin_top, margin_bottom, footer_left, pages, layout, arg);
            cairo_surface_finish(out);
            if (cairo_surface_status(out) != CAIRO_STATUS_SUCCESS)
                s = tz_err_set(err, TZ_EINVAL, "cannot write '%s': %s", path,
                               cairo_status_to_string(cairo_surface_status(out)));
        }
        cairo_surface_destroy(out);
    }
    pthread_mutex_unlock(&render_lock);
    if (pages_out)
        *pages_out = s == TZ_OK ? pages : 0;
    return s;
}
