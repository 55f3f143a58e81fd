/*
 * gen.c - tz_gen, the data generator of the benchmarks: a fresh database with a
 * unit tree and N items spread over the ten ledgers of the seed.
 *
 * usage: tz_gen --db FILE --items N [--seed S]
 *        tz_gen --pg CONNINFO --items N [--seed S]
 *
 * --pg writes into an empty PostgreSQL database (created beforehand, e.g. with
 * createdb) instead of a fresh SQLite file; the rows are the same. SQLite stays
 * the default.
 *
 * DESIGN
 *
 * Everything is written through the store interface (store.h), the same calls
 * the use cases make, so the generated rows are exactly what the server would
 * have written: tz_store_sqlite_open creates the file and applies the schema,
 * unit_insert builds the tree, item_insert writes an item and its item_units
 * rows, event_insert its `create` event. Speed comes from batching: one
 * transaction per BATCH items, so the durable commit (synchronous=FULL) is paid
 * once per batch instead of once per row. Each batch is a bulk write
 * (begin_bulk, as an import), a transaction of its own. With a plain begin
 * (a savepoint in SQLite's commit group) every batch after the first grew
 * slower: 100 000 items took 20.5 s at 50 000 a batch and 45 s at 10 000,
 * against 5.9 s with begin_bulk either way (same rows). The store's comment on
 * begin_bulk gives the likely reason: statement journals inside a savepoint. With --pg,
 * tz_store_pg_open applies the schema instead, and the same calls write through the PostgreSQL
 * engine (one round trip per statement, still one COMMIT per batch). Batches are smaller there
 * (BATCH_PG): the schema's triggers keep per-month counters in item_months, a couple of dozen rows
 * that every inserted item updates; in PostgreSQL each update of a row adds a version that cannot
 * be pruned while its transaction is open, so within one transaction of B items each update walks a
 * chain of about B / 23 versions (quadratic: 954 items/s with 50 000 items per transaction,
 * heap_hot_search_buffer on top of perf). --batch N overrides either.
 *
 * The data is deterministic for a given seed (a splitmix64 generator, no libc
 * rand), so two runs with the same seed produce the same database and figures
 * can be compared across machines.
 *
 * Realism, in brief:
 * - units: the district ROOT (城东区, the name `taizhang init` gives it);
 *   20 departments (局/办) and 10 streets and towns; 10 communities or
 *   villages under each street or town (100 in all);
 * - items: ledgers weighted as a district's workload; titles from a small
 *   Chinese vocabulary; the lead unit is any unit but ROOT, about a third of the
 *   items have one or two co-units; deadlines spread over 2025-06..2027-06;
 * - states in the mix draft 5 %, assigned 10 %, in_progress 45 %, submitted 8 %,
 *   closed 25 %, ongoing 4 %, cancelled 3 %; `policy` items are `registered`,
 *   `risk_point` items are `ongoing` registers (SPEC 2.4) except the cancelled;
 * - stamps are consistent: created <= assigned <= submitted/closed <= today,
 *   progress agrees with the state, `on_time` with the close date, and the
 *   light is computed by tz_light_compute with the shipped calendars and
 *   today = TAIZHANG_TODAY (default 2026-11-30), warn_days 3; meta `lights_day`
 *   records that day, so the server's daily light refresh finds nothing to do.
 *
 * Codes are `ZG-2026-B000123`: the `B` cannot be produced by the server's own
 * code sequence (code_seq), which stays untouched, so items created later
 * through the API never collide with generated ones. The number is per ledger
 * and has at least 6 digits, more when N needs them.
 *
 * Events have actor_id 0 (no user: users are added later through the app,
 * because password hashing lives there). Ledger rules that raise a light
 * (project investment, indicator pace) are not applied.
 */
#include "tz/calendar.h"
#include "tz/date.h"
#include "tz/embed.h"
#include "tz/light.h"
#include "tz/store.h"
#include "tz/strbuf.h"
#include "tz/xalloc.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BATCH     50000 /* items per transaction, SQLite */
#define BATCH_PG  1000  /* items per transaction, PostgreSQL (see DESIGN) */
#define PROGRESS  50000 /* items between two progress lines */
#define MAX_ITEMS 100000000L
#define N_DEPTS   20
#define N_STREETS 10
#define N_PER_STR 10
#define WARN_DAYS 3
#define STAMP_BUF 32
#define CODE_BUF  40
#define TEXT_BUF  512

/* ---- random numbers --------------------------------------------------- */

/* splitmix64: small, fast, good enough for test data, and the same everywhere. */
struct rng {
    uint64_t s;
};

