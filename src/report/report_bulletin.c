/*
 * report_bulletin.c - the 通报 as an A4 PDF, in the layout of a district
 * supervision office's weekly bulletin:
 *
 *   督 查 通 报  (red masthead)            第48期
 *   城东区委区政府督查室          2026年11月30日
 *   ───────────────────────── (red rule)
 *   城东区重点工作推进情况通报（2026年11月23日—11月29日）
 *   summary: counters and the three rates (DOMAIN 2.6), the period's events
 *   一、各单位推进情况: table by lead unit, chart of red/yellow per unit
 *   二、亮灯情况: chart of lights by ledger, the 12-month trend
 *   三、红灯事项清单: code, item, lead unit, deadline, days overdue (capped)
 *   四、工作要求, the issuing office and date
 *
 * Tables break across pages with their header repeated; every page has
 * 第N页 共M页. Charts are drawn with cairo paths; every label is pango text,
 * so the PDF's text stays searchable.
 */
#include "pdf.h"
#include "tz/date.h"
#include "tz/report.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define CHART_UNITS 12 /* units shown in the red/yellow chart: the worst first */

static const struct pdf_style body = {PDF_SERIF, 12.5, false, PDF_JUSTIFY, {0, 0, 0}, 1.45};
static const struct pdf_style heading = {PDF_SANS, 13, true, PDF_LEFT, {0, 0, 0}, 0};
static const struct pdf_style caption = {PDF_SANS, 9.5, false, PDF_CENTER, {0.2, 0.2, 0.2}, 0};
static const struct pdf_style cell = {PDF_SANS, 9, false, PDF_LEFT, {0, 0, 0}, 0};
static const struct pdf_style head_cell = {PDF_SANS, 9, true, PDF_CENTER, {0, 0, 0}, 0};
static const struct pdf_style label = {PDF_SANS, 7.5, false, PDF_LEFT, {0.15, 0.15, 0.15}, 0};

static void masthead(struct pdf *p, const struct tz_bulletin *b)
{
    struct pdf_style mast = {PDF_SERIF, 38, true, PDF_CENTER, {0.80, 0, 0}, 0};
    struct pdf_style line = {PDF_SERIF, 12.5, false, PDF_LEFT, {0, 0, 0}, 0};
    char issue[64], date[TZ_DOC_BUF];
    int wy;
    int week = tz_doc_iso_week(b->to, &wy);
    p->y += pdf_text_at(p, &mast, p->left, p->y, pdf_width(p), "督 查 通 报") + 6;
    struct pdf_style mid = line;
    mid.align = PDF_CENTER;
    snprintf(issue, sizeof(issue), "%d年第%d期", wy, week);
    p->y += pdf_text_at(p, &mid, p->left, p->y, pdf_width(p), issue) + 10;
    pdf_text_at(p, &line, p->left, p->y, pdf_width(p), b->office);
    line.align = PDF_RIGHT;
    p->y += pdf_text_at(p, &line, p->left, p->y, pdf_width(p),
                        tz_doc_date(b->issued, date, sizeof(date))) +
            4;
    pdf_line(p, p->left, p->y, p->right, p->y, 2.0, PDF_RED);
    pdf_line(p, p->left, p->y + 3, p->right, p->y + 3, 0.6, PDF_RED);
    p->y += 22;
}

static void title(struct pdf *p, const struct tz_bulletin *b)
{
    struct pdf_style st = {PDF_SERIF, 19, true, PDF_CENTER, {0, 0, 0}, 1.2};
    char period[TZ_DOC_BUF], text[256];
    snprintf(text, sizeof(text), "%s重点工作推进情况通报\n（%s）", b->district,
             tz_doc_period(b->from, b->to, period, sizeof(period)));
    pdf_paragraph(p, &st, text, 6);
    if (strcmp(b->scope, "全区") != 0) {
        struct pdf_style sc = caption;
        sc.size = 11;
        char s[256];
        snprintf(s, sizeof(s), "（统计范围：%s）", b->scope);
        pdf_paragraph(p, &sc, s, 4);
    }
    p->y += 8;
}

