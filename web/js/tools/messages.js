// tools/messages.js - the API's validation messages (English, for developers)
// said in Chinese for the user, next to the field they concern. A message this
// table does not know becomes "请检查“<field label>”" rather than English.

const FIELD_LABELS = {
  password: '密码',
  username: '用户名',
  display_name: '姓名',
  unit_id: '所属单位',
  roles: '角色',
  code: '编码',
  name: '名称',
  kind: '类型',
  parent_id: '上级单位',
  holidays: '法定节假日',
  workdays: '调休上班日',
  year: '年份',
  q: '检索内容',
  l: '可能性 L',
  e: '暴露频率 E',
  c: '后果 C',
  s: '严重性 S',
  method: '评价方法',
  quarter: '季度',
  after: '起始序号',
  limit: '每页条数',
};

/* [pattern, (match, label) => Chinese] in the order they are tried. */
const RULES = [
  [/must be at least (\d+) characters long/, (m) => `密码至少 ${m[1]} 位`],
  [/must mix at least (\d+) of/, (m) => `密码须包含大写字母、小写字母、数字、其他字符中的至少 ${m[1]} 类`],
  [/must not be the user name reversed/, () => '密码不能是用户名的倒写'],
  [/must not be the user name/, () => '密码不能与用户名相同'],
  [/'password' must be at most (\d+) bytes/, (m) => `密码过长（最多 ${m[1]} 字节）`],
  [/'password' must be valid UTF-8/, () => '密码含有无法识别的字符'],
  [/unit code '(.*)' is taken/, (m) => `单位编码“${m[1]}”已被使用，请换一个`],
  [/'code' may hold only/, () => '编码只能由字母、数字、“-”和“_”组成'],
  [/'username' may hold only/, () => '用户名只能由字母、数字、“_”“.”“-”组成'],
  [/user name '(.*)' is taken/, (m) => `用户名“${m[1]}”已被使用，请换一个`],
  [/'username' cannot be changed/, () => '用户名创建后不能修改'],
  [/parent unit \d+ not found/, () => '所选上级单位不存在，请刷新后重选'],
  [/cannot be placed below itself/, () => '不能把单位移到它自己或它的下级单位之下'],
  [/^unit \d+ not found/, () => '所选单位不存在，请刷新后重选'],
  [/'roles' must be a non-empty list/, () => '请至少选择一个角色'],
  [/'roles' holds an unknown role/, () => '角色无效'],
  [/admin and auditor roles cannot be combined/, () => '系统管理员、安全审计员不能兼任其他角色（三员分立）'],
  [/'kind' must be one of/, () => '请选择单位类型'],
  [/entry \d+ is not a date in (\d+)/, (m, label) => `${label}中有不属于 ${m[1]} 年的日期`],
  [/lists (\d{4}-\d{2}-\d{2}) twice/, (m, label) => `${label}中 ${m[1]} 重复`],
  [/lists (\d{4}-\d{2}-\d{2}), which is also a holiday/, (m) => `${m[1]} 已是法定节假日，不能同时为调休上班日`],
  [/has more entries than/, (m, label) => `${label}的天数超过全年天数`],
  [/name of (\S+) is longer than (\d+) bytes/, (m) => `${m[1]} 的名称过长（最多 ${m[2]} 字节）`],
  [/'q' is required/, () => '请输入检索内容'],
  [/'q' is longer than/, () => '检索内容过长，最多 200 字节'],
  [/'(\w)' must be one of ([\d., ]+)/, (m, label) => `${label}须取表中的值（${m[2]}）`],
  [/'(\w+)' is required/, (m, label) => `请填写${label}`],
  [/'(\w+)' must not be empty/, (m, label) => `请填写${label}`],
  [/'(\w+)' is longer than (\d+) bytes/, (m, label) => `${label}过长（最多 ${m[2]} 字节）`],
];

export function fieldLabel(field) {
  return FIELD_LABELS[field] || field || '';
}

/*
 * An ApiError as {field, text} for showError(): a validation message in
 * Chinese; any other error keeps the Chinese text the API client gives it.
 */
export function zh(err) {
  if (!err || err.code !== 'validation_failed') {
    return { field: err?.field || null, text: err?.text || String(err?.message || err) };
  }
  const label = fieldLabel(err.field);
  for (const [re, say] of RULES) {
    const m = re.exec(err.serverMessage || '');
    if (m) return { field: err.field, text: say(m, label) };
  }
  return { field: err.field, text: label ? `请检查“${label}”的填写` : '填写有误，请检查后重试' };
}
