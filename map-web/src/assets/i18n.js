// i18n: the language machinery of every page (t(), lang(), setLang(), applyI18n(),
// bindLangSwitch(), formatNumber()) and the strings all pages share: the title, the language
// switch, errors, the login page, the header and the roles. Each app keeps its own strings in its
// folder (wall/i18n.js, desk/i18n.js, tablet/i18n.js, imports/i18n.js, audit/i18n.js; the case
// vocabulary that the wall, the desk and the tablet share in assets/cases-i18n.js), which adds
// them here with addStrings() when the app's modules load.
// Every UI string goes through t(); static markup carries data-i18n="key" (text) or
// data-i18n-attr="attr:key,attr:key" (attributes) and is filled by applyI18n().
// The choice is kept in localStorage; <html lang> follows it. Data (street and community names)
// stays as it is in the database.
// I18nKeysTest (server tests) fails when a page uses a key that none of its dictionaries holds, or
// when a dictionary's zh-CN and en keys differ.

const STORAGE_KEY = 'gridctl.lang';
export const LANGS = ['zh-CN', 'en'];

const DICT = {
  'zh-CN': {
    'app.title': '海珠区网格化管理指挥中心',
    'node.title.city': '{name}网格化平台',
    'node.title.district': '{name}网格化管理指挥中心',
    'node.title.street': '{name}网格化平台',
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
    'login.wait': '密码错误次数过多，请 {seconds} 秒后再试',
    'login.missing': '请输入用户名和密码',
    'login.footer': '海珠区城市网格化管理 · 仅限授权人员使用',

    'header.signOut': '退出',
    'header.role.admin': '系统管理员',
    'header.role.command': '指挥中心',
    'header.role.dispatcher': '调度员',
    'header.role.worker': '网格员',
    'header.role.officer': '数据管理员',
    'header.role.peer': '对接平台',
    'header.role.ops': '运维',
    'header.role.operator': '命令行操作员',
    'header.imports': '数据导入',
    'header.backToMap': '返回一张图',
    'header.apiDocs': '接口文档',
    'header.desk': '调度台',
    'header.tablet': '网格员端',
  },
  en: {
    'app.title': 'Haizhu Grid Management Command Center',
    'node.title.city': '{name} Grid Management Platform',
    'node.title.district': '{name} Grid Management Command Center',
    'node.title.street': '{name} Grid Management Platform',
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
    'login.wait': 'Too many wrong passwords; try again in {seconds} s',
    'login.missing': 'Enter your user name and password',
    'login.footer': 'Haizhu urban grid management · authorised staff only',

    'header.signOut': 'Sign out',
    'header.role.admin': 'Administrator',
    'header.role.command': 'Command center',
    'header.role.dispatcher': 'Dispatcher',
    'header.role.worker': 'Grid worker',
    'header.role.officer': 'Data officer',
    'header.role.peer': 'Peer platform',
    'header.role.ops': 'Operations',
    'header.role.operator': 'Command-line operator',
    'header.imports': 'Data import',
    'header.backToMap': 'Back to the map',
    'header.apiDocs': 'API',
    'header.desk': 'Dispatch desk',
    'header.tablet': 'Worker app',
  },
};

let current = initialLang();

/** Adds an app's strings ({'zh-CN': {…}, en: {…}}) to the dictionaries; its i18n.js calls this once. */
export function addStrings(strings) {
  for (const l of LANGS) {
    Object.assign(DICT[l], strings[l]);
  }
}

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
