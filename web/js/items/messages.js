// items/messages.js - the API's refusals said in Chinese for the ledger forms.
// The API names the field (`field`) and explains in English; here the common
// explanations become a Chinese sentence that names the field by its label,
// and anything not recognised keeps the API's own words after a Chinese lead.

import { fmtDate } from '../ui.js';

/* Labels of the item's core fields and of the action requests. */
export const CORE_LABELS = {
  title: '标题',
  description: '事项描述',
  source: '来源',
  lead_unit_id: '牵头单位',
  co_unit_ids: '配合单位',
  leader: '责任领导',
  deadline: '办结时限',
  original_deadline: '原定时限',
  location: '位置',
  links: '关联事项',
  comment: '意见',
  progress: '进度',
  attachments: '佐证材料',
  report_every_days: '报告周期',
  action: '操作',
  version: '版本',
};

/*
 * Turns an ApiError into {field, text} for showError. label(field) gives the
 * Chinese name of a field in this form (defaults: CORE_LABELS). item (optional)
 * lets deadline messages name the current deadline.
 */
export function explain(err, { label, item } = {}) {
  const field = err.field || null;
  const msg = err.serverMessage || '';
  const name = (field && label && label(field)) || CORE_LABELS[field] || field || '';
  let text = null;
  if (err.code === 'validation_failed') text = validationText(field, name, msg, item);
  else if (err.code === 'invalid_transition') text = '该事项当前的状态不允许此操作，请刷新后查看最新状态';
  else if (err.code === 'forbidden') text = '您没有进行此操作的权限';
  else if (err.code === 'version_conflict') text = '该事项刚被他人修改，已为您载入最新内容；您填写的内容已保留，请核对后再次提交';
  return { field, text: text || err.text || String(err.message || err) };
}

function validationText(field, name, msg, item) {
  if (/needs a lead unit/.test(msg)) return '请先选择牵头单位';
  if (/needs a deadline/.test(msg)) return '请先填写办结时限';
  if (/needs a new 'deadline'/.test(msg)) return '请填写新的办结时限';
  if (/deadline has passed/.test(msg)) return '已超过办结时限，不能再申请延期';
  if (/must be later than the current deadline/.test(msg)) {
    return `新的时限须晚于当前办结时限${item?.deadline ? `（${fmtDate(item.deadline)}）` : ''}`;
  }
  if (/may not be earlier than the requested/.test(msg)) {
    return `批准的时限不得早于申请的时限${item?.extension ? `（${fmtDate(item.extension.deadline)}）` : ''}`;
  }
  if (/needs a 'comment'/.test(msg)) return `请填写${name || '意见'}`;
  if (/needs progress 100/.test(msg)) return '进度须达到 100% 才能申请销号，请先报送进展';
  if (/needs at least one attachment/.test(msg)) return '申请销号前须至少上传一份佐证材料';
  if (/report_every_days/.test(msg)) return '请填写报告周期（天数，正整数）';
  if (/is required before/.test(msg)) return `重大隐患签收前须先由督查室补全五到位方案：${name}`;
  if (/'progress' must be 0 to 100/.test(msg)) return '进度须为 0 到 100 之间的整数';
  if (/January is reported with February/.test(msg)) return '1月数据与2月合并报送（1—2月），请选择 2 月';
  if (/a period needs 'value' or 'yoy'/.test(msg)) return '请填写本年累计值或累计增速';
  if (/a period is a month/.test(msg)) return '请选择月份';
  if (/is required/.test(msg)) return `${name}为必填项`;
  if (/must not be empty/.test(msg)) return `${name}不能为空`;
  if (/existing date|must be a date/.test(msg)) return `${name}须为有效日期`;
  if (/must be a (number|whole number|decimal)/.test(msg)) return `${name}须为数字`;
  if (/must be an integer|whole number/.test(msg)) return `${name}须为整数`;
  if (/outside China/.test(msg)) return '位置不在中国境内，请检查经纬度';
  if (/not found/.test(msg) && field === 'lead_unit_id') return '牵头单位不存在';
  // anything else: the API's words only when they are Chinese (its English is for developers)
  const detail = /[\u4e00-\u9fff]/.test(msg) && !/[A-Za-z]{3,}/.test(msg) ? `：${msg}` : '，请检查后重试';
  return name ? `${name}填写有误${detail}` : `填写有误${detail}`;
}
