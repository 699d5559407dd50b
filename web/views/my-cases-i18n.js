// Strings of the counsellor's cases and follow-ups in 我的排班
// (views/my-cases.js). zh-CN first, English second.
import { addMessages } from '../lib/i18n.js';

addMessages('zh-CN', {
  'mycases.title': '我的重点个案',
  'mycases.hint': '只显示您参与的个案',
  'mycases.empty': '您目前没有参与的重点个案',
  'mycases.followUps': '我的回访',
  'mycases.followUpsHint': '也会出现在您订阅的日历中',
  'mycases.noFollowUps': '没有待办回访',
  'mycases.sessionTitle': '记录咨询 · {label}',
  'mycases.saved': '已记录咨询',
  'mycases.followUpTitle': '回访 {label}',
});

addMessages('en', {
  'mycases.title': 'My key cases',
  'mycases.hint': 'Only the cases you are on',
  'mycases.empty': 'You are on no key case',
  'mycases.followUps': 'My follow-ups',
  'mycases.followUpsHint': 'Also in your subscribed calendar',
  'mycases.noFollowUps': 'No follow-ups to do',
  'mycases.sessionTitle': 'Add session · {label}',
  'mycases.saved': 'Session recorded',
  'mycases.followUpTitle': 'Follow-up {label}',
});
