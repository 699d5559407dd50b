// Strings of the event page and its registration form (/e/{id}, event.js).
// zh-CN first, English second.
import { addMessages } from './lib/i18n.js';

addMessages('zh-CN', {
  'spots.left': '剩余 {n} 个名额',
  'spots.full': '名额已满（可候补）',
  'spots.unlimited': '不限名额',
  'status.cancelledText': '给您带来不便，敬请谅解。如有疑问，请联系工作人员。',
  'status.held': '本活动已结束',
  'status.ended': '本活动已结束，报名已关闭',
  'status.endedText': '感谢您的关注，欢迎参加以后的活动。',
  'event.notFound': '未找到该活动',
  'event.notFoundText': '活动可能尚未公开或链接有误，请联系工作人员。',
  'form.title': '报名参加',
  'form.name': '姓名', 'form.phone': '手机', 'form.email': '邮箱', 'form.organisation': '单位',
  'form.required': '必填', 'form.optional': '选填',
  'form.note': '手机、邮箱、单位均为选填，仅用于本次活动的联系，不作他用。',
  'form.submit': '提交报名', 'form.waitlist': '登记候补',
  'form.submitting': '正在提交…',
  'form.err.name': '请填写姓名（不超过 50 个字）',
  'form.err.email': '请填写正确的邮箱地址',
  'form.err.phone': '请填写正确的手机号码（不超过 32 位）',
  'form.err.organisation': '单位名称不超过 100 个字',
});

addMessages('en', {
  'spots.left': '{n} places left',
  'spots.full': 'Fully booked (waiting list open)',
  'spots.unlimited': 'No limit',
  'status.cancelledText': 'We apologise for the inconvenience. Please ask the staff if you have questions.',
  'status.held': 'This activity has taken place',
  'status.ended': 'This activity is over; registration is closed',
  'status.endedText': 'Thank you for your interest. You are welcome at future activities.',
  'event.notFound': 'Activity not found',
  'event.notFoundText': 'It may not be public yet, or the link is wrong. Please ask the staff.',
  'form.title': 'Register',
  'form.name': 'Name', 'form.phone': 'Mobile', 'form.email': 'E-mail', 'form.organisation': 'Organisation',
  'form.required': 'required', 'form.optional': 'optional',
  'form.note': 'Mobile, e-mail and organisation are optional and only used to contact you about this activity.',
  'form.submit': 'Register', 'form.waitlist': 'Join the waiting list',
  'form.submitting': 'Sending…',
  'form.err.name': 'Please enter your name (at most 50 characters)',
  'form.err.email': 'Please enter a valid e-mail address',
  'form.err.phone': 'Please enter a valid phone number (at most 32 characters)',
  'form.err.organisation': 'At most 100 characters',
});
