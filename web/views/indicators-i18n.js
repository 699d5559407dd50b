// Strings of the performance-indicator view (绩效指标, #/indicators) and
// its dashboard (数据看板), plus the period words shared with the
// printable report (report.html). zh-CN first, English second.
import { addMessages, t } from '../lib/i18n.js';

addMessages('zh-CN', {
  'nav.indicators': '绩效指标',
  'ind.title': '绩效指标',

  'ind.tab.table': '指标评分',
  'ind.tab.dashboard': '数据看板',

  'ind.period': '评价期间',
  'ind.periodRange': '{period}（{from} – {to}）',
  'ind.mode.year': '年度',
  'ind.mode.quarter': '季度',
  'ind.mode.custom': '自定义',
  'ind.year': '年份',
  'ind.quarter': '季度',
  'ind.from': '开始日期',
  'ind.to': '结束日期',
  'ind.apply': '查询',
  'ind.badRange': '请填写有效的开始和结束日期，结束日期不能早于开始日期',
  'ind.q1': '第一季度', 'ind.q2': '第二季度', 'ind.q3': '第三季度', 'ind.q4': '第四季度',

  'ind.exportCsv': '导出 CSV',
  'ind.exportXlsx': '导出 Excel',
  'ind.print': '打印报告',

  'ind.total': '总分',
  'ind.totalOf': '{score} / {max}',
  'ind.metCount': '达标指标',
  'ind.metOf': '{met} / {all} 项',
  'ind.noDataCount': '暂无数据',
  'ind.noDataOf': '{n} 项',
  'ind.noDataHint': '缺少数据的指标按 0 分计入总分',

  'ind.col.level1': '一级指标',
  'ind.col.level2': '二级指标',
  'ind.col.level3': '三级指标',
  'ind.col.target': '年度指标值',
  'ind.col.actual': '实际完成值',
  'ind.col.weight': '分值',
  'ind.col.score': '得分',
  'ind.col.met': '达标',
  'ind.col.rule': '评分规则',
  'ind.sum': '合计',
  'ind.noData': '暂无数据',
  'ind.met': '已达标',
  'ind.notMet': '未达标',
  'ind.manual': '手动填报',
  'ind.manualBy': '{user} 于 {at} 填报',
  'ind.clickToEdit': '点击指标可填报本期数值或调整目标、分值与评分规则',
  'ind.edit': '编辑',
  'ind.empty': '没有指标',

  'ind.rule.ratio': '按完成比例',
  'ind.rule.tiered': '分档评分',
  'ind.rule.satisfaction_deduct': '满意度扣分',
  'ind.rule.satisfaction_tiers': '满意度分档',
  'ind.ruleHint.ratio': '得分 = 实际 ÷ 目标 × 分值，最多得满分；目标为 0 时得满分',
  'ind.ruleHint.tiered': '评定 ≥ 80% 得满分，60%–80% 得五分之三，低于 60% 不得分',
  'ind.ruleHint.satisfaction_deduct': '≥ 90% 得满分；每低 1 个百分点扣 0.2 分；低于 50% 不得分',
  'ind.ruleHint.satisfaction_tiers': '≥ 90% 得满分，80%–90% 得十分之八，60%–80% 得一半，低于 60% 不得分',

  'ind.source.trainings_held': '由活动记录计算：本期已开展的培训场次',
  'ind.source.training_pass_rate': '由活动记录计算：本期培训考核合格人数 ÷ 考核人数',
  'ind.source.training_on_time_rate': '由活动记录计算：按原定日期开展的培训 ÷ 已开展的培训',
  'ind.source.satisfaction_rate': '由问卷计算：“满意”与“非常满意”的回答 ÷ 全部回答',
  'ind.source.manual': '由协调员按期填报',
  'ind.source.computed': '由系统记录计算：{name}',

  'ind.dialog.title': '{name}',
  'ind.dialog.levels': '一级 / 二级指标',
  'ind.dialog.value': '本期实际完成值',
  'ind.dialog.valueHint': '只对 {period} 生效；保存后记录填报人和时间。',
  'ind.dialog.valuePercent': '实际完成值（%）',
  'ind.dialog.valueRating': '评定（0–100%）',
  'ind.dialog.valueCount': '实际完成值',
  'ind.dialog.note': '说明（可选）',
  'ind.dialog.notePlaceholder': '数据来源、计算口径等',
  'ind.dialog.saveValue': '保存本期数值',
  'ind.dialog.computed': '本指标由系统记录自动计算，无需手动填报。',
  'ind.dialog.inline': '本指标在表格中直接勾选评价要点或填写得分。',
  'ind.entryHint': '本期的实际完成值、评定、得分、评价要点勾选和扣分说明在表格中直接填报，改动即保存；点击指标名称可调整目标、分值与评分规则',
  'ind.editHint': '点击指标名称或“编辑”修改指标的层级、分值、目标、评分方法、数据来源和评价要点',
  'ind.dialog.settings': '目标、分值与评分规则',
  'ind.dialog.scope': '适用范围',
  'ind.dialog.scopeFramework': '整个指标体系（所有期间）',
  'ind.dialog.scopePeriod': '仅本期（{period}）',
  'ind.dialog.target': '年度指标值',
  'ind.dialog.targetHint': '例如 >=2、=100%、>=90%、100%有效',
  'ind.dialog.weight': '分值（0–100）',
  'ind.dialog.rule': '评分规则',
  'ind.dialog.saveSettings': '保存设置',
  'ind.error.value': '请输入有效的数值',
  'ind.error.target': '目标格式不正确，例如 >=2、=100%、>=90%',
  'ind.error.weight': '分值须为 0 到 100 之间的数',
  'ind.error.rule': '请选择评分规则',
  'ind.error.note': '说明过长',
  'ind.savedValue': '已保存“{name}”本期数值',
  'ind.savedSettings': '已保存“{name}”的设置',

  // the evaluation frameworks (评价框架) and their rows
  'ind.col.points': '评价要点',
  'ind.col.note': '扣分说明',
  'ind.col.previous': '同比',
  'ind.previousOf': '上年 {score}',
  'ind.previousNone': '上年无',
  'ind.fw.label': '指标框架',
  'ind.fw.none': '还没有指标框架',
  'ind.fw.period': '{from} 至 {to}',
  'ind.fw.weights': '{rows} 项，合计 {sum} 分',
  'ind.fw.edit': '编辑指标',
  'ind.fw.editDone': '完成编辑',
  'ind.fw.import': '导入 CSV',
  'ind.fw.copy': '复制为下一年度',
  'ind.fw.new': '新建框架',
  'ind.fw.rename': '名称与期间',
  'ind.fw.delete': '删除框架',
  'ind.fw.deleteConfirm': '删除指标框架“{name}”及其全部指标和各期填报？此操作不能撤销。',
  'ind.fw.deleted': '已删除指标框架“{name}”',
  'ind.fw.name': '框架名称',
  'ind.fw.from': '评价期间开始',
  'ind.fw.to': '评价期间结束',
  'ind.fw.copyFrom': '复制指标自',
  'ind.fw.copyNone': '不复制（空框架）',
  'ind.fw.file': 'CSV 文件',
  'ind.fw.fileHint': '表头：level1,level2,level3,weight,target,rule,source,checklist；评价要点以 | 分隔，每项“内容=分值”，扣分项分值为负数',
  'ind.fw.save': '保存',
  'ind.fw.create': '创建',
  'ind.fw.doImport': '导入',
  'ind.fw.imported': '已导入 {rows} 项指标，合计 {sum} 分',
  'ind.fw.created': '已创建指标框架“{name}”',
  'ind.fw.saved': '已保存指标框架“{name}”',
  'ind.fw.importError': '第 {line} 行 {field}：{message}',
  'ind.fw.errorCount': '共 {n} 处问题，未导入任何内容',
  'ind.fw.nextYearName': '{name}（{year} 年度）',
  'ind.fw.error.name': '请填写框架名称（1–100 字）',
  'ind.fw.error.to': '结束日期不能早于开始日期',
  'ind.fw.error.file': '请选择 CSV 文件',

  'ind.row.add': '添加指标',
  'ind.row.editTitle': '编辑指标“{name}”',
  'ind.row.addTitle': '添加指标',
  'ind.row.retire': '停用此指标',
  'ind.row.retireConfirm': '从本框架中停用“{name}”？其他年度的框架和已填报的往期数据不受影响。',
  'ind.row.retired': '已停用“{name}”',
  'ind.row.saved': '已保存“{name}”',
  'ind.row.added': '已添加“{name}”',
  'ind.row.level1': '一级指标',
  'ind.row.level2': '二级指标',
  'ind.row.level3': '三级指标（名称）',
  'ind.row.weight': '分值',
  'ind.row.target': '年度指标值',
  'ind.row.targetNone': '不设',
  'ind.row.targetPreview': '报表中显示为：{text}',
  'ind.row.targetUnit.count': '个 / 次',
  'ind.row.targetUnit.percent': '%',
  'ind.row.targetUnit.rating': '% 有效（评定）',
  'ind.row.rule': '评分方法',
  'ind.row.source': '实际完成值来自',
  'ind.row.sourceEvents': '活动场次（按类别、对象、驻点筛选）',
  'ind.row.anyKind': '全部类别',
  'ind.row.anyAudience': '全部对象',
  'ind.row.anyStation': '全部驻点',
  'ind.row.bands': '分档',
  'ind.row.bandAt': '达到（含）',
  'ind.row.bandShare': '得分值的 %',
  'ind.row.bandAdd': '添加一档',
  'ind.row.bandRemove': '删除这一档',
  'ind.row.bandsHint': '从高到低检查；低于最后一档不得分',
  'ind.row.deductFull': '满分线（达到即满分）',
  'ind.row.deductStep': '每低 1 分扣',
  'ind.row.deductFloor': '低于此线不得分',
  'ind.row.points': '评价要点',
  'ind.row.pointText': '要点内容',
  'ind.row.pointPoints': '分值',
  'ind.row.pointPenalty': '扣分项',
  'ind.row.pointAdd': '添加评价要点',
  'ind.row.pointRemove': '删除',
  'ind.row.pointsHint': '勾选符合的要点即得其分值；扣分项在问题发生时勾选，扣去其分值；合计在 0 到分值之间',
  'ind.row.pointsSum': '要点合计 {sum} 分（分值 {weight} 分）',
  'ind.row.error.level': '请填写指标名称',
  'ind.row.error.weight': '分值为 0 到 100 之间的数',
  'ind.row.error.target': '请填写年度指标值（数字）',
  'ind.row.error.bands': '每档填写门槛和 0–100 的得分比例，门槛从高到低',
  'ind.row.error.deduct': '请填写满分线、扣分和最低线，最低线不高于满分线',
  'ind.row.error.points': '请至少添加一项评价要点，每项填写内容和非零分值',

  'ind.choice.ratio': '比例：实际 ÷ 目标 × 分值（最多满分）',
  'ind.choice.inverse': '越低越好：不超过目标得满分，超出按比例减少',
  'ind.choice.zero': '零容忍：没有发生得满分，发生即不得分',
  'ind.choice.bands': '分档：达到某一档得分值的一定比例',
  'ind.choice.deduct': '扣分：达到满分线得满分，每低 1 分扣若干分',
  'ind.choice.checklist': '评价要点清单：按勾选的要点计分',
  'ind.choice.manual': '手工评分：由协调员直接给分',
  'ind.ruleText.ratio': '比例',
  'ind.ruleText.inverse': '越低越好',
  'ind.ruleText.zero': '零容忍',
  'ind.ruleText.bands': '分档 {bands}',
  'ind.ruleText.deduct': '≥{full} 满分，每低 1 分扣 {step} 分，<{floor} 不得分',
  'ind.ruleText.checklist': '评价要点清单',
  'ind.ruleText.manual': '手工评分',

  'ind.entry.value': '本期实际完成值',
  'ind.entry.rating': '本期评定（%）',
  'ind.entry.score': '本期得分',
  'ind.entry.note': '扣分说明',
  'ind.entry.notePlaceholder': '扣分原因，打印在报告中',
  'ind.entry.mark': '符合',
  'ind.entry.markPenalty': '发生',
  'ind.entry.saved': '已保存',
  'ind.entry.error': '保存失败：{message}',
  'ind.entry.bad': '请输入 0 到 {max} 之间的数',

  'ind.charts': '各一级指标得分',
  'ind.chartHint': '浅色为分值，深色为本期得分',
  'ind.chartGroup': '{name}：{score} / {max} 分',

  'dash.activities': '已开展活动',
  'dash.registered': '报名人数',
  'dash.attended': '签到人数',
  'dash.attendanceRate': '到场率',
  'dash.satisfaction': '满意度',
  'dash.dutyHours': '值班时长',
  'dash.unitPeople': '人',
  'dash.unitHours': '小时',
  'dash.unitSessions': '场',
  'dash.planned': '另有 {n} 场尚未开展',
  'dash.byMonth': '每月开展活动',
  'dash.byMonthHint': '已开展的活动，按类别堆叠',
  'dash.satTrend': '满意度趋势',
  'dash.satTrendHint': '每月“满意”与“非常满意”的占比；虚线为 90% 目标',
  'dash.satTarget': '目标 90%',
  'dash.satSeries': '满意度',
  'dash.answers': '回答 {n} 份',
  'dash.scores': '各指标得分',
  'dash.scoresHint': '浅色为分值（满分），深色为本期得分',
  'dash.scoreSeries': '得分',
  'dash.weightSeries': '分值',
  'dash.coverage': '驻点排班覆盖率',
  'dash.coverageHint': '已安排 ÷ 需要的值班人次',
  'dash.coverageSeries': '覆盖率',
  'dash.byStation': '各驻点开展活动',
  'dash.byAudience': '服务对象',
  'dash.byAudienceHint': '已开展活动的服务对象',
  'dash.noData': '本期暂无数据',
  'dash.noSurvey': '本期暂无问卷回答',
  'dash.noCoverage': '本期没有排班需求，改为显示各驻点已开展的活动',
  'dash.chartUnavailable': '图表组件未加载',
  'dash.districtWide': '全区',
});