static uint64_t rng_next(struct rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Uniform in [0, n), n > 0 (the modulo bias is irrelevant here). */
static uint32_t rng_below(struct rng *r, uint32_t n)
{
    return (uint32_t)(rng_next(r) % n);
}

/* Uniform in [lo, hi]. */
static int32_t rng_range(struct rng *r, int32_t lo, int32_t hi)
{
    return lo + (int32_t)rng_below(r, (uint32_t)(hi - lo + 1));
}

/* True with probability pct / 100. */
static bool rng_pct(struct rng *r, unsigned pct)
{
    return rng_below(r, 100) < pct;
}

#define PICK(r, arr) ((arr)[rng_below((r), sizeof(arr) / sizeof((arr)[0]))])

/* ---- the vocabulary --------------------------------------------------- */

static const char *const dept_names[N_DEPTS] = {
    "发展和改革局", "生态环境分局", "应急管理局",           "住房和城乡建设局", "交通运输局",
    "水务局",       "农业农村局",   "自然资源分局",         "市场监督管理局",   "教育局",
    "卫生健康局",   "民政局",       "人力资源和社会保障局", "财政局",           "信访局",
    "城市管理局",   "商务局",       "文化旅游体育局",       "司法局",           "区委督查室",
};

static const char *const street_names[N_STREETS] = {
    "东关街道", "西关街道", "南川街道", "北山街道", "城中街道",
    "河湟街道", "多巴镇",   "甘河滩镇", "李家山镇", "曹家堡镇",
};

static const char *const community_stems[] = {
    "和平", "团结", "建设", "东风", "幸福", "新华", "民主", "育才", "滨河", "朝阳",
    "前进", "红旗", "光明", "向阳", "青年", "解放", "长宁", "丰收", "金桥", "康乐",
};

static const char *const places[] = {
    "湟水河",   "曹家沟",   "南川河",   "北川河",         "火车站片区", "老城区",
    "工业园区", "城南新区", "沿河湿地", "生活垃圾填埋场", "东部物流园", "高铁站周边",
};

/* One ledger of the seed: its key, code prefix, weight in the mix, title stems. */
struct ledger_def {
    const char *key;
    const char *prefix;
    unsigned weight; /* per cent of the items */
    const char *const *stems;
    size_t n_stems;
};

static const char *const stems_rect[] = {
    "黑臭水体治理不彻底", "违规占用耕地问题", "污水直排问题", "扬尘管控不到位",
    "餐饮油烟扰民问题",   "固废堆存不规范",   "河道采砂问题", "督察反馈问题整改",
};
static const char *const stems_reform[] = {
    "营商环境优化改革",     "一网通办改革",     "基层治理体系改革",
    "国企改革深化提升行动", "综合行政执法改革", "医保支付方式改革",
};
static const char *const stems_project[] = {
    "综合管廊建设项目",   "老旧小区改造项目", "污水处理厂提标改造", "道路提升改造工程",
    "保障性租赁住房项目", "智慧园区建设项目", "河道生态修复工程",
};
static const char *const stems_policy[] = {
    "关于优化营商环境的若干措施", "生态环境保护督察整改工作方案", "安全生产专项整治实施方案",
    "民生实事项目管理办法",       "重点项目推进工作机制",
};
static const char *const stems_eco[] = {
    "水质超标", "垃圾乱堆乱放", "河岸生态破坏", "噪声扰民", "土壤污染风险", "露天焚烧",
};
static const char *const stems_risk[] = {
    "燃气管道风险点",     "危化品仓库风险点",   "深基坑施工风险点",
    "人员密集场所风险点", "有限空间作业风险点",
};
static const char *const stems_hazard[] = {
    "消防通道堵塞隐患",   "电气线路老化隐患", "燃气泄漏隐患",
    "自建房结构安全隐患", "防汛设施缺损隐患", "特种设备超期未检",
};
static const char *const stems_petition[] = {
    "拆迁安置补偿诉求",   "物业服务纠纷", "农民工工资拖欠",
    "不动产登记遗留问题", "噪声扰民投诉", "征地补偿诉求",
};
static const char *const stems_livelihood[] = {
    "社区养老服务中心建设", "公办幼儿园扩容",     "背街小巷硬化亮化",
    "农贸市场改造",         "公共卫生间新建改建", "就业技能培训",
};
static const char *const stems_indicator[] = {
    "地区生产总值增速",   "规模以上工业增加值", "固定资产投资",
    "社会消费品零售总额", "一般公共预算收入",   "城镇居民人均可支配收入",
};

#define STEMS(a) a, sizeof(a) / sizeof((a)[0])
static const struct ledger_def ledgers[] = {
    {"rectification", "ZG", 20, STEMS(stems_rect)},
    {"reform", "GG", 8, STEMS(stems_reform)},
    {"project", "XM", 10, STEMS(stems_project)},
    {"policy", "ZC", 5, STEMS(stems_policy)},
    {"eco_problem", "ST", 12, STEMS(stems_eco)},
    {"risk_point", "FX", 10, STEMS(stems_risk)},
    {"hazard", "YH", 12, STEMS(stems_hazard)},
    {"petition", "XF", 10, STEMS(stems_petition)},
    {"livelihood", "MS", 8, STEMS(stems_livelihood)},
    {"indicator", "ZB", 5, STEMS(stems_indicator)},
};
#define N_LEDGERS (sizeof(ledgers) / sizeof(ledgers[0]))

static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "马", "韩", "祁"};
static const char *const leader_titles[] = {"区长", "副区长", "常务副区长", "区委常委"};

