// tools/form_error.js - an API error on a tool page's form, in Chinese, next to
// the field it concerns: a field may be a single input (name=field) or a group
// (an element with data-field=field, e.g. the role checkboxes); otherwise the
// message goes to the top of the form. What the user typed is kept.

import { h, showError, clearErrors } from '../ui.js';
import { zh } from './messages.js';

export function formError(form, err) {
  const e = err && err.text && !err.code ? err : zh(err);
  const group = e.field ? form.querySelector(`[data-field="${CSS.escape(e.field)}"]`) : null;
  if (!group) return showError(form, e);
  clearErrors(form);
  group.setAttribute('aria-invalid', 'true');
  group.append(h('p', { class: 'field-error', role: 'alert' }, e.text));
  group.querySelector('input, select, textarea')?.focus();
  return undefined;
}

export { clearErrors };