addMessages('en', {
  'nav.indicators': 'Indicators',
  'ind.title': 'Performance indicators',

  'ind.tab.table': 'Scores',
  'ind.tab.dashboard': 'Dashboard',

  'ind.period': 'Period',
  'ind.periodRange': '{period} ({from} – {to})',
  'ind.mode.year': 'Year',
  'ind.mode.quarter': 'Quarter',
  'ind.mode.custom': 'Custom',
  'ind.year': 'Year',
  'ind.quarter': 'Quarter',
  'ind.from': 'From',
  'ind.to': 'To',
  'ind.apply': 'Show',
  'ind.badRange': 'Enter valid dates; the end may not be before the start',
  'ind.q1': 'Q1', 'ind.q2': 'Q2', 'ind.q3': 'Q3', 'ind.q4': 'Q4',

  'ind.exportCsv': 'Export CSV',
  'ind.exportXlsx': 'Export Excel',
  'ind.print': 'Print report',

  'ind.total': 'Total score',
  'ind.totalOf': '{score} / {max}',
  'ind.metCount': 'Targets met',
  'ind.metOf': '{met} of {all}',
  'ind.noDataCount': 'No data',
  'ind.noDataOf': '{n}',
  'ind.noDataHint': 'Indicators without data count as 0 in the total',

  'ind.col.level1': 'Level 1',
  'ind.col.level2': 'Level 2',
  'ind.col.level3': 'Indicator',
  'ind.col.target': 'Annual target',
  'ind.col.actual': 'Actual',
  'ind.col.weight': 'Weight',
  'ind.col.score': 'Score',
  'ind.col.met': 'Met',
  'ind.col.rule': 'Scoring rule',
  'ind.sum': 'Total',
  'ind.noData': 'No data',
  'ind.met': 'met',
  'ind.notMet': 'not met',
  'ind.manual': 'manual',
  'ind.manualBy': 'entered by {user} on {at}',
  'ind.clickToEdit': 'Click an indicator to enter this period’s value or to change its target, weight and scoring rule',
  'ind.edit': 'Edit',
  'ind.empty': 'No indicators',

  'ind.rule.ratio': 'Ratio',
  'ind.rule.tiered': 'Tiered rating',
  'ind.rule.satisfaction_deduct': 'Satisfaction, deductions',
  'ind.rule.satisfaction_tiers': 'Satisfaction, tiers',
  'ind.ruleHint.ratio': 'Score = actual ÷ target × weight, at most the weight; a target of 0 gives full points',
  'ind.ruleHint.tiered': 'A rating ≥ 80 % gives full points, 60–80 % three fifths, below 60 % nothing',
  'ind.ruleHint.satisfaction_deduct': '≥ 90 % full; 0.2 point off per whole point below 90; nothing below 50 %',
  'ind.ruleHint.satisfaction_tiers': '≥ 90 % full, 80–90 % 8/10, 60–80 % 5/10, below 60 % nothing',

  'ind.source.trainings_held': 'From the records: trainings held in the period',
  'ind.source.training_pass_rate': 'From the records: trainees passed ÷ trainees assessed',
  'ind.source.training_on_time_rate': 'From the records: trainings held on their planned day ÷ trainings held',
  'ind.source.satisfaction_rate': 'From the surveys: “satisfied” and “very satisfied” ÷ all answers',
  'ind.source.manual': 'Entered by a coordinator for each period',
  'ind.source.computed': 'From the records: {name}',

  'ind.dialog.title': '{name}',
  'ind.dialog.levels': 'Level 1 / 2',
  'ind.dialog.value': 'Actual for this period',
  'ind.dialog.valueHint': 'Applies to {period} only; who saved it and when are recorded.',
  'ind.dialog.valuePercent': 'Actual (%)',
  'ind.dialog.valueRating': 'Rating (0–100 %)',
  'ind.dialog.valueCount': 'Actual',
  'ind.dialog.note': 'Note (optional)',
  'ind.dialog.notePlaceholder': 'Source of the figure, how it was counted …',
  'ind.dialog.saveValue': 'Save value',
  'ind.dialog.computed': 'This indicator is computed from the records; nothing to enter.',
  'ind.dialog.inline': 'Tick the evaluation points or enter the score in the table.',
  'ind.entryHint': 'Enter this period’s actuals, ratings, scores, ticks and deduction notes in the table; each change is saved. Click a name to change its target, weight and rule',
  'ind.editHint': 'Click a name or “Edit” to change a row’s levels, weight, target, scoring, source and evaluation points',
  'ind.dialog.settings': 'Target, weight and rule',
  'ind.dialog.scope': 'Applies to',
  'ind.dialog.scopeFramework': 'The framework (every period)',
  'ind.dialog.scopePeriod': 'This period only ({period})',
  'ind.dialog.target': 'Annual target',
  'ind.dialog.targetHint': 'e.g. >=2, =100%, >=90%, 100%有效',
  'ind.dialog.weight': 'Weight (0–100)',
  'ind.dialog.rule': 'Scoring rule',
  'ind.dialog.saveSettings': 'Save settings',
  'ind.error.value': 'Enter a valid number',
  'ind.error.target': 'Write the target like >=2, =100% or >=90%',
  'ind.error.weight': 'The weight is a number from 0 to 100',
  'ind.error.rule': 'Choose a scoring rule',
  'ind.error.note': 'The note is too long',
  'ind.savedValue': 'Saved this period’s value of “{name}”',
  'ind.savedSettings': 'Saved the settings of “{name}”',

  'ind.col.points': 'Evaluation points',
  'ind.col.note': 'Deductions',
  'ind.col.previous': 'Year on year',
  'ind.previousOf': 'last year {score}',
  'ind.previousNone': 'none last year',
  'ind.fw.label': 'Framework',
  'ind.fw.none': 'No framework yet',
  'ind.fw.period': '{from} to {to}',
  'ind.fw.weights': '{rows} rows, {sum} points',
  'ind.fw.edit': 'Edit rows',
  'ind.fw.editDone': 'Done',
  'ind.fw.import': 'Import CSV',
  'ind.fw.copy': 'Copy for next year',
  'ind.fw.new': 'New framework',
  'ind.fw.rename': 'Name and period',
  'ind.fw.delete': 'Delete framework',
  'ind.fw.deleteConfirm': 'Delete the framework “{name}” with all its rows and entries? This cannot be undone.',
  'ind.fw.deleted': 'Deleted the framework “{name}”',
  'ind.fw.name': 'Name',
  'ind.fw.from': 'Period from',
  'ind.fw.to': 'Period to',
  'ind.fw.copyFrom': 'Copy the rows of',
  'ind.fw.copyNone': 'Nothing (an empty framework)',
  'ind.fw.file': 'CSV file',
  'ind.fw.fileHint': 'Header: level1,level2,level3,weight,target,rule,source,checklist; checklist items separated by |, each “text=points”, a penalty item with negative points',
  'ind.fw.save': 'Save',
  'ind.fw.create': 'Create',
  'ind.fw.doImport': 'Import',
  'ind.fw.imported': 'Imported {rows} rows, {sum} points',
  'ind.fw.created': 'Created the framework “{name}”',
  'ind.fw.saved': 'Saved the framework “{name}”',
  'ind.fw.importError': 'Line {line}, {field}: {message}',
  'ind.fw.errorCount': '{n} problem(s); nothing was imported',
  'ind.fw.nextYearName': '{name} ({year})',
  'ind.fw.error.name': 'Enter a name (1–100 characters)',
  'ind.fw.error.to': 'The end may not be before the start',
  'ind.fw.error.file': 'Choose a CSV file',

  'ind.row.add': 'Add a row',
  'ind.row.editTitle': 'Edit “{name}”',
  'ind.row.addTitle': 'Add a row',
  'ind.row.retire': 'Retire this row',
  'ind.row.retireConfirm': 'Retire “{name}” from this framework? Other years’ frameworks and past entries stay as they are.',
  'ind.row.retired': 'Retired “{name}”',
  'ind.row.saved': 'Saved “{name}”',
  'ind.row.added': 'Added “{name}”',
  'ind.row.level1': 'Level 1',
  'ind.row.level2': 'Level 2',
  'ind.row.level3': 'Indicator (level 3)',
  'ind.row.weight': 'Weight (points)',
  'ind.row.target': 'Annual target',
  'ind.row.targetNone': 'none',
  'ind.row.targetPreview': 'Printed as: {text}',
  'ind.row.targetUnit.count': 'count',
  'ind.row.targetUnit.percent': '%',
  'ind.row.targetUnit.rating': '% effective (rating)',
  'ind.row.rule': 'Scoring',
  'ind.row.source': 'The actual comes from',
  'ind.row.sourceEvents': 'Activities held (filtered by kind, audience, station)',
  'ind.row.anyKind': 'Any kind',
  'ind.row.anyAudience': 'Any audience',
  'ind.row.anyStation': 'Any station',
  'ind.row.bands': 'Bands',
  'ind.row.bandAt': 'At or above',
  'ind.row.bandShare': '% of the weight',
  'ind.row.bandAdd': 'Add a band',
  'ind.row.bandRemove': 'Remove this band',
  'ind.row.bandsHint': 'Checked from the top; below the last band nothing',
  'ind.row.deductFull': 'Full points at',
  'ind.row.deductStep': 'Points off per point below',
  'ind.row.deductFloor': 'Nothing under',
  'ind.row.points': 'Evaluation points',
  'ind.row.pointText': 'Point',
  'ind.row.pointPoints': 'Points',
  'ind.row.pointPenalty': 'Penalty',
  'ind.row.pointAdd': 'Add a point',
  'ind.row.pointRemove': 'Remove',
  'ind.row.pointsHint': 'A point met earns its points; a penalty item is ticked when the fault happened and takes its points off; the sum stays within 0 and the weight',
  'ind.row.pointsSum': 'Points sum to {sum} (weight {weight})',
  'ind.row.error.level': 'Enter the name',
  'ind.row.error.weight': 'A weight from 0 to 100',
  'ind.row.error.target': 'Enter the target (a number)',
  'ind.row.error.bands': 'Each band needs a threshold and a share of 0–100; thresholds from high to low',
  'ind.row.error.deduct': 'Enter full, step and floor; the floor not above full',
  'ind.row.error.points': 'Add at least one point, each with a text and non-zero points',

  'ind.choice.ratio': 'Ratio: actual ÷ target × weight (at most full)',
  'ind.choice.inverse': 'Lower is better: at or under the target full, above it less',
  'ind.choice.zero': 'Zero tolerance: none full, any nothing',
  'ind.choice.bands': 'Bands: a share of the weight per band reached',
  'ind.choice.deduct': 'Deductions: full at a line, points off per point below',
  'ind.choice.checklist': 'Checklist: the points of the items ticked',
  'ind.choice.manual': 'Manual: a coordinator gives the score',
  'ind.ruleText.ratio': 'ratio',
  'ind.ruleText.inverse': 'lower is better',
  'ind.ruleText.zero': 'zero tolerance',
  'ind.ruleText.bands': 'bands {bands}',
  'ind.ruleText.deduct': '≥{full} full, −{step} per point below, <{floor} nothing',
  'ind.ruleText.checklist': 'checklist',
  'ind.ruleText.manual': 'manual score',

  'ind.entry.value': 'Actual of this period',
  'ind.entry.rating': 'Rating of this period (%)',
  'ind.entry.score': 'Score of this period',
  'ind.entry.note': 'Deduction note',
  'ind.entry.notePlaceholder': 'Why points were taken off; printed in the report',
  'ind.entry.mark': 'met',
  'ind.entry.markPenalty': 'happened',
  'ind.entry.saved': 'Saved',
  'ind.entry.error': 'Not saved: {message}',
  'ind.entry.bad': 'Enter a number from 0 to {max}',

  'ind.charts': 'Scores by level-1 group',
  'ind.chartHint': 'Light: weight; dark: score of the period',
  'ind.chartGroup': '{name}: {score} / {max}',

  'dash.activities': 'Activities held',
  'dash.registered': 'Registered',
  'dash.attended': 'Checked in',
  'dash.attendanceRate': 'Attendance',
  'dash.satisfaction': 'Satisfaction',
  'dash.dutyHours': 'Duty hours',
  'dash.unitPeople': '',
  'dash.unitHours': 'h',
  'dash.unitSessions': '',
  'dash.planned': '{n} more not held yet',
  'dash.byMonth': 'Activities per month',
  'dash.byMonthHint': 'Held activities, stacked by kind',
  'dash.satTrend': 'Satisfaction trend',
  'dash.satTrendHint': 'Share of “satisfied” and “very satisfied” per month; the dashed line is the 90 % target',
  'dash.satTarget': 'Target 90 %',
  'dash.satSeries': 'Satisfaction',
  'dash.answers': '{n} answers',
  'dash.scores': 'Score per indicator',
  'dash.scoresHint': 'Light: the weight (full points); dark: the score of the period',
  'dash.scoreSeries': 'Score',
  'dash.weightSeries': 'Weight',
  'dash.coverage': 'Roster coverage by station',
  'dash.coverageHint': 'Assigned ÷ required duty slots',
  'dash.coverageSeries': 'Coverage',
  'dash.byStation': 'Activities by station',
  'dash.byAudience': 'Audience',
  'dash.byAudienceHint': 'Who the held activities were for',
  'dash.noData': 'No data for this period',
  'dash.noSurvey': 'No survey answers in this period',
  'dash.noCoverage': 'No duty required in this period: activities held per station instead',
  'dash.chartUnavailable': 'The chart library did not load',
  'dash.districtWide': 'District-wide',
});

