// Strings of the check-in page (/c/{token}, checkin.js). zh-CN first, English second.
import { addMessages } from './lib/i18n.js';

addMessages('zh-CN', {
  'ci.title': '现场签到',
  'ci.login': '请先登录工作人员账号',
  'ci.loginText': '签到需由工作人员操作。登录后将自动返回本页。',
  'ci.loginLink': '登录控制台',
  'ci.working': '正在签到…',
  'ci.ok': '签到成功：{name}',
  'ci.already': '已签到过：{name}',
  'ci.alreadyText': '此人此前已签到，无需重复签到。',
  'ci.at': '签到时间 {time}',
  'ci.event': '活动：{title}',
  'ci.forbidden': '当前账号无权签到，请使用协调员账号登录。',
  'ci.notFound': '无效的签到码',
  'ci.notFoundText': '未找到对应的报名，请核对二维码。',
  'ci.conflict': '无法签到：{message}',
  'ci.undo': '撤销本次签到',
  'ci.undone': '已撤销签到',
  'ci.again': '重新签到',
  'ci.next': '请扫描下一位参加者的二维码。',
});

addMessages('en', {
  'ci.title': 'Check-in',
  'ci.login': 'Please sign in as staff first',
  'ci.loginText': 'Check-in is done by staff. After signing in you come back here.',
  'ci.loginLink': 'Sign in to the console',
  'ci.working': 'Checking in…',
  'ci.ok': 'Checked in: {name}',
  'ci.already': 'Already checked in: {name}',
  'ci.alreadyText': 'This person was checked in before; nothing more to do.',
  'ci.at': 'Checked in at {time}',
  'ci.event': 'Activity: {title}',
  'ci.forbidden': 'This account may not check people in. Please sign in as a coordinator.',
  'ci.notFound': 'Invalid check-in code',
  'ci.notFoundText': 'No registration matches this QR code.',
  'ci.conflict': 'Cannot check in: {message}',
  'ci.undo': 'Undo this check-in',
  'ci.undone': 'Check-in undone',
  'ci.again': 'Check in again',
  'ci.next': 'Scan the next participant’s QR code.',
});
