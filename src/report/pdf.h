/*
 * pdf.h - the small page-layout toolkit the two documents share (pdf.c):
 * an A4 page with margins, a cursor that moves down, text blocks laid out by
 * pango (wrapped, aligned), tables whose rows break across pages with the
 * header repeated, filled boxes and lines, and the page footer.
 *
 * A document is laid out twice by the same function: once onto a PDF that
 * is thrown away, to count the pages, then for real, so that every footer
 * can say 第1页 共N页. Internal to src/report/.
 */
#ifndef TZ_REPORT_PDF_H
#define TZ_REPORT_PDF_H

#include "tz/err.h"

#include <cairo.h>
#include <pango/pangocairo.h>
#include <stdbool.h>

#define PDF_A4_W 595.276 /* 210 mm in points */
#define PDF_A4_H 841.890 /* 297 mm */
#define PDF_MM   2.83465

/* The two faces of fonts-noto-cjk the documents use. */
#define PDF_SERIF "Noto Serif CJK SC"
#define PDF_SANS  "Noto Sans CJK SC"

enum pdf_align { PDF_LEFT, PDF_CENTER, PDF_RIGHT, PDF_JUSTIFY };

struct pdf_style {
    const char *family;
    double size; /* points */
    bool bold;
    enum pdf_align align;
    double rgb[3];
    double line_spacing; /* multiple of the normal line height, 0 = normal */
};

struct pdf {
    cairo_surface_t *surface;
    cairo_t *cr;
    PangoContext *pango;
    double left, right, top, bottom; /* the text area */
    double y;                        /* the cursor */
    int page;                        /* from 1 */
    int n_pages;                     /* known on the second pass, 0 on the first */
    const char *footer_left;         /* text at the footer's left, NULL for none */
};

/*
 * Runs layout(p, arg) twice (count, then draw) and writes the PDF at path.
 * layout draws from the cursor and calls pdf_new_page when it needs one;
 * footers are drawn here. *pages_out may be NULL.
 */
enum tz_status pdf_render(const char *path, double margin_top, double margin_bottom,
                          const char *footer_left, void (*layout)(struct pdf *p, void *arg),
                          void *arg, int *pages_out, struct tz_err *err);

double pdf_width(const struct pdf *p);
/* Ends the page (its footer) and starts the next, the cursor at the top. */
void pdf_new_page(struct pdf *p);
/* Starts a new page unless h points fit below the cursor. */
void pdf_need(struct pdf *p, double h);

/* Height of text laid out in width w in style st (nothing drawn). */
double pdf_text_height(struct pdf *p, const struct pdf_style *st, double w, const char *text);
/* Draws text at (x, y) in width w; returns its height. */
double pdf_text_at(struct pdf *p, const struct pdf_style *st, double x, double y, double w,
                   const char *text);
/* Draws text at the cursor over the full width (breaking the page first if needed) and moves
 * the cursor below it plus `after` points. Long text is split into lines across pages. */
void pdf_paragraph(struct pdf *p, const struct pdf_style *st, const char *text, double after);

void pdf_fill_rect(struct pdf *p, double x, double y, double w, double h, const double rgb[3]);
void pdf_stroke_rect(struct pdf *p, double x, double y, double w, double h, double lw,
                     const double rgb[3]);
void pdf_line(struct pdf *p, double x1, double y1, double x2, double y2, double lw,
              const double rgb[3]);

/* A table: column titles and widths (fractions of the text width), cells row by row. */
struct pdf_table {
    size_t n_cols;
    const char *const *titles;
    const double *widths;
    const enum pdf_align *aligns;
    const struct pdf_style *head, *body;
    double pad;
};
void pdf_table_header(struct pdf *p, const struct pdf_table *t);
/* One row (n_cols cells); breaks the page and repeats the header when it does not fit.
 * fill (may be NULL) shades the row; cell_rgb (may be NULL) colours single cells' text. */
void pdf_table_row(struct pdf *p, const struct pdf_table *t, const char *const *cells,
                   const double *fill, const double *const *cell_rgb);
/* Height one row of cells would take (nothing drawn). */
double pdf_table_row_height(struct pdf *p, const struct pdf_table *t, const char *const *cells);

/* The colours of the documents. */
extern const double PDF_BLACK[3], PDF_RED[3], PDF_GREY[3], PDF_LIGHT[3], PDF_YELLOW[3],
    PDF_GREEN[3], PDF_BLUE[3], PDF_DONE[3], PDF_ORANGE[3];

#endif