/* ---- generation context ------------------------------------------------ */

struct gen {
    struct rng rng;
    struct tz_calendar *cal;
    int32_t today;
    int32_t deadline_lo, deadline_hi;
    int digits;
    int64_t *units; /* every unit id that may lead (all but ROOT) */
    size_t n_units;
    long seq[N_LEDGERS]; /* per-ledger code numbers */
    long n_units_rows, n_item_units, n_events;
};

/* Buffers for the strings of one item, reused for every item. */
struct item_text {
    char code[CODE_BUF];
    char title[TEXT_BUF];
    char desc[TEXT_BUF];
    char leader[64];
    char fields[TEXT_BUF];
    char created[STAMP_BUF], updated[STAMP_BUF], assigned[STAMP_BUF], closed[STAMP_BUF];
    int64_t co[2];
};

static void stamp(struct gen *g, int32_t day, char out[STAMP_BUF])
{
    int y, m, d;
    tz_date_to_ymd(day, &y, &m, &d);
    int hour = rng_range(&g->rng, 8, 17);
    int min = rng_range(&g->rng, 0, 59);
    int sec = rng_range(&g->rng, 0, 59);
    snprintf(out, STAMP_BUF, "%04d-%02d-%02dT%02d:%02d:%02d+08:00", y, m, d, hour, min, sec);
}

static int32_t min_day(int32_t a, int32_t b)
{
    return a < b ? a : b;
}

static int32_t max_day(int32_t a, int32_t b)
{
    return a > b ? a : b;
}

static size_t pick_ledger(struct gen *g)
{
    unsigned x = rng_below(&g->rng, 100), acc = 0;
    for (size_t i = 0; i < N_LEDGERS; i++) {
        acc += ledgers[i].weight;
        if (x < acc)
            return i;
    }
    return 0;
}

/* The loop state of an item of a closed-loop ledger, in the mix of the header. */
static enum tz_state pick_state(struct gen *g)
{
    unsigned x = rng_below(&g->rng, 100);
    if (x < 5)
        return TZ_STATE_DRAFT;
    if (x < 15)
        return TZ_STATE_ASSIGNED;
    if (x < 60)
        return TZ_STATE_IN_PROGRESS;
    if (x < 68)
        return TZ_STATE_SUBMITTED;
    if (x < 93)
        return TZ_STATE_CLOSED;
    if (x < 97)
        return TZ_STATE_ONGOING;
    return TZ_STATE_CANCELLED;
}

/*
 * A deadline in the window, given the state: closed items mostly fell due
 * before today, open and draft items mostly fall due after it (about one open
 * item in eight is overdue, as in a ledger under supervision).
 */
static int32_t pick_deadline(struct gen *g, enum tz_state state)
{
    struct rng *r = &g->rng;
    int32_t lo = g->deadline_lo, hi = g->deadline_hi;
    int32_t t = min_day(max_day(g->today, lo), hi);

    switch (state) {
    case TZ_STATE_CLOSED:
        return rng_range(r, lo, min_day(t + 90, hi));
    case TZ_STATE_DRAFT:
    case TZ_STATE_ASSIGNED:
    case TZ_STATE_IN_PROGRESS:
    case TZ_STATE_SUBMITTED:
        if (rng_pct(r, 12))
            return rng_range(r, max_day(lo, t - 120), t);
        return rng_range(r, t, hi);
    default:
        return rng_range(r, lo, hi);
    }
}

