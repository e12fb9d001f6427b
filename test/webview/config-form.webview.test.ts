/**
 * The configuration form in a real browser, its host doing what the extension does with the
 * real code (edits written into the YAML text, the kernel's validation): it draws a sample from
 * its kind's schema, writes a change back with the file's comments kept, shows the kernel's
 * problems at their fields, adds and removes list items, and is accessible in light and dark.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import YAML from 'yaml';
import { repoRoot } from '../unit/helpers';
import { accessibilityViolations, closeBrowser, openWebview, type Theme, type WebviewPage } from './browser';
import { FormHost } from './formHost';

const shots = path.join(repoRoot, 'test-results', 'webview');
const samplePath = (name: string) => path.join(repoRoot, 'samples', name);

async function form(sample: string, theme: Theme = 'dark'): Promise<{ view: WebviewPage; host: FormHost }> {
  const file = samplePath(sample);
  const host = new FormHost(fs.readFileSync(file, 'utf8'), file);
  const view = await openWebview('config-form', { theme, host: host.answer, viewport: { width: 1100, height: 1300 } });
  await view.page.waitForSelector('#fields .field');
  return { view, host };
}

/** Type into a field and commit it (Enter), as a user does. */
async function enter(view: WebviewPage, id: string, text: string): Promise<void> {
  const input = view.page.locator(`#${id} input`);
  await input.fill(text);
  await input.press('Enter');
}

