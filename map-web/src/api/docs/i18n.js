// The API page's strings, added to the shared dictionaries (assets/i18n.js) when it loads. Swagger UI
// itself speaks English only: the page's own parts are in Chinese first.

import { addStrings } from '/assets/i18n.js';

addStrings({
  'zh-CN': {
    'apiDocs.pageTitle': '接口文档 · 海珠区网格化管理指挥中心',
    'apiDocs.title': '接口文档（OpenAPI）',
    'apiDocs.download': '下载 openapi.json',
    'apiDocs.intro': '本页列出指挥中心的全部接口：路径、参数、请求体、应答与错误格式，以及每个接口需要的登录方式和权限。“Try it out” 以当前登录身份发送请求。',
    'apiDocs.failed': '接口文档加载失败：{message}',
  },
  en: {
    'apiDocs.pageTitle': 'API · Haizhu Grid Management Command Center',
    'apiDocs.title': 'API reference (OpenAPI)',
    'apiDocs.download': 'Download openapi.json',
    'apiDocs.intro': 'Every endpoint of the command center: paths, parameters, bodies, answers and the error format, and the sign-in and permission each needs. “Try it out” sends the request as the user signed in now.',
    'apiDocs.failed': 'The API description could not be loaded: {message}',
  },
});