/* Kind-specific fields as compact JSON (only keys of SPEC 3; required ones always present). */
static void make_fields(struct gen *g, const char *ledger, const char *place, int32_t created,
                        char out[TEXT_BUF])
{
    char date[TZ_DATE_BUF];
    struct rng *r = &g->rng;

    if (strcmp(ledger, "rectification") == 0) {
        static const char *const src[] = {"中央生态环境保护督察", "省委巡视", "审计反馈",
                                          "12345热线交办件"};
        static const char *const types[] = {"立行立改", "限期整改", "长期坚持"};
        snprintf(out, TEXT_BUF,
                 "{\"source_type\":\"%s\",\"source_ref\":\"第%d批\",\"rect_type\":\"%s\"}",
                 PICK(r, src), rng_range(r, 1, 12), PICK(r, types));
    } else if (strcmp(ledger, "reform") == 0) {
        static const char *const areas[] = {"经济体制", "社会治理", "生态文明", "民生保障"};
        snprintf(out, TEXT_BUF, "{\"area\":\"%s\"}", PICK(r, areas));
    } else if (strcmp(ledger, "project") == 0) {
        static const char *const phases[] = {"前期", "新开工", "在建", "竣工"};
        int total = rng_range(r, 500, 200000);
        snprintf(out, TEXT_BUF,
                 "{\"total_investment\":%d,\"annual_plan_investment\":%d,"
                 "\"completed_investment\":%d,\"phase\":\"%s\"}",
                 total, total / 3, rng_range(r, 0, total / 3), PICK(r, phases));
    } else if (strcmp(ledger, "policy") == 0) {
        snprintf(out, TEXT_BUF,
                 "{\"doc_no\":\"区政办〔%d〕%d号\",\"issuer\":\"区人民政府办公室\","
                 "\"issued_on\":\"%s\"}",
                 tz_date_year(created), rng_range(r, 1, 200), tz_date_format(created, date));
    } else if (strcmp(ledger, "eco_problem") == 0) {
        static const char *const found[] = {"巡查", "举报", "督察", "监测"};
        static const char *const cat[] = {"水", "大气", "土壤", "固废", "噪声", "生态"};
        snprintf(out, TEXT_BUF, "{\"found_by\":\"%s\",\"category\":\"%s\",\"location\":\"%s\"}",
                 PICK(r, found), PICK(r, cat), place);
    } else if (strcmp(ledger, "risk_point") == 0) {
        snprintf(out, TEXT_BUF, "{\"l\":%d,\"e\":%d,\"c\":%d,\"check_every_days\":30}",
                 rng_range(r, 1, 6), rng_range(r, 1, 6), rng_range(r, 1, 15));
    } else if (strcmp(ledger, "hazard") == 0) {
        snprintf(out, TEXT_BUF, "{\"grade\":\"%s\",\"found_in_check\":\"%s\"}",
                 rng_pct(r, 5) ? "重大" : "一般", "季度安全生产大检查");
    } else if (strcmp(ledger, "petition") == 0) {
        static const char *const ch[] = {"走访", "来信", "网上信访", "12345热线"};
        snprintf(out, TEXT_BUF,
                 "{\"petitioner\":\"%s某某\",\"contact\":\"1390000%04d\",\"received_on\":\"%s\","
                 "\"channel\":\"%s\",\"backlog\":%s}",
                 PICK(r, surnames), rng_range(r, 0, 9999), tz_date_format(created, date),
                 PICK(r, ch), rng_pct(r, 20) ? "true" : "false");
    } else if (strcmp(ledger, "livelihood") == 0) {
        static const char *const cat[] = {"就业", "教育", "养老", "医疗", "住房", "交通"};
        snprintf(out, TEXT_BUF, "{\"category\":\"%s\",\"beneficiaries\":%d,\"budget\":%d}",
                 PICK(r, cat), rng_range(r, 100, 50000), rng_range(r, 10, 5000));
    } else {
        static const char *const measures[] = {"地区生产总值", "固定资产投资", "社会消费品零售总额",
                                               "一般公共预算收入"};
        snprintf(out, TEXT_BUF,
                 "{\"measure\":\"%s\",\"unit_of_measure\":\"亿元\",\"annual_target\":%d}",
                 PICK(r, measures), rng_range(r, 20, 400));
    }
}