static void summary(struct pdf *p, const struct tz_bulletin *b)
{
    char today[TZ_DOC_BUF], period[TZ_DOC_BUF], r1[16], r2[16], r3[16], text[1024];
    tz_doc_date(b->issued, today, sizeof(today));
    tz_doc_period(b->from, b->to, period, sizeof(period));
    snprintf(text, sizeof(text),
             "　　截至%s，%s纳入台账管理的重点工作事项共%lld项，其中已销号%lld项，在办%lld项"
             "（绿灯%lld项、黄灯%lld项、红灯%lld项），逾期未销号%lld项。销号率%s，按期完成率%s，"
             "逾期率%s。",
             today, b->scope, (long long)b->total, (long long)b->closed, (long long)b->open,
             (long long)b->green, (long long)b->yellow, (long long)b->red, (long long)b->overdue,
             tz_doc_percent(b->close_rate, b->has_close_rate, r1, sizeof(r1)),
             tz_doc_percent(b->on_time_rate, b->has_on_time_rate, r2, sizeof(r2)),
             tz_doc_percent(b->overdue_rate, b->has_overdue_rate, r3, sizeof(r3)));
    pdf_paragraph(p, &body, text, 4);
    snprintf(text, sizeof(text),
             "　　本期（%s），新交办事项%lld项，验收销号%lld项，督查室催办%lld次、督办%lld次。",
             period, (long long)b->period_assigned, (long long)b->period_closed,
             (long long)b->period_reminded, (long long)b->period_supervised);
    pdf_paragraph(p, &body, text, 10);
}

/* ---- charts ---------------------------------------------------------------- */

static void chart_caption(struct pdf *p, const char *text)
{
    p->y += 4;
    p->y += pdf_text_at(p, &caption, p->left, p->y, pdf_width(p), text) + 10;
}

static int64_t max_of(int64_t a, int64_t b)
{
    return a > b ? a : b;
}

/* A rounded-up axis maximum (1, 2, 5 × 10^k) and its step for about 5 ticks. */
static void nice_axis(int64_t max, int64_t *top_out, int64_t *step_out)
{
    int64_t step = 1;
    while (max / step > 5) {
        if (max / (step * 2) <= 5) {
            step *= 2;
            break;
        }
        if (max / (step * 5) <= 5) {
            step *= 5;
            break;
        }
        step *= 10;
    }
    *step_out = step;
    *top_out = ((max + step - 1) / step) * step;
    if (*top_out == 0)
        *top_out = step;
}

static void legend(struct pdf *p, double x, double y, const char *const *names,
                   const double *const *colours, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        pdf_fill_rect(p, x, y + 2, 8, 8, colours[i]);
        pdf_text_at(p, &label, x + 11, y, 60, names[i]);
        x += 14 + 7.5 * (double)strlen(names[i]) / 3 * 1.1 + 12;
    }
}

