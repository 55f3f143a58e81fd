// tools/risk_tables.js - the factor tables of the two risk grading methods in
// their standard wording (DOMAIN 4.3 LEC 作业条件危险性分析法, 4.4 LS 风险矩阵法)
// and the bands that turn a score into the four official levels. The server
// (POST /risk/assess) does the arithmetic and the banding; these tables are
// what the user chooses from and what the page shows beside the result.

export const LEC = {
  l: {
    name: 'L',
    title: '事故发生的可能性',
    rows: [
      [10, '完全可以预料'],
      [6, '相当可能'],
      [3, '可能，但不经常'],
      [1, '可能性小，完全意外'],
      [0.5, '很不可能，可以设想'],
      [0.2, '极不可能'],
      [0.1, '实际不可能'],
    ],
  },
  e: {
    name: 'E',
    title: '暴露于危险环境的频繁程度',
    rows: [
      [10, '连续暴露'],
      [6, '每天工作时间内暴露'],
      [3, '每周一次，或偶然暴露'],
      [2, '每月一次暴露'],
      [1, '每年几次暴露'],
      [0.5, '非常罕见地暴露'],
    ],
  },
  c: {
    name: 'C',
    title: '发生事故可能造成的后果',
    rows: [
      [100, '大灾难，许多人死亡'],
      [40, '灾难，数人死亡'],
      [15, '非常严重，一人死亡'],
      [7, '严重，重伤'],
      [3, '重大，致残'],
      [1, '引人注目，需要救护'],
    ],
  },
};

/* LEC: D bands mapped to the four levels (a score on a limit falls in the lower band). */
export const LEC_BANDS = [
  { color: 'red', level: '重大', range: 'D > 320', grade: '极其危险', action: '不能继续作业' },
  { color: 'orange', level: '较大', range: '160 < D ≤ 320', grade: '高度危险', action: '需立即整改' },
  { color: 'yellow', level: '一般', range: '70 < D ≤ 160', grade: '显著危险', action: '需要整改' },
  { color: 'blue', level: '低', range: 'D ≤ 70', grade: '一般危险或稍有危险', action: '需要注意或可以接受' },
];

export const LS = {
  l: {
    name: 'L',
    title: '事故发生的可能性',
    rows: [
      [5, '在现场没有采取防范、监测、保护、控制措施，或危害的发生不能被发现（没有监测系统），或在正常情况下经常发生此类事故或事件'],
      [4, '危害的发生不容易被发现，现场没有检测系统，也未作过任何监测，或在现场有控制措施但未有效执行或控制措施不当，或危害常发生或在预期情况下发生'],
      [3, '没有保护措施（如没有保护装置、没有个人防护用品等），或未严格按操作程序执行，或危害的发生容易被发现（现场有监测系统），或曾经作过监测，或过去曾经发生类似事故或事件'],
      [2, '危害一旦发生能及时发现，并定期进行监测，或现场有防范控制措施并能有效执行，或过去偶尔发生事故或事件'],
      [1, '有充分、有效的防范、控制、监测、保护措施，或员工安全卫生意识相当高，严格执行操作规程；极不可能发生事故或事件'],
    ],
  },
  s: {
    name: 'S',
    title: '后果严重性',
    /* [value, 法律法规及其他要求, 人员, 财产损失, 停工, 环境, 形象] */
    rows: [
      [5, '违反法律、法规', '死亡', '> 300 万元', '全系统停车', '大规模、企业外', '重大国内影响'],
      [4, '潜在违反法规', '丧失劳动能力', '≤ 300 万元', '部分装置停工', '企业内严重污染', '地区内影响'],
      [3, '不符合上级公司安全方针、制度', '截肢、骨折、听力丧失、慢性病', '< 50 万元', '部分设备停工', '厂内中等污染', '集团内影响'],
      [2, '不符合本单位操作程序、规定', '轻微受伤、间歇不舒适', '< 10 万元', '几乎不停工', '装置范围污染', '企业及周边'],
      [1, '完全符合', '无伤亡', '无损失', '没有停工', '没有污染', '形象没有受损'],
    ],
    columns: ['法律法规及其他要求', '人员', '财产损失', '停工', '环境', '形象'],
  },
};

/* LS: R bands mapped to the four levels. */
export const LS_BANDS = [
  { color: 'red', level: '重大', range: 'R 20–25', grade: '巨大风险', action: '立即停止作业，立刻整改' },
  { color: 'orange', level: '较大', range: 'R 15–16', grade: '重大风险', action: '采取紧急措施，立即或近期整改' },
  { color: 'yellow', level: '一般', range: 'R 9–12', grade: '中等风险', action: '制定目标、程序和培训，1–2 年内治理' },
  { color: 'blue', level: '低', range: 'R 1–8', grade: '可接受或轻微风险', action: '按程序定期检查，保存记录' },
];

/* The band colour of an LS product (for drawing the 5×5 matrix). */
export function lsColor(r) {
  if (r >= 20) return 'red';
  if (r >= 15) return 'orange';
  if (r >= 9) return 'yellow';
  return 'blue';
}

export const RISK_COLOR_NAMES = { red: '红', orange: '橙', yellow: '黄', blue: '蓝' };
export const LEVEL_ORDER = { 重大: 1, 较大: 2, 一般: 3, 低: 4 };

/* A score as the page shows it: 252, 0.3 (never binary-float noise). */
export function fmtScore(v) {
  if (v === null || v === undefined || v === '') return '—';
  return String(Math.round(Number(v) * 10) / 10);
}