/* The lead unit, and for about a third of the items one or two co-units (sorted, distinct). */
static void pick_units(struct gen *g, struct tz_item *it, struct item_text *tx)
{
    struct rng *r = &g->rng;
    size_t k = 0;

    it->lead_unit_id = g->units[rng_below(r, (uint32_t)g->n_units)];
    if (!rng_pct(r, 33))
        return;
    size_t n_co = rng_pct(r, 70) ? 1 : 2;
    for (size_t i = 0; i < n_co; i++) {
        int64_t u = g->units[rng_below(r, (uint32_t)g->n_units)];
        if (u != it->lead_unit_id && (k == 0 || tx->co[0] != u))
            tx->co[k++] = u;
    }
    if (k == 2 && tx->co[0] > tx->co[1]) {
        int64_t t = tx->co[0];
        tx->co[0] = tx->co[1];
        tx->co[1] = t;
    }
    it->co_unit_ids = tx->co;
    it->n_co_units = k;
}

/*
 * Moves an assigned item (or a register) along the loop to its state: progress, submit, close and
 * report days. Returns the day of the last change.
 */
static int32_t advance(struct gen *g, struct tz_item *it, struct item_text *tx, int32_t created,
                       int32_t deadline, bool is_risk)
{
    struct rng *r = &g->rng;
    int32_t assigned = it->assigned_day;

    switch (it->state) {
    case TZ_STATE_IN_PROGRESS: {
        /* Progress roughly follows elapsed time, with spread either way. */
        int32_t span = max_day(deadline - assigned, 1);
        int32_t gone = min_day(max_day(g->today - assigned, 0), span);
        int p = (int)(100L * gone / span) + rng_range(r, -35, 15);
        p = p < 0 ? 0 : p > 95 ? 95 : p;
        it->progress = p / 5 * 5;
        return min_day(assigned + rng_range(r, 0, 60), g->today);
    }
    case TZ_STATE_SUBMITTED: {
        it->progress = 100;
        int32_t sub = min_day(assigned + rng_range(r, 5, 120), g->today);
        if (rng_pct(r, 85))
            sub = min_day(sub, deadline);
        it->submitted_day = max_day(sub, assigned);
        return it->submitted_day;
    }
    case TZ_STATE_CLOSED: {
        it->progress = 100;
        int32_t close = min_day(assigned + rng_range(r, 5, 180), g->today);
        if (rng_pct(r, 85))
            close = min_day(close, deadline);
        close = max_day(close, assigned);
        it->submitted_day = max_day(close - rng_range(r, 0, 5), assigned);
        stamp(g, close, tx->closed);
        if (strcmp(tx->closed, tx->assigned) < 0)
            memcpy(tx->closed, tx->assigned, STAMP_BUF);
        it->closed_at = tx->closed;
        it->on_time = it->submitted_day <= deadline;
        return close;
    }
    case TZ_STATE_ONGOING: {
        it->progress = is_risk ? 0 : rng_range(r, 12, 20) * 5;
        static const int cadences[] = {15, 30, 90};
        it->report_every_days = is_risk ? 30 : PICK(r, cadences);
        int every = it->report_every_days;
        unsigned x = rng_below(r, 100);
        int age = x < 70   ? rng_range(r, 0, every)
                  : x < 90 ? rng_range(r, every + 1, 2 * every)
                           : rng_range(r, 2 * every + 1, 3 * every);
        int32_t last = g->today - age;
        it->last_report_day = max_day(last, assigned != TZ_DAY_NONE ? assigned : created);
        return it->last_report_day;
    }
    case TZ_STATE_CANCELLED:
        return min_day((assigned != TZ_DAY_NONE ? assigned : created) + rng_range(r, 0, 20),
                       g->today);
    default:
        return created;
    }
}

/*
 * Fills *it (and the strings in *tx) with one consistent item of ledger li.
 * Dates: deadline D uniform in the window; created C before D and not after
 * today; assigned A a few days after C; closing and submit dates after A and
 * not after today.
 */
