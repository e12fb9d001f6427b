/**
 * The editor's colours, read from the CSS variables VS Code gives every webview, and a watch
 * for theme changes: VS Code rewrites those variables (the <html> style) and the body's
 * `vscode-light` / `vscode-dark` / `vscode-high-contrast` class when the user switches theme,
 * and everything drawn on a canvas must then be drawn again in the new colours.
 */
export interface ThemeColors {
  foreground: string;
  muted: string;
  grid: string;
  background: string;
  font: string;
  kind: 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';
}

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

export function themeColors(): ThemeColors {
  const c = document.body.classList;
  const kind = c.contains('vscode-high-contrast-light') ? 'high-contrast-light' : c.contains('vscode-high-contrast') ? 'high-contrast' : c.contains('vscode-light') ? 'light' : 'dark';
  const light = kind === 'light' || kind === 'high-contrast-light';
  const foreground = cssVar('--vscode-foreground', light ? '#3b3b3b' : '#cccccc');
  return {
    foreground,
    muted: cssVar('--vscode-descriptionForeground', light ? '#717171' : '#9d9d9d'),
    // high-contrast themes get full-contrast grid lines
    grid: kind.startsWith('high-contrast') ? cssVar('--vscode-contrastBorder', foreground) : light ? 'rgba(0, 0, 0, 0.1)' : 'rgba(255, 255, 255, 0.1)',
    background: cssVar('--vscode-editor-background', light ? '#ffffff' : '#1f1f1f'),
    font: cssVar('--vscode-font-family', 'sans-serif'),
    kind,
  };
}

/** Calls `onChange` (at most once per frame) whenever the theme's class or variables change. */
export function watchTheme(onChange: (c: ThemeColors) => void): () => void {
  let queued = false;
  let last = JSON.stringify(themeColors());
  const observer = new MutationObserver(() => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      const c = themeColors();
      const text = JSON.stringify(c);
      if (text === last) return;
      last = text;
      onChange(c);
    });
  });
  observer.observe(document.body, { attributes: true, attributeFilter: ['class', 'style'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['class', 'style'] });
  return () => observer.disconnect();
}
