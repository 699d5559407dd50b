// Strings of the participant pages in common (public.js: frame, event
// head, times, errors). zh-CN first, English second.
import { addMessages } from './lib/i18n.js';

addMessages('zh-CN', {
  'site.name': '心访工作室',
  'site.footer': '您的信息仅用于本次活动，活动结束后按规定删除。',
  'lang.label': '语言',
  'loading': '正在加载…',
  'retry': '重试',
  'kind.lecture': '讲座', 'kind.salon': '沙龙', 'kind.training': '培训',
  'kind.group': '团体辅导', 'kind.activity': '活动',
  'weekday': '周日,周一,周二,周三,周四,周五,周六',
  'field.time': '时间', 'field.place': '地点', 'field.spots': '名额',
  'error.network': '网络连接失败，请检查网络后重试。',
  'error.server': '系统暂时无法处理，请稍后再试。',
  'error.rate': '提交过于频繁，请稍后再试。',
  'error.notFound': '未找到对应的页面，请核对链接是否完整。',
  'status.cancelled': '本活动已取消',
  'form.err.other': '提交未成功，请检查填写内容后重试。',
  'form.err.closed': '本活动报名已关闭。',
});

addMessages('en', {
  'site.name': 'Counselling Studio',
  'site.footer': 'Your details are used only for this activity and deleted after it, as the rules require.',
  'lang.label': 'Language',
  'loading': 'Loading…',
  'retry': 'Try again',
  'kind.lecture': 'Lecture', 'kind.salon': 'Salon', 'kind.training': 'Training',
  'kind.group': 'Group session', 'kind.activity': 'Activity',
  'weekday': 'Sun,Mon,Tue,Wed,Thu,Fri,Sat',
  'field.time': 'Time', 'field.place': 'Place', 'field.spots': 'Places',
  'error.network': 'Could not connect. Please check your network and try again.',
  'error.server': 'The system cannot handle this right now. Please try again later.',
  'error.rate': 'Too many attempts. Please try again later.',
  'error.notFound': 'Page not found. Please check that the link is complete.',
  'status.cancelled': 'This activity has been cancelled',
  'form.err.other': 'That did not work. Please check your details and try again.',
  'form.err.closed': 'Registration for this activity is closed.',
});