static void make_item(struct gen *g, size_t li, struct tz_item *it, struct item_text *tx)
{
    struct rng *r = &g->rng;
    const struct ledger_def *ld = &ledgers[li];
    const char *place = PICK(r, places);
    bool is_policy = strcmp(ld->key, "policy") == 0;
    bool is_risk = strcmp(ld->key, "risk_point") == 0;

    memset(it, 0, sizeof(*it));
    it->ledger = ld->key;
    it->on_time = -1;
    it->assigned_day = it->submitted_day = it->last_report_day = TZ_DAY_NONE;
    it->deadline = it->original_deadline = TZ_DAY_NONE;

    enum tz_state state;
    if (is_policy)
        state = TZ_STATE_REGISTERED;
    else if (is_risk)
        state = rng_pct(r, 3) ? TZ_STATE_CANCELLED : TZ_STATE_ONGOING;
    else
        state = pick_state(g);
    it->state = state;

    int32_t deadline = pick_deadline(g, state);
    int32_t created = min_day(deadline - rng_range(r, 30, 240), g->today - rng_range(r, 1, 20));
    if (state == TZ_STATE_ASSIGNED || state == TZ_STATE_DRAFT)
        created = max_day(created, g->today - rng_range(r, 1, 30)); /* waiting: recent */
    created = max_day(created, tz_date_from_ymd(2025, 1, 2));

    g->seq[li]++;
    snprintf(tx->code, CODE_BUF, "%s-%d-B%0*ld", ld->prefix, tz_date_year(created), g->digits,
             g->seq[li]);
    snprintf(tx->title, TEXT_BUF, "%s%s", place, ld->stems[rng_below(r, (uint32_t)ld->n_stems)]);
    snprintf(tx->desc, TEXT_BUF, "%s范围内%s，需按期完成并报送佐证材料。", place,
             ld->stems[rng_below(r, (uint32_t)ld->n_stems)]);
    snprintf(tx->leader, sizeof(tx->leader), "%s%s", PICK(r, surnames), PICK(r, leader_titles));
    make_fields(g, ld->key, place, created, tx->fields);
    it->code = tx->code;
    it->title = tx->title;
    it->description = tx->desc;
    it->source = is_policy ? "" : "区委督查室交办";
    it->leader = tx->leader;
    it->fields_json = tx->fields;
    it->version = rng_range(r, 1, 5);

    stamp(g, created, tx->created);
    it->created_at = tx->created;
    int32_t updated = created;

    if (!is_policy) /* a policy is a register without an owner; a risk point has one */
        pick_units(g, it, tx);
    if (!is_policy && !is_risk) {
        it->deadline = deadline;
        it->original_deadline = deadline;
    }

    /*
     * Stamps of assignment: every item of the loop but a draft was assigned once (a cancelled
     * one in 40 %); registers never are.
     */
    bool was_assigned = !is_policy && !is_risk && state != TZ_STATE_DRAFT &&
                        (state != TZ_STATE_CANCELLED || rng_pct(r, 40));
    int32_t assigned = TZ_DAY_NONE;
    if (was_assigned) {
        assigned = min_day(created + rng_range(r, 0, 7), g->today);
        stamp(g, assigned, tx->assigned);
        if (strcmp(tx->assigned, tx->created) < 0)
            memcpy(tx->assigned, tx->created, STAMP_BUF);
        it->assigned_at = tx->assigned;
        it->assigned_day = assigned;
        updated = assigned;
    }

    /* Extensions, supervision and reminders on items that ran for a while. */
    if (state == TZ_STATE_IN_PROGRESS || state == TZ_STATE_SUBMITTED || state == TZ_STATE_CLOSED) {
        if (rng_pct(r, 10)) {
            it->extension_count = rng_pct(r, 85) ? 1 : 2;
            it->original_deadline = max_day(assigned + 1, deadline - 30 * it->extension_count);
        }
        it->remind_count = rng_pct(r, 25) ? rng_range(r, 1, 3) : 0;
    }
    if (state != TZ_STATE_DRAFT && state != TZ_STATE_REGISTERED && state != TZ_STATE_CANCELLED) {
        unsigned x = rng_below(r, 100);
        it->supervised = x < 3 ? 2 : x < 13 ? 1 : 0;
        if (strstr(tx->fields, "重大") && it->supervised == 0)
            it->supervised = 1;
    }

    if (state != TZ_STATE_DRAFT && state != TZ_STATE_REGISTERED)
        updated = max_day(updated, advance(g, it, tx, created, deadline, is_risk));
    /* updated_at is the latest stamp: the close itself when closed. */
    if (it->closed_at)
        memcpy(tx->updated, tx->closed, STAMP_BUF);
    else if (updated == assigned && it->assigned_at)
        memcpy(tx->updated, tx->assigned, STAMP_BUF);
    else if (updated <= created)
        memcpy(tx->updated, tx->created, STAMP_BUF);
    else
        stamp(g, updated, tx->updated);
    it->updated_at = tx->updated;

    it->light = tz_light_compute(it, g->today, WARN_DAYS, g->cal);
}

/* ---- units ------------------------------------------------------------ */