/* 图1: red and yellow items of the units with most, as paired horizontal bars. */
static void chart_units(struct pdf *p, const struct tz_bulletin *b)
{
    size_t idx[CHART_UNITS], n = 0;
    /* the worst units: most red, then most yellow (a small selection, no sort needed) */
    bool used[512] = {0};
    size_t lim = b->n_units < 512 ? b->n_units : 512;
    while (n < CHART_UNITS) {
        size_t best = SIZE_MAX;
        for (size_t i = 0; i < lim; i++) {
            const struct tz_bulletin_unit *u = &b->units[i];
            if (used[i] || u->red + u->yellow == 0)
                continue;
            if (best == SIZE_MAX || u->red > b->units[best].red ||
                (u->red == b->units[best].red && u->yellow > b->units[best].yellow))
                best = i;
        }
        if (best == SIZE_MAX)
            break;
        used[best] = true;
        idx[n++] = best;
    }
    double row = 20, name_w = 150, h = (double)(n ? n : 1) * row + 30;
    pdf_need(p, h + 40);
    double x0 = p->left + name_w, w = pdf_width(p) - name_w - 30, y0 = p->y + 16;
    static const char *const names[] = {"红灯", "黄灯"};
    const double *colours[] = {PDF_RED, PDF_YELLOW};
    legend(p, x0, p->y, names, colours, 2);
    if (n == 0) {
        struct pdf_style c = caption;
        pdf_text_at(p, &c, p->left, y0 + 4, pdf_width(p), "本范围内没有红灯、黄灯事项");
        p->y = y0 + row + 10;
        chart_caption(p, "图1　各牵头单位红灯、黄灯事项数");
        return;
    }
    int64_t max = 0;
    for (size_t i = 0; i < n; i++)
        max = max_of(max, max_of(b->units[idx[i]].red, b->units[idx[i]].yellow));
    int64_t top, step;
    nice_axis(max, &top, &step);
    for (int64_t t = 0; t <= top; t += step) {
        double x = x0 + w * (double)t / (double)top;
        char s[24];
        pdf_line(p, x, y0, x, y0 + (double)n * row, 0.3, PDF_DONE);
        snprintf(s, sizeof(s), "%lld", (long long)t);
        struct pdf_style c = label;
        c.align = PDF_CENTER;
        pdf_text_at(p, &c, x - 15, y0 + (double)n * row + 2, 30, s);
    }
    for (size_t i = 0; i < n; i++) {
        const struct tz_bulletin_unit *u = &b->units[idx[i]];
        double y = y0 + (double)i * row;
        struct pdf_style c = label;
        c.align = PDF_RIGHT;
        c.size = 8;
        pdf_text_at(p, &c, p->left, y + 5, name_w - 6, u->name);
        double wr = w * (double)u->red / (double)top, wy = w * (double)u->yellow / (double)top;
        pdf_fill_rect(p, x0, y + 3, wr, 7, PDF_RED);
        pdf_fill_rect(p, x0, y + 10, wy, 7, PDF_YELLOW);
        char s[48];
        snprintf(s, sizeof(s), "%lld / %lld", (long long)u->red, (long long)u->yellow);
        pdf_text_at(p, &label, x0 + (wr > wy ? wr : wy) + 4, y + 5, 60, s);
    }
    pdf_line(p, x0, y0, x0, y0 + (double)n * row, 0.8, PDF_BLACK);
    p->y = y0 + (double)n * row + 14;
    chart_caption(p, "图1　各牵头单位红灯、黄灯事项数（红灯 / 黄灯）");
}

/* 图2: each ledger's items by light, as stacked horizontal bars. */
static void chart_ledgers(struct pdf *p, const struct tz_bulletin *b)
{
    size_t n = 0;
    for (size_t i = 0; i < b->n_ledgers; i++) {
        const struct tz_bulletin_ledger *l = &b->ledgers[i];
        if (l->green + l->yellow + l->red + l->closed > 0)
            n++;
    }
    double row = 18, name_w = 150, h = (double)(n ? n : 1) * row + 30;
    pdf_need(p, h + 40);
    double x0 = p->left + name_w, w = pdf_width(p) - name_w - 40, y0 = p->y + 16;
    static const char *const names[] = {"红灯", "黄灯", "绿灯", "已销号"};
    const double *colours[] = {PDF_RED, PDF_YELLOW, PDF_GREEN, PDF_DONE};
    legend(p, x0, p->y, names, colours, 4);
    int64_t max = 0;
    for (size_t i = 0; i < b->n_ledgers; i++) {
        const struct tz_bulletin_ledger *l = &b->ledgers[i];
        max = max_of(max, l->green + l->yellow + l->red + l->closed);
    }
    int64_t top, step;
    nice_axis(max, &top, &step);
    size_t k = 0;
    for (size_t i = 0; i < b->n_ledgers; i++) {
        const struct tz_bulletin_ledger *l = &b->ledgers[i];
        int64_t all = l->green + l->yellow + l->red + l->closed;
        if (all == 0)
            continue;
        double y = y0 + (double)k++ * row, x = x0;
        struct pdf_style c = label;
        c.align = PDF_RIGHT;
        c.size = 8;
        pdf_text_at(p, &c, p->left, y + 4, name_w - 6, l->name);
        const int64_t parts[] = {l->red, l->yellow, l->green, l->closed};
        for (size_t j = 0; j < 4; j++) {
            double pw = w * (double)parts[j] / (double)top;
            pdf_fill_rect(p, x, y + 3, pw, 12, colours[j]);
            x += pw;
        }
        char s[24];
        snprintf(s, sizeof(s), "%lld", (long long)all);
        pdf_text_at(p, &label, x + 4, y + 4, 50, s);
    }
    for (int64_t t = 0; t <= top; t += step) {
        double x = x0 + w * (double)t / (double)top;
        char s[24];
        snprintf(s, sizeof(s), "%lld", (long long)t);
        struct pdf_style c = label;
        c.align = PDF_CENTER;
        pdf_text_at(p, &c, x - 15, y0 + (double)k * row + 2, 30, s);
    }
    pdf_line(p, x0, y0, x0, y0 + (double)k * row, 0.8, PDF_BLACK);
    p->y = y0 + (double)k * row + 14;
    chart_caption(p, "图2　各台账事项亮灯情况");
}

