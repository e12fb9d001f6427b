// The UI test's part for the waveform viewer, the configuration form and YAML diagnostics, in
// the workbench like a user: a circuit run opened in the viewer from its run panel and zoomed
// with the wheel to one SFQ pulse, whose ∫V dt between two cursors reads Φ0; the colour theme
// switched to Light Modern with the viewer open (its canvas must repaint light at once); the form
// of a spec changed and run, the YAML file keeping its comments, shown in light and dark;
// `seed: abc` in the Problems panel; an ncap.swimmer run shown in the swimmer view from its run panel.
// Screenshots go to RESULTS and, for the README, to docs/images/.
'use strict';
const fs = require('fs');
const path = require('path');

const docs = path.join(process.cwd(), 'docs', 'images');

/** A webview frame holding `selector`, once there is one. */
async function frameWith(page, selector) {
  for (const f of page.frames()) {
    try {
      if ((await f.locator(selector).count()) > 0) return f;
    } catch { /* navigated away */ }
  }
  return undefined;
}

/** The peak time (s) of column `name` in a JoSIM-style CSV. */
function peakOf(csv, name) {
  const lines = fs.readFileSync(csv, 'utf8').trim().split('\n');
  const k = lines[0].split(',').indexOf(name);
  let best = [0, -Infinity];
  for (const l of lines.slice(1)) {
    const c = l.split(',');
    if (Number(c[k]) > best[1]) best = [Number(c[0]), Number(c[k])];
  }
  return best[0];
}

/** Switches the workbench's colour theme from the palette, as a user does. */
async function colorTheme(page, runCommand, say, name) {
  await runCommand(page, 'Preferences: Color Theme');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10000 });
  await input.fill(name);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ state: 'visible', timeout: 10000 });
  await page.keyboard.press('Enter');
  await page.waitForTimeout(1500);
  say(`colour theme: ${name}`);
}

/** Mean luminance (0–255) of a 4×4 patch at the top-left corner of a canvas: the plot's background. */
async function cornerLuminance(canvas) {
  return canvas.evaluate((c) => {
    const d = c.getContext('2d').getImageData(1, 1, 4, 4).data;
    let sum = 0;
    for (let i = 0; i < d.length; i += 4) sum += 0.2126 * d[i] + 0.7152 * d[i + 1] + 0.0722 * d[i + 2];
    return sum / (d.length / 4);
  });
}