static enum tz_status add_unit(struct tz_store_conn *c, struct gen *g, const char *code,
                               const char *name, const char *kind, int64_t parent, int64_t *id_out,
                               struct tz_err *err)
{
    struct tz_unit u = {
        .code = code,
        .name = name,
        .kind = kind,
        .parent_id = parent,
        .created_at = "2025-01-02T09:00:00+08:00",
    };
    enum tz_status s = TZ_STORE(c)->unit_insert(c, &u, err);
    if (s != TZ_OK)
        return s;
    *id_out = u.id;
    g->n_units_rows++;
    if (parent)
        g->units[g->n_units++] = u.id;
    return TZ_OK;
}

/*
 * The tree: ROOT (district) -> 20 departments and 10 streets/towns -> 10
 * communities (under streets) or villages (under towns) each.
 */
static enum tz_status make_units(struct tz_store_conn *c, struct gen *g, struct tz_err *err)
{
    int64_t root = 0, id = 0;
    char code[32], name[128];
    enum tz_status s = add_unit(c, g, "ROOT", "城东区", "district", 0, &root, err);

    for (int i = 0; s == TZ_OK && i < N_DEPTS; i++) {
        snprintf(code, sizeof(code), "D%02d", i + 1);
        snprintf(name, sizeof(name), "区%s", dept_names[i]);
        s = add_unit(c, g, code, name, "department", root, &id, err);
    }
    for (int i = 0; s == TZ_OK && i < N_STREETS; i++) {
        bool town = strstr(street_names[i], "镇") != NULL;
        int64_t street = 0;
        snprintf(code, sizeof(code), "S%02d", i + 1);
        s = add_unit(c, g, code, street_names[i], town ? "town" : "street", root, &street, err);
        for (int j = 0; s == TZ_OK && j < N_PER_STR; j++) {
            const char *stem = community_stems[(i * 3 + j) % 20];
            snprintf(code, sizeof(code), "S%02dC%02d", i + 1, j + 1);
            snprintf(name, sizeof(name), "%s%s", stem, town ? "村" : "社区");
            s = add_unit(c, g, code, name, town ? "village" : "community", street, &id, err);
        }
    }
    return s;
}

/* ---- items and events ------------------------------------------------- */

static enum tz_status add_item(struct tz_store_conn *c, struct gen *g, struct tz_err *err)
{
    struct tz_item it;
    struct item_text tx;
    size_t li = pick_ledger(g);

    make_item(g, li, &it, &tx);
    enum tz_status s = TZ_STORE(c)->item_insert(c, &it, err);
    if (s != TZ_OK)
        return s;
    g->n_item_units += (it.lead_unit_id != 0) + (long)it.n_co_units;

    char after[TEXT_BUF];
    struct tz_strbuf sb = TZ_STRBUF_INIT;
    tz_strbuf_addstr(&sb, "{\"code\":");
    tz_strbuf_add_json_str(&sb, it.code, strlen(it.code));
    tz_strbuf_addf(&sb, ",\"ledger\":\"%s\",\"title\":", it.ledger);
    tz_strbuf_add_json_str(&sb, it.title, strlen(it.title));
    /* The state the item was created in: registers start registered or ongoing. */
    const char *born = strcmp(it.ledger, "policy") == 0       ? "registered"
                       : strcmp(it.ledger, "risk_point") == 0 ? "ongoing"
                                                              : "draft";
    tz_strbuf_addf(&sb, ",\"status\":\"%s\"}", born);
    snprintf(after, sizeof(after), "%s", sb.buf);
    tz_strbuf_release(&sb);

    struct tz_event ev = {
        .item_id = it.id,
        .at = it.created_at,
        .actor_id = 0,
        .action = "create",
        .comment = NULL,
        .before = "{}",
        .after = after,
    };
    s = TZ_STORE(c)->event_insert(c, &ev, err);
    if (s == TZ_OK)
        g->n_events++;
    return s;
}

/* ---- the program -------------------------------------------------------- */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int usage(void)
{
    fprintf(stderr, "usage: tz_gen --db FILE | --pg CONNINFO --items N [--seed S] [--batch B]\n");
    return 2;
}

