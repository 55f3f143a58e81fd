/*
 * report_notice.c - the 督办通知单 of one item as a one-page A4 PDF, in the
 * layout of an official notice:
 *
 *   城东区委区政府督查室 (red masthead) and a red rule
 *   督办通知单, the colour of the 三色督办单 (蓝色/黄色/红色督办) in a coloured
 *   frame, the number 城东督办〔2026〕第3号
 *   the addressee (承办单位：) and the opening paragraph
 *   a form: 事项编号, 事项名称, 所属台账, 牵头/配合单位, 责任领导, 问题摘要,
 *   督办事项及要求, 当前状态, 办结时限 (Chinese date), 反馈要求
 *   the issuing office, the date, the seal's place; a receipt line
 *
 * The colour frames the whole form, so a printed red notice is recognisable
 * at a glance on a desk (宿迁's and 三明's three-colour notices, DOMAIN 2.5).
 */
#include "pdf.h"
#include "tz/date.h"
#include "tz/report.h"

#include <stdio.h>
#include <string.h>

static const struct pdf_style body = {PDF_SERIF, 12, false, PDF_JUSTIFY, {0, 0, 0}, 1.35};
static const struct pdf_style form_label = {PDF_SANS, 10, true, PDF_CENTER, {0, 0, 0}, 0};
static const struct pdf_style form_value = {PDF_SERIF, 10.5, false, PDF_LEFT, {0, 0, 0}, 1.15};

static const double *grade_rgb(enum tz_doc_grade g)
{
    return g == TZ_DOC_RED ? PDF_RED : g == TZ_DOC_YELLOW ? PDF_ORANGE : PDF_BLUE;
}

static void header(struct pdf *p, const struct tz_notice *n)
{
    struct pdf_style mast = {PDF_SERIF, 24, true, PDF_CENTER, {0.80, 0, 0}, 0};
    p->y += pdf_text_at(p, &mast, p->left, p->y, pdf_width(p), n->office) + 8;
    pdf_line(p, p->left, p->y, p->right, p->y, 2.0, PDF_RED);
    p->y += 12;
    struct pdf_style title = {PDF_SERIF, 22, true, PDF_CENTER, {0, 0, 0}, 0};
    p->y += pdf_text_at(p, &title, p->left, p->y, pdf_width(p), "督办通知单") + 4;
    /* the colour, framed in its colour */
    const double *rgb = grade_rgb(n->grade);
    char grade[64];
    snprintf(grade, sizeof(grade), "%s督办", tz_doc_grade_name(n->grade));
    struct pdf_style gs = {PDF_SANS, 12, true, PDF_CENTER, {rgb[0], rgb[1], rgb[2]}, 0};
    double gw = 90, gx = p->left + (pdf_width(p) - gw) / 2;
    double gh = pdf_text_at(p, &gs, gx, p->y + 3, gw, grade) + 6;
    pdf_stroke_rect(p, gx, p->y, gw, gh, 1.2, rgb);
    p->y += gh + 4;
    struct pdf_style num = {PDF_SERIF, 12.5, false, PDF_RIGHT, {0, 0, 0}, 0};
    p->y += pdf_text_at(p, &num, p->left, p->y, pdf_width(p), n->number) + 6;
}

static void opening(struct pdf *p, const struct tz_notice *n)
{
    char text[1024], due[TZ_DOC_BUF];
    struct pdf_style to = body;
    to.align = PDF_LEFT;
    snprintf(text, sizeof(text), "%s：", n->lead_unit && *n->lead_unit ? n->lead_unit : "承办单位");
    pdf_paragraph(p, &to, text, 2);
    if (n->deadline != TZ_DAY_NONE)
        tz_doc_date(n->deadline, due, sizeof(due));
    snprintf(text, sizeof(text),
             "　　你单位牵头承办的“%s”（编号%s）%s。根据重点工作督查督办有关规定，现予%s督办，"
             "请高度重视，按以下要求抓紧办理，并按时反馈办理情况。",
             n->title, n->code,
             n->deadline == TZ_DAY_NONE  ? "尚未办结"
             : n->grade == TZ_DOC_RED    ? "已亮红灯"
             : n->grade == TZ_DOC_YELLOW ? "推进滞后"
                                         : "需加快推进",
             tz_doc_grade_name(n->grade));
    pdf_paragraph(p, &body, text, 6);
}

#define FORM_ROWS   11
#define SIGNATURE_H 130.0 /* the office, the date, the receipt line and the note below the form */

