// i18n: the two dictionaries (zh-CN, the default, and en) and the helpers every page uses.
// Every UI string goes through t(); static markup carries data-i18n="key" (text) or
// data-i18n-attr="attr:key,attr:key" (attributes) and is filled by applyI18n().
// The choice is kept in localStorage; <html lang> follows it. Data (street and community names)
// stays as it is in the database.

const STORAGE_KEY = 'gridctl.lang';
export const LANGS = ['zh-CN', 'en'];

const DICT = {
  'zh-CN': {
    'app.title': '海珠区网格化管理指挥中心',
    'app.subtitle': '城市网格化管理 · 一张图',
    'app.loading': '正在加载…',
    'lang.switch': '语言',
    'error.network': '无法连接服务器，请检查网络后重试',
    'error.generic': '请求失败（{status}）：{message}',
    'error.forbidden': '当前角色无权查看：{message}',

    'login.heading': '用户登录',
    'login.username': '用户名',
    'login.password': '密码',
    'login.submit': '登 录',
    'login.submitting': '正在登录…',
    'login.failed': '用户名或密码错误',
    'login.missing': '请输入用户名和密码',
    'login.footer': '海珠区城市网格化管理 · 仅限授权人员使用',

    'header.signOut': '退出',
    'header.role.admin': '系统管理员',
    'header.role.command': '指挥中心',
    'header.role.dispatcher': '调度员',
    'header.role.worker': '网格员',
    'header.role.officer': '数据管理员',
    'header.role.peer': '对接平台',

    'kpi.streets': '街道',
    'kpi.communities': '社区',
    'kpi.grids': '单元网格',
    'kpi.houses': '房屋',
    'kpi.persons': '人口',
    'kpi.enterprises': '企业',
    'unit.streets': '个',
    'unit.communities': '个',
    'unit.grids': '个',
    'unit.houses': '栋/套',
    'unit.persons': '人',
    'unit.enterprises': '家',

    'streets.title': '街道概况',
    'streets.name': '街道',
    'streets.empty': '无街道数据',
    'streets.hint': '点击街道定位',
    'communities.title': '社区概况',
    'communities.name': '社区',
    'communities.empty': '无社区数据',
    'communities.hint': '点击社区定位',
    'list.grids': '网格',
    'list.persons': '人口',
    'list.houses': '房屋',
    'list.enterprises': '企业',

    'metric.title': '网格指标',
    'metric.density': '人口密度',
    'metric.persons': '人口',
    'metric.houses': '房屋',
    'metric.enterprises': '企业',
    'metric.unit.density': '人/km²',
    'metric.unit.persons': '人',
    'metric.unit.houses': '栋/套',
    'metric.unit.enterprises': '家',
    'legend.title.density': '人口密度（人/km²，分位数分级）',
    'legend.title.persons': '每网格人口（人，分位数分级）',
    'legend.title.houses': '每网格房屋（栋/套，分位数分级）',
    'legend.title.enterprises': '每网格企业（家，分位数分级）',
    'legend.noData': '无数据',

    'map.gridsEmpty': '当前范围内没有网格',
    'map.reset': '全区',
    'map.zoomIn': '放大',
    'map.zoomOut': '缩小',

    'grid.title': '网格详情',
    'grid.close': '关闭',
    'grid.code': '网格编码',
    'grid.name': '网格名称',
    'grid.community': '所属社区',
    'grid.street': '所属街道',
    'grid.area': '面积',
    'grid.houses': '房屋',
    'grid.persons': '人口',
    'grid.enterprises': '企业',
    'grid.density': '人口密度',
    'grid.workers': '网格员',
    'grid.noWorkers': '暂无在岗网格员',
    'grid.loading': '正在加载网格详情…',
    'grid.duty.primary': '责任网格员',
    'grid.duty.assist': '协助网格员',
    'grid.phoneMasked': '号码已脱敏',

    'header.imports': '数据导入',
    'header.backToMap': '返回一张图',

    'imports.pageTitle': '数据导入 · 海珠区网格化管理指挥中心',
    'imports.title': '数据导入',
    'imports.loading': '正在加载…',
    'imports.denied.title': '无权限',
    'imports.denied.text': '当前角色无权使用数据导入。如需导入房屋、人口或企业数据，请联系系统管理员开通“数据导入”权限。',
    'imports.form.title': '导入文件',
    'imports.form.hint': '暂存 → 校验 → 合并入库',
    'imports.form.dataset': '数据集',
    'imports.form.file': '文件',
    'imports.form.fileEmpty': '点击选择或拖入文件',
    'imports.form.formats': '支持 CSV、Excel (.xlsx)、GeoJSON、GeoPackage (.gpkg)、Shapefile（打包为 .zip）、FlatGeobuf (.fgb)；单个文件不超过 200 MB',
    'imports.form.encoding': '文字编码',
    'imports.form.crs': '坐标系（文件未声明时）',
    'imports.form.maxErrors': '最大错误数',
    'imports.form.maxErrorsPlaceholder': '不限；如 100 或 5%',
    'imports.form.dryRun': '仅校验',
    'imports.form.dryRunHelp': '只检查并报告错误，不写入数据库',
    'imports.form.submit': '开始导入',
    'imports.form.submitDry': '开始校验',
    'imports.form.uploading': '正在上传…',
    'imports.form.required': '必填列：{columns}',
    'imports.dataset.houses': '房屋',
    'imports.dataset.persons': '人口',
    'imports.dataset.enterprises': '企业',
    'imports.dataset.grids': '网格',
    'imports.columns.houses': '房屋编码、地址、房屋用途；坐标可用经度/纬度列或几何',
    'imports.columns.persons': '身份证号、姓名、性别、出生日期、户籍类型、房屋编码',
    'imports.columns.enterprises': '统一社会信用代码、企业名称；坐标可用经度/纬度列或几何',
    'imports.columns.grids': '网格编码；面几何（GeoJSON、GeoPackage、Shapefile、FlatGeobuf，或 WKT 列）',
    'imports.encoding.auto': '自动识别',
    'imports.crs.default': 'WGS84 · EPSG:4326（默认）',
    'imports.crs.4490': 'CGCS2000 经纬度 · EPSG:4490',
    'imports.crs.4547': 'CGCS2000 3° 带 中央经线 114°E · EPSG:4547',
    'imports.crs.4526': 'CGCS2000 3° 带 第 38 带（带号前缀）· EPSG:4526',
    'imports.crs.3857': 'Web 墨卡托 · EPSG:3857',
    'imports.crs.gcj02': 'GCJ-02 火星坐标（高德 / 腾讯）',
    'imports.crs.bd09': 'BD-09（百度经纬度）',
    'imports.error.noFile': '请选择要导入的文件',
    'imports.error.badType': '不支持的文件类型：{name}。请使用 .csv .xlsx .geojson .json .gpkg .zip .fgb',
    'imports.error.maxErrors': '最大错误数应为整数（如 100）或百分比（如 5%）',
    'imports.error.tooLarge': '文件超过 200 MB 上限，请使用命令行 ./gridctl import',
    'imports.error.forbidden': '当前角色无权导入数据',
    'imports.error.refused': '文件未被接受：{message}',
    'imports.error.upload': '上传失败（{status}）：{message}',
    'imports.error.poll': '暂时无法获取任务进度，正在重试…',
    'imports.upload.progress': '正在上传 {percent}%（{sent} / {total}）',
    'imports.upload.waiting': '上传完成，正在创建任务…',
    'imports.job.title': '当前任务',
    'imports.job.empty': '尚未提交任务。选择数据集和文件后点击“开始导入”，任务进度将在此实时显示。',
    'imports.job.file': '文件',
    'imports.job.size': '大小',
    'imports.job.format': '格式',
    'imports.job.by': '提交人',
    'imports.job.started': '开始',
    'imports.job.elapsed': '用时',
    'imports.job.sha256': 'SHA-256',
    'imports.job.rejects': '下载拒绝明细（{count} 行，CSV）',
    'imports.job.noRejects': '没有被拒绝的行',
    'imports.job.warnings': '下载警告明细（{count} 条，CSV）',
    'imports.job.rejectsAndWarnings': '下载拒绝与警告明细（拒绝 {count} 行，警告 {warned} 条，CSV）',
    'imports.job.dryRunNote': '仅校验：以上为预计结果，未写入数据库',
    'imports.job.seconds': '{n} 秒',
    'imports.job.minutes': '{m} 分 {s} 秒',
    'imports.phase.reading': '读取校验',
    'imports.phase.placing': '空间落位',
    'imports.phase.merging': '合并入库',
    'imports.phase.indexing': '更新索引',
    'imports.phase.done': '完成',
    'imports.status.running': '进行中',
    'imports.status.succeeded': '成功',
    'imports.status.failed': '失败',
    'imports.status.aborted': '已中止',
    'imports.status.dry_run': '仅校验',
    'imports.status.interrupted': '已中断',
    'imports.count.rowsRead': '读取',
    'imports.count.inserted': '新增',
    'imports.count.updated': '更新',
    'imports.count.unchanged': '未变',
    'imports.count.rejected': '拒绝',
    'imports.count.warned': '警告',
    'imports.count.rowsUnit': '行',
    'imports.history.title': '导入记录',
    'imports.history.hint': '最近 50 次，最新在前',
    'imports.history.status': '状态',
    'imports.history.dataset': '数据集',
    'imports.history.file': '文件',
    'imports.history.by': '提交人',
    'imports.history.when': '开始时间',
    'imports.history.rejects': '拒绝/警告明细',
    'imports.history.download': '下载',
    'imports.history.empty': '暂无导入记录',
    'imports.history.failed': '导入记录加载失败：{message}',
    'imports.tips.title': '导入须知',
    'imports.tips.rerun': '同一文件可放心重复导入：内容未变的记录计为“未变”，不会重复入库。',
    'imports.tips.rejects': '不合规的行不会写入；下载拒绝明细（行号、字段、值、原因），修正后重新导入即可。',
    'imports.tips.maxErrors': '设置最大错误数后，拒绝行超出即中止，整批数据均不写入。',
    'imports.tips.large': '超过 200 MB 的文件请在服务器上使用命令行 ./gridctl import。',
    'imports.tips.privacy': '身份证号、电话等个人信息加密保存，拒绝明细中已脱敏。',
  },
  en: {
    'app.title': 'Haizhu Grid Management Command Center',
    'app.subtitle': 'Urban grid management · one map',
    'app.loading': 'Loading…',
    'lang.switch': 'Language',
    'error.network': 'Cannot reach the server; check the network and try again',
    'error.generic': 'Request failed ({status}): {message}',
    'error.forbidden': 'Your role may not see this: {message}',

    'login.heading': 'Sign in',
    'login.username': 'User name',
    'login.password': 'Password',
    'login.submit': 'Sign in',
    'login.submitting': 'Signing in…',
    'login.failed': 'Wrong user name or password',
    'login.missing': 'Enter your user name and password',
    'login.footer': 'Haizhu urban grid management · authorised staff only',

    'header.signOut': 'Sign out',
    'header.role.admin': 'Administrator',
    'header.role.command': 'Command center',
    'header.role.dispatcher': 'Dispatcher',
    'header.role.worker': 'Grid worker',
    'header.role.officer': 'Data officer',
    'header.role.peer': 'Peer platform',

    'kpi.streets': 'Streets',
    'kpi.communities': 'Communities',
    'kpi.grids': 'Unit grids',
    'kpi.houses': 'Houses',
    'kpi.persons': 'Population',
    'kpi.enterprises': 'Enterprises',
    'unit.streets': '',
    'unit.communities': '',
    'unit.grids': '',
    'unit.houses': '',
    'unit.persons': '',
    'unit.enterprises': '',

    'streets.title': 'Streets',
    'streets.name': 'Street',
    'streets.empty': 'No streets',
    'streets.hint': 'Click a street to go there',
    'communities.title': 'Communities',
    'communities.name': 'Community',
    'communities.empty': 'No communities',
    'communities.hint': 'Click a community to go there',
    'list.grids': 'Grids',
    'list.persons': 'Pop.',
    'list.houses': 'Houses',
    'list.enterprises': 'Ent.',

    'metric.title': 'Grid metric',
    'metric.density': 'Density',
    'metric.persons': 'Population',
    'metric.houses': 'Houses',
    'metric.enterprises': 'Enterprises',
    'metric.unit.density': 'persons/km²',
    'metric.unit.persons': 'persons',
    'metric.unit.houses': 'houses',
    'metric.unit.enterprises': 'enterprises',
    'legend.title.density': 'Persons per km² (quantile classes)',
    'legend.title.persons': 'Persons per grid (quantile classes)',
    'legend.title.houses': 'Houses per grid (quantile classes)',
    'legend.title.enterprises': 'Enterprises per grid (quantile classes)',
    'legend.noData': 'No data',

    'map.gridsEmpty': 'No grids in your scope',
    'map.reset': 'Whole view',
    'map.zoomIn': 'Zoom in',
    'map.zoomOut': 'Zoom out',

    'grid.title': 'Grid details',
    'grid.close': 'Close',
    'grid.code': 'Grid code',
    'grid.name': 'Name',
    'grid.community': 'Community',
    'grid.street': 'Street',
    'grid.area': 'Area',
    'grid.houses': 'Houses',
    'grid.persons': 'Population',
    'grid.enterprises': 'Enterprises',
    'grid.density': 'Density',
    'grid.workers': 'Grid workers',
    'grid.noWorkers': 'No grid worker on duty',
    'grid.loading': 'Loading grid details…',
    'grid.duty.primary': 'Lead worker',
    'grid.duty.assist': 'Assisting',
    'grid.phoneMasked': 'number masked',

    'header.imports': 'Data import',
    'header.backToMap': 'Back to the map',

    'imports.pageTitle': 'Data import · Haizhu Grid Management Command Center',
    'imports.title': 'Data import',
    'imports.loading': 'Loading…',
    'imports.denied.title': 'No permission',
    'imports.denied.text': 'Your role may not import data. To import houses, population or enterprises, ask an administrator for the data import permission.',
    'imports.form.title': 'Import a file',
    'imports.form.hint': 'stage → validate → merge',
    'imports.form.dataset': 'Dataset',
    'imports.form.file': 'File',
    'imports.form.fileEmpty': 'Click to choose a file, or drop it here',
    'imports.form.formats': 'CSV, Excel (.xlsx), GeoJSON, GeoPackage (.gpkg), Shapefile (zipped), FlatGeobuf (.fgb); up to 200 MB',
    'imports.form.encoding': 'Text encoding',
    'imports.form.crs': 'Coordinate system (if the file declares none)',
    'imports.form.maxErrors': 'Max errors',
    'imports.form.maxErrorsPlaceholder': 'no limit; e.g. 100 or 5%',
    'imports.form.dryRun': 'Dry run',
    'imports.form.dryRunHelp': 'validate and report only, write nothing',
    'imports.form.submit': 'Start import',
    'imports.form.submitDry': 'Start validation',
    'imports.form.uploading': 'Uploading…',
    'imports.form.required': 'Required columns: {columns}',
    'imports.dataset.houses': 'Houses',
    'imports.dataset.persons': 'Population',
    'imports.dataset.enterprises': 'Enterprises',
    'imports.dataset.grids': 'Grids',
    'imports.columns.houses': 'house code, address, use; location from lon/lat columns or a geometry',
    'imports.columns.persons': 'ID number, name, gender, birth date, household type, house code',
    'imports.columns.enterprises': 'unified social credit code, name; location from lon/lat columns or a geometry',
    'imports.columns.grids': 'grid code; polygon geometry (GeoJSON, GeoPackage, Shapefile, FlatGeobuf, or a WKT column)',
    'imports.encoding.auto': 'Detect',
    'imports.crs.default': 'WGS84 · EPSG:4326 (default)',
    'imports.crs.4490': 'CGCS2000 lon/lat · EPSG:4490',
    'imports.crs.4547': 'CGCS2000 3° zone, CM 114°E · EPSG:4547',
    'imports.crs.4526': 'CGCS2000 3° zone 38 (zone prefix) · EPSG:4526',
    'imports.crs.3857': 'Web Mercator · EPSG:3857',
    'imports.crs.gcj02': 'GCJ-02 (AMap / Tencent)',
    'imports.crs.bd09': 'BD-09 (Baidu lon/lat)',
    'imports.error.noFile': 'Choose a file to import',
    'imports.error.badType': 'Unsupported file type: {name}. Use .csv .xlsx .geojson .json .gpkg .zip .fgb',
    'imports.error.maxErrors': 'Max errors takes a count (100) or a percentage (5%)',
    'imports.error.tooLarge': 'The file is over the 200 MB limit; use the command line: ./gridctl import',
    'imports.error.forbidden': 'Your role may not import data',
    'imports.error.refused': 'File refused: {message}',
    'imports.error.upload': 'Upload failed ({status}): {message}',
    'imports.error.poll': 'Cannot get the job progress right now; retrying…',
    'imports.upload.progress': 'Uploading {percent}% ({sent} / {total})',
    'imports.upload.waiting': 'Uploaded; creating the job…',
    'imports.job.title': 'Current job',
    'imports.job.empty': 'No job yet. Choose a dataset and a file and press “Start import”; the progress shows here live.',
    'imports.job.file': 'File',
    'imports.job.size': 'Size',
    'imports.job.format': 'Format',
    'imports.job.by': 'Submitted by',
    'imports.job.started': 'Started',
    'imports.job.elapsed': 'Elapsed',
    'imports.job.sha256': 'SHA-256',
    'imports.job.rejects': 'Download rejected rows ({count}, CSV)',
    'imports.job.noRejects': 'No rows rejected',
    'imports.job.warnings': 'Download warnings ({count}, CSV)',
    'imports.job.rejectsAndWarnings': 'Download rejected rows and warnings ({count} rejected, {warned} warnings, CSV)',
    'imports.job.dryRunNote': 'Dry run: the counts are what would happen; nothing was written',
    'imports.job.seconds': '{n} s',
    'imports.job.minutes': '{m} min {s} s',
    'imports.phase.reading': 'Reading',
    'imports.phase.placing': 'Placing',
    'imports.phase.merging': 'Merging',
    'imports.phase.indexing': 'Indexing',
    'imports.phase.done': 'Done',
    'imports.status.running': 'Running',
    'imports.status.succeeded': 'Succeeded',
    'imports.status.failed': 'Failed',
    'imports.status.aborted': 'Aborted',
    'imports.status.dry_run': 'Dry run',
    'imports.status.interrupted': 'Interrupted',
    'imports.count.rowsRead': 'Read',
    'imports.count.inserted': 'Inserted',
    'imports.count.updated': 'Updated',
    'imports.count.unchanged': 'Unchanged',
    'imports.count.rejected': 'Rejected',
    'imports.count.warned': 'Warnings',
    'imports.count.rowsUnit': 'rows',
    'imports.history.title': 'Import history',
    'imports.history.hint': 'last 50, newest first',
    'imports.history.status': 'Status',
    'imports.history.dataset': 'Dataset',
    'imports.history.file': 'File',
    'imports.history.by': 'By',
    'imports.history.when': 'Started',
    'imports.history.rejects': 'Rejects / warnings',
    'imports.history.download': 'Download',
    'imports.history.empty': 'No imports yet',
    'imports.history.failed': 'Cannot load the import history: {message}',
    'imports.tips.title': 'Good to know',
    'imports.tips.rerun': 'Importing the same file again is safe: records that did not change count as “unchanged”, never twice.',
    'imports.tips.rejects': 'Rows that fail validation are not written; download the rejects (row, field, value, reason), fix them and import again.',
    'imports.tips.maxErrors': 'With a max-errors limit, the import stops once the rejects exceed it and writes nothing.',
    'imports.tips.large': 'Files over 200 MB: use the command line on the server, ./gridctl import.',
    'imports.tips.privacy': 'ID numbers and phones are stored encrypted and masked in the rejects file.',
  },
};