describe('configuration form webview (chromium)', function () {
  this.timeout(120000);
  before(() => fs.mkdirSync(shots, { recursive: true }));
  after(closeBrowser);

  describe('the sfq.xor sample', () => {
    let view: WebviewPage;
    let host: FormHost;
    before(async () => ({ view, host } = await form('sfq-xor.neurite.yaml')));
    after(() => view?.close());

    it('draws a section per part of the spec and a field per setting, with units, ranges, defaults and help', async () => {
      assert.strictEqual(await view.page.textContent('#form-title'), 'sfq-xor.neurite.yaml');
      const sections = await view.page.$$eval('#fields > vscode-collapsible', (c) => c.map((x) => x.getAttribute('heading')));
      assert.deepStrictEqual(sections, ['General', 'sweep', 'network', 'circuit', 'sweeps', 'calibration']);
      const iwOn = view.page.locator('[data-path=\'["network","iwOn"]\']');
      assert.strictEqual((await iwOn.locator('label').textContent())?.trim(), 'iwOn (µA)');
      assert.strictEqual(await view.page.$eval('#f-network-iwOn', (e) => (e as any).value), '90');
      assert.match((await iwOn.locator('.help').textContent())!, /Synapse weight bias where the network has a connection, µA\. Range: 0 ≤ iwOn ≤ 150\. Default: 90\./);
      assert.strictEqual(await view.page.$eval('#f-circuit-waveformInput', (e) => e.tagName), 'VSCODE-SINGLE-SELECT', 'an enum is a select');
      assert.strictEqual(await view.page.$eval('#f-circuit-waveformInput', (e) => (e as any).value), '10');
      assert.deepStrictEqual(await view.page.$eval('#f-circuit-nodes', (e) => (e as any).value), ['X10', 'NX20', 'H1IN', 'H1OUT', 'OUT'], 'a list of names from an enum is a multi-select');
      assert.strictEqual(await view.page.$eval('#f-sweeps-circuitChecks', (e) => (e as any).checked), true);
      assert.strictEqual(await view.page.$eval('#f-sweeps-temperature', (e) => (e as any).value), '1, 1.5, 2, 3, 4.2, 5, 6, 7, 8');
      assert.match((await view.page.textContent('#status'))!, /no problems/);
      await view.page.screenshot({ path: path.join(shots, 'config-form-dark.png') });
    });

    it('writes a changed number into the YAML, keeping every comment and line around it', async () => {
      const before = host.text;
      await enter(view, 'f-network-iwOn', '95');
      await view.page.waitForFunction(() => (document.getElementById('f-network-iwOn') as any)?.value === '95');
      const last = ((await view.posted()) as any[]).filter((m) => m.type === 'set').pop();
      assert.deepStrictEqual(last, { type: 'set', path: ['network', 'iwOn'], value: 95 });
      assert.strictEqual(host.text, before.replace('iwOn: 90           # µA', 'iwOn: 95           # µA'));
      assert.ok(await view.page.isVisible('[data-path=\'["network","iwOn"]\'] .reset'), 'a value off its default can be reset');
    });

    it('shows the kernel\'s problems at their fields as they arise, and a summary that leads to them', async () => {
      await enter(view, 'f-network-iwOff', '120');
      await view.page.waitForSelector('#problems li');
      assert.match((await view.page.textContent('#f-network-iwOff-problem'))!, /must be below iwOn \(95\)/);
      assert.strictEqual(await view.page.getAttribute('#f-network-iwOff', 'invalid'), '');
      assert.match((await view.page.textContent('#f-sweeps-weights-problem'))!, /must be above iwOff \(120 µA\)/, 'relations the schema alone cannot state');
      await enter(view, 'f-network-rateGHz', '100');
      await view.page.waitForFunction(() => /40/.test(document.getElementById('f-network-rateGHz-problem')?.textContent ?? ''));
      await view.page.click('#problems li a >> nth=0');
      assert.ok(await view.page.evaluate(() => document.activeElement?.id?.startsWith('f-network-')), 'the summary link focuses the field');
      await view.page.screenshot({ path: path.join(shots, 'config-form-problems-dark.png') });
      await view.page.click('[data-path=\'["network","rateGHz"]\'] .reset');
      await enter(view, 'f-network-iwOff', '50');
      await view.page.waitForFunction(() => /no problems/.test(document.getElementById('status')?.textContent ?? ''));
      assert.doesNotMatch(host.text, /rateGHz: 100/);
      assert.doesNotMatch(host.text, /rateGHz/, 'reset removes the key: the default applies');
    });

    it('sends Run and Edit as YAML to the host', async () => {
      await view.page.click('#run');
      await view.page.click('#open-text');
      assert.deepStrictEqual(((await view.posted()) as any[]).slice(-2), [{ type: 'run' }, { type: 'openText' }]);
      assert.strictEqual(host.ran.length, 1);
    });

    it('has no serious accessibility violations and no console errors', async () => {
      assert.deepStrictEqual(await accessibilityViolations(view.page), []);
      assert.deepStrictEqual(view.consoleErrors, []);
    });
  });

  describe('a spiking network sample', () => {
    let view: WebviewPage;
    let host: FormHost;
    before(async () => ({ view, host } = await form('spiking-stdp.neurite.yaml', 'light')));
    after(() => view?.close());

    it('draws each population with its model\'s own parameters, and adds and removes populations', async () => {
      assert.strictEqual(await view.page.$eval('#f-populations-0-model', (e) => (e as any).value), 'lif-exp');
      assert.ok(await view.page.$('#f-populations-0-params-tauMemMs'), 'lif-exp parameters');
      await view.page.screenshot({ path: path.join(shots, 'config-form-light.png') });
      await view.page.click('#f-populations .add');
      await view.page.waitForSelector('#f-populations-1-model');
      const added = YAML.parse(host.text).populations[1];
      assert.strictEqual(typeof added.model, 'string');
      assert.match(host.text, /Brian2's STDP example/, 'the file\'s comments are kept');
      await view.page.click('#f-populations-1 > .remove');
      await view.page.waitForFunction(() => !document.getElementById('f-populations-1-model'));
      assert.strictEqual(YAML.parse(host.text).populations.length, 1);
    });

    it('edits a value of several shapes as YAML text', async () => {
      await enter(view, 'f-populations-0-init', '{ v: { uniform: [-70, -60] } }');
      await view.page.waitForFunction(() => /uniform: \[-70, -60\]/.test((document.getElementById('f-populations-0-init') as any)?.value ?? ''));
      assert.deepStrictEqual(YAML.parse(host.text).populations[0].init, { v: { uniform: [-70, -60] } });
      assert.match(host.text, /^    init: \{ v: \{ uniform: \[-70, -60\] \} \}   # Brian2's example/m);
      assert.deepStrictEqual(view.consoleErrors, []);
    });
  });
});