/* 图3: items assigned and closed per month over the last twelve months, paired columns. */
static void chart_trend(struct pdf *p, const struct tz_bulletin *b)
{
    if (b->n_months == 0)
        return;
    double h = 120;
    pdf_need(p, h + 60);
    double x0 = p->left + 30, w = pdf_width(p) - 40, y0 = p->y + 18;
    static const char *const names[] = {"交办", "销号"};
    const double *colours[] = {PDF_BLUE, PDF_GREEN};
    legend(p, x0, p->y, names, colours, 2);
    int64_t max = 0;
    for (size_t i = 0; i < b->n_months; i++)
        max = max_of(max, max_of(b->months[i].opened, b->months[i].closed));
    int64_t top, step;
    nice_axis(max, &top, &step);
    for (int64_t t = 0; t <= top; t += step) {
        double y = y0 + h - h * (double)t / (double)top;
        char s[24];
        snprintf(s, sizeof(s), "%lld", (long long)t);
        pdf_line(p, x0, y, x0 + w, y, 0.3, PDF_DONE);
        struct pdf_style c = label;
        c.align = PDF_RIGHT;
        pdf_text_at(p, &c, x0 - 34, y - 5, 30, s);
    }
    double slot = w / (double)b->n_months;
    for (size_t i = 0; i < b->n_months; i++) {
        const struct tz_bulletin_month *m = &b->months[i];
        double x = x0 + slot * (double)i + slot * 0.15, bw = slot * 0.35;
        double ho = h * (double)m->opened / (double)top, hc = h * (double)m->closed / (double)top;
        pdf_fill_rect(p, x, y0 + h - ho, bw, ho, PDF_BLUE);
        pdf_fill_rect(p, x + bw, y0 + h - hc, bw, hc, PDF_GREEN);
        char s[16];
        int month = 0;
        if (strlen(m->month) == 7)
            month = (m->month[5] - '0') * 10 + (m->month[6] - '0');
        snprintf(s, sizeof(s), "%d月", month);
        struct pdf_style c = label;
        c.align = PDF_CENTER;
        pdf_text_at(p, &c, x0 + slot * (double)i, y0 + h + 3, slot, s);
    }
    pdf_line(p, x0, y0 + h, x0 + w, y0 + h, 0.8, PDF_BLACK);
    p->y = y0 + h + 18;
    chart_caption(p, "图3　近12个月交办与销号事项数");
}

/* ---- tables ------------------------------------------------------------------ */

static void unit_table(struct pdf *p, const struct tz_bulletin *b)
{
    static const char *const titles[] = {"序号", "牵头单位", "在办",      "红灯",
                                         "黄灯", "已销号",   "按期完成率"};
    static const double widths[] = {0.08, 0.36, 0.1, 0.1, 0.1, 0.12, 0.14};
    static const enum pdf_align aligns[] = {PDF_CENTER, PDF_LEFT,   PDF_CENTER, PDF_CENTER,
                                            PDF_CENTER, PDF_CENTER, PDF_CENTER};
    const struct pdf_table t = {7, titles, widths, aligns, &head_cell, &cell, 4};
    if (b->n_units == 0) {
        pdf_paragraph(p, &body, "　　本范围内没有作为牵头单位的事项。", 8);
        return;
    }
    pdf_table_header(p, &t);
    for (size_t i = 0; i < b->n_units; i++) {
        const struct tz_bulletin_unit *u = &b->units[i];
        char no[24], open[24], red[24], yellow[24], closed[24], rate[16];
        snprintf(no, sizeof(no), "%zu", i + 1);
        snprintf(open, sizeof(open), "%lld", (long long)u->open);
        snprintf(red, sizeof(red), "%lld", (long long)u->red);
        snprintf(yellow, sizeof(yellow), "%lld", (long long)u->yellow);
        snprintf(closed, sizeof(closed), "%lld", (long long)u->closed);
        tz_doc_percent(u->on_time_rate, u->has_on_time_rate, rate, sizeof(rate));
        const char *cells[] = {no, u->name, open, red, yellow, closed, rate};
        const double *rgb[] = {NULL, NULL, NULL, u->red ? PDF_RED : NULL, NULL, NULL, NULL};
        pdf_table_row(p, &t, cells, NULL, rgb);
    }
    p->y += 10;
}

