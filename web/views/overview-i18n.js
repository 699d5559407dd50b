// Strings of the overview (views/overview.js). zh-CN first, English second.
import { addMessages } from '../lib/i18n.js';

addMessages('zh-CN', {
  'nav.overview': '总览',

  'overview.title': '总览',
  'overview.activeStations': '启用驻点',
  'overview.activeCounsellors': '启用咨询师',
  'overview.unit.stations': '个',
  'overview.unit.counsellors': '人',
  'overview.chartTitle': '各驻点咨询师人数',
  'overview.chartHint': '按常驻驻点统计启用状态的咨询师',
  'overview.chartSeries': '咨询师人数',
  'overview.unassigned': '未指定驻点',
  'overview.chartUnavailable': '图表库未加载，无法显示图表',
  'overview.manageStations': '管理驻点',
  'overview.manageCounsellors': '管理咨询师',
});

addMessages('en', {
  'nav.overview': 'Overview',

  'overview.title': 'Overview',
  'overview.activeStations': 'Active stations',
  'overview.activeCounsellors': 'Active counsellors',
  'overview.unit.stations': '',
  'overview.unit.counsellors': '',
  'overview.chartTitle': 'Counsellors per station',
  'overview.chartHint': 'Active counsellors by home station',
  'overview.chartSeries': 'Counsellors',
  'overview.unassigned': 'No home station',
  'overview.chartUnavailable': 'The chart library did not load',
  'overview.manageStations': 'Manage stations',
  'overview.manageCounsellors': 'Manage counsellors',
});