async function views({ page, ws, results, shot, runCommand, pickIfAsked, until, say, problems }) {
  fs.mkdirSync(docs, { recursive: true });
  const runsDir = path.join(ws, '.neurite', 'runs');
  const runs = () => (fs.existsSync(runsDir) ? fs.readdirSync(runsDir) : []);
  const both = async (name) => {
    await shot(page, name);
    fs.copyFileSync(path.join(results, name), path.join(docs, name));
  };

  // code-server starts in a light theme: the viewer is seen in Dark Modern first, then switched live
  await colorTheme(page, runCommand, say, 'Dark Modern');
  await page.keyboard.press('Escape');

  // 1. A circuit run, opened in the waveform viewer from its run panel.
  let before = runs();
  await runCommand(page, 'Neurite: Run Experiment');
  // Filter the pick by name: the list only renders the rows in view, and the workspace's own specs come first.
  const pick = page.locator('.quick-input-widget');
  await until('the spec quick pick', async () => (await pick.isVisible()) && !(await pick.locator('input').inputValue()).startsWith('>'), 10000, page);
  await page.keyboard.type('sfq-circuit');
  await pickIfAsked(page, [/sfq-circuit/i], 10000);
  const dir = await until('the circuit run folder', () => runs().find((n) => !before.includes(n) && /sfq-jtl/.test(n)), 60000, page);
  const summary = path.join(runsDir, dir, 'summary.json');
  await until('the circuit run to end', () => fs.existsSync(summary), 120000, page, 500);
  const panel = await until('the run panel with its waveform button', () => frameWith(page, '.open-waveforms'), 60000, page, 500);
  await panel.locator('.open-waveforms').first().click();
  const viewer = await until('the waveform viewer', () => frameWith(page, '#wave-canvas[data-modes]'), 60000, page, 500);
  await page.waitForTimeout(1000);
  await both('waveforms-run.png');
  const peak = peakOf(path.join(runsDir, dir, 'traces', 'waveforms.csv'), 'V(J4)');
  const canvas = viewer.locator('#wave-canvas');
  const viewOf = async () => (await canvas.getAttribute('data-view')).split(',').map(Number);
  const xOf = async (t) => {
    const [t0, t1] = await viewOf();
    const box = await canvas.boundingBox();
    return box.x + 78 + ((t - t0) / (t1 - t0)) * (box.width - 92);
  };
  const box = await canvas.boundingBox();
  // cursors around the pulse on the whole run, then the wheel at the pulse down to its samples
  await page.mouse.click(await xOf(peak - 12e-12), box.y + 60);
  await page.keyboard.down('Shift');
  await page.mouse.click(await xOf(peak + 12e-12), box.y + 60);
  await page.keyboard.up('Shift');
  for (let i = 0; i < 40; i++) {
    const [t0, t1] = await viewOf();
    if (t1 - t0 < 40e-12) break;
    await page.mouse.move(await xOf(peak), box.y + 60);
    await page.mouse.wheel(0, -240);
    await page.waitForTimeout(120);
  }
  await page.waitForTimeout(800);
  const [t0, t1] = await viewOf();
  const modes = await canvas.getAttribute('data-modes');
  say(`waveform view ${(t0 * 1e12).toFixed(1)}–${(t1 * 1e12).toFixed(1)} ps around the pulse at ${(peak * 1e12).toFixed(1)} ps; windows: ${modes}`);
  if (!(t1 - t0 < 40e-12 && t0 < peak && peak < t1)) problems.push(`the viewer did not zoom to the pulse: ${t0}–${t1}`);
  if (!/^samples(,samples)*$/.test(modes ?? '')) problems.push(`zoomed to one pulse, the viewer should draw single samples, not ${modes}`);
  const integral = await viewer.locator('#readings tr[data-trace="V(J4)"] td.integral').textContent().catch(() => '');
  say(`∫V dt of the pulse: ${integral}`);
  const phi0 = Number(/= (-?[\d.]+) Φ0/.exec(integral ?? '')?.[1]);
  if (!(Math.abs(phi0 - 1) < 0.03)) problems.push(`∫V dt of one SFQ pulse should read 1 Φ0, read "${integral}"`);
  await both('waveforms-pulse.png');
  const darkBg = await cornerLuminance(canvas);

  // the theme switched with the viewer open: the canvas repaints in the light theme without any input
  await colorTheme(page, runCommand, say, 'Light Modern');
  await page.keyboard.press('Escape');
  const lightBg = await until('the viewer to repaint light', async () => {
    const l = await cornerLuminance(canvas);
    return l > 128 ? l : undefined;
  }, 15000, page, 250).catch(() => undefined);
  say(`viewer background luminance: dark ${darkBg.toFixed(0)}, light ${lightBg?.toFixed(0)}`);
  if (!(darkBg < 128)) problems.push(`the viewer's background in the dark theme has luminance ${darkBg}`);
  if (lightBg === undefined) problems.push(`the viewer did not repaint light after the theme switch (luminance ${(await cornerLuminance(canvas)).toFixed(0)})`);
  await both('waveforms-pulse-light.png');

  // 2. The configuration form: change the seed, run; the YAML keeps its comments.
  await page.keyboard.press('Escape');
  await runCommand(page, 'View: Close All Editors');
  await page.keyboard.press('Control+P');
  await page.keyboard.type('form.neurite.yaml');
  await page.waitForTimeout(800);
  await page.keyboard.press('Enter');
  await page.waitForTimeout(1500);
  await runCommand(page, 'Neurite: Open Configuration Form');
  const form = await until('the configuration form', () => frameWith(page, '#f-seed'), 60000, page, 500);
  await form.locator('#f-seed input').fill('5');
  await form.locator('#f-seed input').press('Enter');
  await until('the status after the edit', async () => /no problems/.test((await form.locator('#status').textContent().catch(() => '')) ?? ''), 30000, page, 250);
  await page.waitForTimeout(500);
  await both('config-form-light.png');
  await colorTheme(page, runCommand, say, 'Dark Modern');
  await page.keyboard.press('Escape');
  await both('config-form.png');
  before = runs();
  await form.locator('#run').click();
  const formRun = await until('the run of the form', () => runs().find((n) => !before.includes(n) && /-form$/.test(n)), 60000, page, 500);
  const yaml = fs.readFileSync(path.join(ws, 'form.neurite.yaml'), 'utf8');
  say(`form.neurite.yaml after the form and Run:\n${yaml}`);
  if (!/^seed: 5            # the value the form changes$/m.test(yaml)) problems.push('the form did not write seed: 5 in place, with its comment');
  if (!/^# The UI test edits this spec/m.test(yaml) || !/trials: 20000    # quick: seconds/.test(yaml)) problems.push('the form lost comments of the YAML file');
  const spec = JSON.parse(fs.readFileSync(path.join(runsDir, formRun, 'spec.json'), 'utf8'));
  if (spec.seed !== 5) problems.push(`the run from the form has seed ${spec.seed}, not 5`);

  // 3. Diagnostics: seed: abc in the Problems panel.
  fs.writeFileSync(path.join(ws, 'typo.neurite.yaml'), '# a typo the Problems panel should show\nkind: dendrite.sdr\nname: typo\nseed: abc\n');
  await page.keyboard.press('Escape');
  await runCommand(page, 'View: Close All Editors');
  // Quick Open finds a new file only once the file watcher has reported it: retry until it is
  // offered and its editor tab is open (on a loaded machine that took longer than one try).
  await until('typo.neurite.yaml opened from Quick Open', async () => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+P');
    await page.keyboard.type('typo.neurite.yaml');
    const offered = await page.locator('.quick-input-list .monaco-list-row', { hasText: 'typo.neurite.yaml' }).first()
      .waitFor({ state: 'visible', timeout: 5000 }).then(() => true, () => false);
    if (!offered) return false;
    await page.keyboard.press('Enter');
    return page.locator('.tab', { hasText: 'typo.neurite.yaml' }).first().waitFor({ state: 'visible', timeout: 5000 }).then(() => true, () => false);
  }, 60000, page, 500).catch((e) => problems.push(e.message));
  await runCommand(page, 'View: Focus Problems');
  const marker = await until('the seed problem in the Problems panel', async () => {
    const t = await page.locator('.markers-panel').innerText().catch(() => '');
    return /seed: .*expected number/.test(t) ? t : undefined;
  }, 60000, page, 500).catch((e) => problems.push(e.message));
  if (typeof marker === 'string') say(`Problems panel: ${marker.replace(/\n/g, ' | ').slice(0, 200)}`);
  await both('problems.png');

  // 4. The swimmer view: a toy ncap.swimmer run (its episode threads from the packaged dist/ncap-worker.js), opened from its run panel.
  await page.keyboard.press('Escape');
  await runCommand(page, 'View: Close All Editors');
  before = runs();
  await runCommand(page, 'Neurite: Run Experiment');
  await until('the spec quick pick', async () => (await pick.isVisible()) && !(await pick.locator('input').inputValue()).startsWith('>'), 10000, page);
  await page.keyboard.type('swimmer.neurite');
  await pickIfAsked(page, [/^swimmer\.neurite\.yaml/], 10000); // not the sample ncap-swimmer.neurite.yaml
  const swimRun = await until('the swimmer run folder', () => runs().find((n) => !before.includes(n) && /^\d{8}-\d{6}-swimmer$/.test(n)), 60000, page);
  await until('the swimmer run to end', () => fs.existsSync(path.join(runsDir, swimRun, 'summary.json')), 120000, page, 500);
  const status = JSON.parse(fs.readFileSync(path.join(runsDir, swimRun, 'summary.json'), 'utf8')).status;
  if (status !== 'completed') problems.push(`the ncap.swimmer run ended ${status}`);
  const runPanel = await until('the run panel with its Show Swimmer button', () => frameWith(page, '.open-swimmer'), 60000, page, 500);
  await runPanel.locator('.open-swimmer').first().click();
  const swimmer = await until('the swimmer view', () => frameWith(page, '#swimmer-canvas[data-frame]'), 60000, page, 500);
  await swimmer.locator('#swimmer-canvas').focus();
  await page.keyboard.press('End');
  await page.waitForTimeout(500);
  const frame = await swimmer.locator('#swimmer-canvas').getAttribute('data-frame');
  say(`swimmer view: frame ${frame} after End`);
  if (frame !== '60') problems.push(`the swimmer view should show the last of 61 frames after End, shows ${frame}`);
  await both('swimmer-vscode.png');
}

module.exports = { views };