/* ------------------------------------------------------------- periods */

const pad2 = (n) => String(n).padStart(2, '0');
const QZH = ['', '一', '二', '三', '四'];
export const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

export function validDate(s) {
  if (!DATE_RE.test(s || '')) return false;
  const [y, m, d] = s.split('-').map(Number);
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

export function lastDay(y, m) {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

export function yearRange(y) {
  return { from: `${y}-01-01`, to: `${y}-12-31` };
}

export function quarterRange(y, q) {
  const m1 = (q - 1) * 3 + 1;
  return { from: `${y}-${pad2(m1)}-01`, to: `${y}-${pad2(m1 + 2)}-${lastDay(y, m1 + 2)}` };
}

// What a from–to range is: {kind: 'year'|'half'|'quarter'|'month'|'custom', y, q?, h?, m?}
export function periodKind(from, to) {
  if (!validDate(from) || !validDate(to)) return { kind: 'custom' };
  const [y1, m1, d1] = from.split('-').map(Number);
  const [y2, m2, d2] = to.split('-').map(Number);
  if (y1 !== y2 || d1 !== 1 || d2 !== lastDay(y2, m2)) return { kind: 'custom' };
  if (m1 === 1 && m2 === 12) return { kind: 'year', y: y1 };
  if ((m1 === 1 && m2 === 6) || (m1 === 7 && m2 === 12)) return { kind: 'half', y: y1, h: m1 === 1 ? 1 : 2 };
  if ((m1 - 1) % 3 === 0 && m2 === m1 + 2) return { kind: 'quarter', y: y1, q: (m1 - 1) / 3 + 1 };
  if (m1 === m2) return { kind: 'month', y: y1, m: m1 };
  return { kind: 'custom' };
}

function zhDate(s) {
  const [y, m, d] = s.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

// The period in words, as the reports name it: 2026年度, 2026年第三季度,
// 2022年下半年, 2026年3月, 2026年3月5日至2026年6月30日.
export function periodWordsZh(from, to) {
  const p = periodKind(from, to);
  switch (p.kind) {
    case 'year': return `${p.y}年度`;
    case 'half': return `${p.y}年${p.h === 1 ? '上' : '下'}半年`;
    case 'quarter': return `${p.y}年第${QZH[p.q]}季度`;
    case 'month': return `${p.y}年${p.m}月`;
    default: return validDate(from) && validDate(to) ? `${zhDate(from)}至${zhDate(to)}` : `${from}–${to}`;
  }
}

const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

export function periodWordsEn(from, to) {
  const p = periodKind(from, to);
  switch (p.kind) {
    case 'year': return `${p.y}`;
    case 'half': return `${p.h === 1 ? 'First' : 'Second'} half of ${p.y}`;
    case 'quarter': return `Q${p.q} ${p.y}`;
    case 'month': return `${MONTHS_EN[p.m - 1]} ${p.y}`;
    default: return `${from} – ${to}`;
  }
}

export function periodWords(from, to, lang) {
  return lang === 'en' ? periodWordsEn(from, to) : periodWordsZh(from, to);
}

export const RULES = ['ratio', 'tiered', 'satisfaction_deduct', 'satisfaction_tiers'];
export const ruleLabel = (r) => (RULES.includes(r) ? t(`ind.rule.${r}`) : r || '');

/* ------------------------------------------------------------- numbers */

// 41.2 → "41.2", 45.666 → "45.67", 5 → "5"
export function fmtNum(v, digits = 2) {
  if (typeof v !== 'number' || !Number.isFinite(v)) return '';
  const f = 10 ** digits;
  return String(Math.round(v * f) / f);
}

// An indicator's actual as shown in the tables: "3", "80%", "66.67%".
export function fmtActual(item) {
  if (!item || item.no_data || item.actual === null || item.actual === undefined) return null;
  if (item.unit === 'percent' || item.unit === 'rating') return `${fmtNum(item.actual)}%`;
  return fmtNum(item.actual);
}
