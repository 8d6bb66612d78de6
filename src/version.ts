/** serverwamp's version, generated from package.json by scripts/sync-version.mjs. */
export const version = '0.1.0';