static bool parse_long(const char *s, long lo, long hi, long *out)
{
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

/*
 * Loads every shipped calendar (data/calendar/CN-YYYY.json), as the server does; a year without
 * data stays Monday-Friday.
 */
static struct tz_calendar *load_calendar(void)
{
    static const char prefix[] = "data/calendar/";
    struct tz_calendar *cal = tz_calendar_new();
    for (const struct tz_embedded *f = tz_embedded_files; f->path; f++) {
        struct tz_err err = {0};
        if (strncmp(f->path, prefix, sizeof(prefix) - 1) != 0)
            continue;
        if (tz_calendar_load_json(cal, (const char *)f->data, f->len, &err) != TZ_OK)
            fprintf(stderr, "tz_gen: warning: '%s': %s\n", f->path, err.msg);
    }
    return cal;
}

static int digits_for(long n)
{
    int d = 1;
    for (long v = n; v >= 10; v /= 10)
        d++;
    return d < 6 ? 6 : d;
}

int main(int argc, char **argv)
{
    const char *db = NULL, *pg = NULL;
    long n_items = -1, seed = 20261130, batch = 0;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
            db = argv[++i];
        else if (strcmp(argv[i], "--pg") == 0 && i + 1 < argc)
            pg = argv[++i];
        else if (strcmp(argv[i], "--items") == 0 && i + 1 < argc) {
            if (!parse_long(argv[++i], 0, MAX_ITEMS, &n_items))
                return usage();
        } else if (strcmp(argv[i], "--batch") == 0 && i + 1 < argc) {
            if (!parse_long(argv[++i], 1, MAX_ITEMS, &batch))
                return usage();
        } else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
            if (!parse_long(argv[++i], 0, 0x7fffffffL, &seed))
                return usage();
        } else
            return usage();
    }
    if (!db == !pg || n_items < 0)
        return usage();
    if (batch == 0)
        batch = pg ? BATCH_PG : BATCH;
    if (db && access(db, F_OK) == 0) {
        fprintf(stderr, "tz_gen: '%s' exists: the generator only creates fresh databases\n", db);
        return 1;
    }

    struct gen g = {.rng = {(uint64_t)seed}};
    const char *today_env = getenv("TAIZHANG_TODAY");
    if (!today_env || !tz_date_parse(today_env, &g.today))
        g.today = tz_date_from_ymd(2026, 11, 30);
    g.deadline_lo = tz_date_from_ymd(2025, 6, 1);
    g.deadline_hi = tz_date_from_ymd(2027, 6, 30);
    g.digits = digits_for(n_items);
    g.cal = load_calendar();
    g.units = tz_xcalloc(N_DEPTS + N_STREETS * (N_PER_STR + 1), sizeof(*g.units));

    int rc = 1;
    struct tz_err err = {0};
    double t0 = now_s();
    struct tz_store *st =
        pg ? tz_store_pg_open(pg, true, 1, &err) : tz_store_sqlite_open(db, true, 1, &err);
    if (!st) {
        fprintf(stderr, "tz_gen: %s\n", err.msg);
        goto out;
    }
    struct tz_store_conn *c = st->ops->acquire(st);
    enum tz_status s = TZ_STORE(c)->begin_bulk(c, &err);
    if (s == TZ_OK)
        s = make_units(c, &g, &err);
    if (s == TZ_OK) {
        /* The lights are current for today: spare the server its daily recompute at start. */
        char day[16];
        snprintf(day, sizeof(day), "%d", (int)g.today);
        s = TZ_STORE(c)->meta_set(c, "lights_day", day, &err);
    }
    for (long i = 0; s == TZ_OK && i < n_items; i++) {
        s = add_item(c, &g, &err);
        if (s == TZ_OK && (i + 1) % batch == 0) {
            s = TZ_STORE(c)->commit(c, &err);
            double t = now_s() - t0;
            if ((i + 1) / PROGRESS != (i + 1 - batch) / PROGRESS) /* a line per 50 000 */
                fprintf(stderr, "tz_gen: %ld/%ld items, %.1f s, %.0f items/s\n", i + 1, n_items, t,
                        (double)(i + 1) / t);
            if (s == TZ_OK)
                s = TZ_STORE(c)->begin_bulk(c, &err);
        }
    }
    if (s == TZ_OK)
        s = TZ_STORE(c)->commit(c, &err);
    else
        TZ_STORE(c)->rollback(c);
    st->ops->release(c);
    tz_store_close(st); /* runs PRAGMA optimize */
    if (s != TZ_OK) {
        fprintf(stderr, "tz_gen: %s\n", err.msg);
        goto out;
    }

    double t = now_s() - t0;
    long rows = g.n_units_rows + n_items + g.n_item_units + g.n_events;
    fprintf(stderr,
            "tz_gen: %ld units, %ld items, %ld item_units, %ld events (%ld rows) in %.2f s: "
            "%.0f items/s, %.0f rows/s\n",
            g.n_units_rows, n_items, g.n_item_units, g.n_events, rows, t,
            t > 0 ? (double)n_items / t : 0.0, t > 0 ? (double)rows / t : 0.0);
    rc = 0;
out:
    tz_calendar_free(g.cal);
    free(g.units);
    return rc;
}
