// Translations from _locales through the browser's i18n API.
const api = globalThis.browser ?? globalThis.chrome;

export const t = (key, ...subs) => api.i18n.getMessage(key, subs) || key;
