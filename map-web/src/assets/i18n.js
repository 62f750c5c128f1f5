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