let current = initialLang();

function initialLang() {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (LANGS.includes(saved)) {
      return saved;
    }
  } catch (e) {
    // localStorage may be unavailable (privacy mode); fall back to the default.
  }
  return 'zh-CN';
}

export function lang() {
  return current;
}

/** The string for key in the current language, with {name} placeholders filled from params. */
export function t(key, params = {}) {
  const text = DICT[current][key] ?? DICT['zh-CN'][key] ?? key;
  return text.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
}

/** Whole numbers with grouping, as on Chinese screens: 1,581,460. */
export function formatNumber(n, fractionDigits = 0) {
  if (n === null || n === undefined || Number.isNaN(Number(n))) {
    return '—';
  }
  return new Intl.NumberFormat('zh-CN', {
    minimumFractionDigits: fractionDigits,
    maximumFractionDigits: fractionDigits,
  }).format(Number(n));
}

/** Fills [data-i18n] text and [data-i18n-attr] attributes under root, and sets <html lang>. */
export function applyI18n(root = document) {
  document.documentElement.lang = current;
  root.querySelectorAll('[data-i18n]').forEach((el) => {
    el.textContent = t(el.dataset.i18n);
  });
  root.querySelectorAll('[data-i18n-attr]').forEach((el) => {
    for (const pair of el.dataset.i18nAttr.split(',')) {
      const [attr, key] = pair.split(':').map((s) => s.trim());
      el.setAttribute(attr, t(key));
    }
  });
  root.querySelectorAll('[data-lang]').forEach((el) => {
    el.setAttribute('aria-pressed', String(el.dataset.lang === current));
  });
}

/** Switches language, remembers it, refreshes static markup and tells listeners ('langchange'). */
export function setLang(next) {
  if (!LANGS.includes(next) || next === current) {
    return;
  }
  current = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch (e) {
    // not remembered; still switched for this page
  }
  applyI18n();
  document.dispatchEvent(new CustomEvent('langchange', { detail: { lang: next } }));
}

/** Wires every [data-lang] button under root to setLang. */
export function bindLangSwitch(root = document) {
  root.querySelectorAll('[data-lang]').forEach((btn) => {
    btn.addEventListener('click', () => setLang(btn.dataset.lang));
  });
}
