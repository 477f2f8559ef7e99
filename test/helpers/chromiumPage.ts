/**
 * A page of a real headless Chromium (the one LiteRT uses, with its flags) for tests that check
 * what a browser makes of collabopt's HTML: rendered, no console errors, elements present. Where
 * Chromium is missing the test is skipped and says why, as the LiteRT tests do.
 */
import { chromium, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../../recipes/src/runner/litert/LiteRtBrowser';
import { sayWithoutLiteRt } from './liteRt';

/**
 * Loads `file` (an absolute path) and hands the page to `check` with the console errors and
 * uncaught page errors collected while loading it; the browser is closed afterwards.
 */
export async function withChromiumPage(ctx: Mocha.Context, file: string, check: (page: Page, errors: readonly string[]) => Promise<void>): Promise<void> {
  const executable = findChromium();
  if (typeof executable !== 'string') {
    sayWithoutLiteRt(ctx.test?.fullTitle() ?? 'a Chromium check', executable.missing);
    ctx.skip();
  }
  const browser = await chromium.launch({ executablePath: executable as string, headless: true, args: [...CHROMIUM_ARGS] });
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`file://${file}`, { waitUntil: 'load' });
    await check(page, errors);
  } finally {
    await browser.close();
  }
}
