/* global document, location */
// Applies the theme chosen in the app (localStorage `sightline.theme`) before the first paint, so a
// dark-theme user never sees a light flash. Without a choice the system's preference applies (CSS).
try {
  var theme = localStorage.getItem('sightline.theme');
  if (theme === 'light' || theme === 'dark') document.documentElement.dataset.theme = theme;
} catch {
  // Storage blocked: the system's preference applies.
}
// The boot shell (app.html) of the pages anyone may open (see isPublicPath in lib/auth/redirect.ts)
// is a top bar, without the sidebar.
if (location.pathname === '/login' || location.pathname.startsWith('/invite/'))
  document.documentElement.dataset.boot = 'public';