static void red_table(struct pdf *p, const struct tz_bulletin *b)
{
    static const char *const titles[] = {"序号",     "编号",     "事项",
                                         "牵头单位", "办结时限", "逾期情况"};
    static const double widths[] = {0.06, 0.16, 0.28, 0.19, 0.18, 0.13};
    static const enum pdf_align aligns[] = {PDF_CENTER, PDF_LEFT,   PDF_LEFT,
                                            PDF_LEFT,   PDF_CENTER, PDF_CENTER};
    const struct pdf_table t = {6, titles, widths, aligns, &head_cell, &cell, 4};
    if (b->n_red_items == 0) {
        pdf_paragraph(p, &body, "　　本范围内目前没有红灯事项。", 8);
        return;
    }
    pdf_table_header(p, &t);
    for (size_t i = 0; i < b->n_red_items; i++) {
        const struct tz_bulletin_red *r = &b->red_items[i];
        char no[24], due[TZ_DOC_BUF], days[24];
        snprintf(no, sizeof(no), "%zu", i + 1);
        if (r->deadline == TZ_DAY_NONE)
            snprintf(due, sizeof(due), "—");
        else
            tz_doc_date(r->deadline, due, sizeof(due));
        if (r->is_ongoing)
            snprintf(days, sizeof(days), "未按期报告");
        else if (r->days_overdue > 0)
            snprintf(days, sizeof(days), "%d天", r->days_overdue);
        else
            snprintf(days, sizeof(days), "进度滞后");
        const char *cells[] = {no, r->code, r->title, r->lead_unit, due, days};
        const double *rgb[] = {NULL, NULL, NULL, NULL, NULL, PDF_RED};
        pdf_table_row(p, &t, cells, NULL, rgb);
    }
    p->y += 6;
    if (b->red_total > (int64_t)b->n_red_items) {
        char more[128];
        snprintf(more, sizeof(more), "　　另有%lld项红灯事项未列出，请登录系统查看。",
                 (long long)(b->red_total - (int64_t)b->n_red_items));
        pdf_paragraph(p, &body, more, 6);
    }
}

static void closing(struct pdf *p, const struct tz_bulletin *b)
{
    pdf_paragraph(p, &heading, "四、工作要求", 6);
    pdf_paragraph(
        p, &body,
        "　　请各牵头单位对照本通报，逐项分析红灯、黄灯事项滞后原因，倒排工期、挂图作战，"
        "确保按期办结；已逾期事项须在系统中报送最新进展和整改措施。对连续两期亮红灯的事项，"
        "督查室将按程序提请督办，并纳入年度考核。",
        24);
    struct pdf_style sig = body;
    sig.align = PDF_RIGHT;
    char date[TZ_DOC_BUF];
    pdf_need(p, 60);
    pdf_paragraph(p, &sig, b->office, 2);
    pdf_paragraph(p, &sig, tz_doc_date(b->issued, date, sizeof(date)), 0);
}

static void layout(struct pdf *p, void *arg)
{
    const struct tz_bulletin *b = arg;
    masthead(p, b);
    title(p, b);
    summary(p, b);
    pdf_paragraph(p, &heading, "一、各牵头单位推进情况", 6);
    unit_table(p, b);
    chart_units(p, b);
    pdf_paragraph(p, &heading, "二、各台账亮灯情况", 6);
    chart_ledgers(p, b);
    chart_trend(p, b);
    pdf_need(p, 80);
    pdf_paragraph(p, &heading, "三、红灯事项清单", 6);
    red_table(p, b);
    p->y += 6;
    closing(p, b);
}

enum tz_status tz_report_bulletin_pdf(const struct tz_bulletin *b, const char *path, int *pages_out,
                                      struct tz_err *err)
{
    return pdf_render(path, 25 * PDF_MM, 25 * PDF_MM, NULL, layout, (void *)b, pages_out, err);
}