/* The form's rows: label and text. fb and due are the caller's buffers. */
static void form_rows(const struct tz_notice *n, const char *rows[FORM_ROWS][2], char *due,
                      size_t due_size, char *fb, size_t fb_size)
{
    if (n->deadline == TZ_DAY_NONE)
        snprintf(due, due_size, "—");
    else
        tz_doc_date(n->deadline, due, due_size);
    if (n->feedback_by == TZ_DAY_NONE) {
        snprintf(fb, fb_size, "办结后及时在系统中报送办理结果并上传佐证材料。");
    } else {
        char d[TZ_DOC_BUF];
        snprintf(fb, fb_size, "请于%s前在系统中报送办理进展，办结后及时申请销号并上传佐证材料。",
                 tz_doc_date(n->feedback_by, d, sizeof(d)));
    }
    const char *const filled[FORM_ROWS][2] = {
        {"事项编号", n->code},
        {"事项名称", n->title},
        {"所属台账", n->ledger_name},
        {"承办单位", n->lead_unit && *n->lead_unit ? n->lead_unit : "—"},
        {"配合单位", n->co_units && *n->co_units ? n->co_units : "—"},
        {"责任领导", n->leader && *n->leader ? n->leader : "—"},
        {"问题摘要", n->problem && *n->problem ? n->problem : "—"},
        {"督办事项\n及要求", n->requirements},
        {"当前状态", n->status_text},
        {"办结时限", due},
        {"反馈要求", fb},
    };
    memcpy(rows, filled, sizeof(filled));
}

/*
 * The form, in the largest text size (10.5 pt down to 8 pt) with which it and
 * the signature below still fit on the page: a notice is one sheet of paper,
 * with its seal under the text it seals.
 */
static void form(struct pdf *p, const struct tz_notice *n)
{
    static const double widths[] = {0.2, 0.8};
    static const enum pdf_align aligns[] = {PDF_CENTER, PDF_LEFT};
    static const char *const none[] = {"", ""};
    static const double sizes[] = {10.5, 10, 9.5, 9, 8.5, 8};
    const char *rows[FORM_ROWS][2];
    char due[TZ_DOC_BUF], fb[128];
    form_rows(n, rows, due, sizeof(due), fb, sizeof(fb));
    struct pdf_style value = form_value;
    struct pdf_table t = {2, none, widths, aligns, &form_label, &value, 4};
    for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
        value.size = sizes[k];
        double h = 0;
        for (size_t i = 0; i < FORM_ROWS; i++)
            h += pdf_table_row_height(p, &t, rows[i]);
        if (p->y + h + 14 + SIGNATURE_H <= p->bottom)
            break;
    }
    double top = p->y;
    int page = p->page;
    for (size_t i = 0; i < FORM_ROWS; i++)
        pdf_table_row(p, &t, rows[i], NULL, NULL);
    /* the colour's frame around the form (when it stayed on one page) */
    if (p->page == page)
        pdf_stroke_rect(p, p->left - 3, top - 3, pdf_width(p) + 6, p->y - top + 6, 1.6,
                        grade_rgb(n->grade));
    p->y += 14;
}

static void signature(struct pdf *p, const struct tz_notice *n)
{
    struct pdf_style sig = body;
    sig.align = PDF_RIGHT;
    char date[TZ_DOC_BUF], line[256];
    pdf_need(p, 96);
    snprintf(line, sizeof(line), "%s（盖章）", n->office);
    pdf_paragraph(p, &sig, line, 2);
    pdf_paragraph(p, &sig, tz_doc_date(n->issued, date, sizeof(date)), 14);
    pdf_line(p, p->left, p->y, p->right, p->y, 0.6, PDF_BLACK);
    p->y += 8;
    struct pdf_style small = {PDF_SERIF, 11, false, PDF_LEFT, {0, 0, 0}, 1.4};
    pdf_paragraph(p, &small,
                  "签收单位：＿＿＿＿＿＿＿＿　签收人：＿＿＿＿＿＿　签收时间：　　年　　月　　日",
                  4);
    struct pdf_style note = {PDF_SANS, 8.5, false, PDF_LEFT, {0.35, 0.35, 0.35}, 1.3};
    pdf_paragraph(p, &note,
                  "说明：督办单分蓝色、黄色、红色三级，一事一单；本单编号由系统统一编制，"
                  "办理情况以系统记录为准。",
                  0);
}

static void layout(struct pdf *p, void *arg)
{
    const struct tz_notice *n = arg;
    header(p, n);
    opening(p, n);
    form(p, n);
    signature(p, n);
}

enum tz_status tz_report_notice_pdf(const struct tz_notice *n, const char *path, struct tz_err *err)
{
    return pdf_render(path, 20 * PDF_MM, 20 * PDF_MM, NULL, layout, (void *)n, NULL, err);
}
