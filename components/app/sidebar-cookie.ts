/** The cookie the dashboard layout reads, so a collapsed sidebar renders collapsed from the first byte. */
export const SIDEBAR_COOKIE = "foreman_sidebar";
