// Shared pieces of the browser tests: start the real server, launch Debian's chromium,
// check every page (axe at WCAG 2.2 AA, 375 px and desktop, screenshots, CSP errors).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = process.env.WAYMARK_BIN || join(ROOT, 'build-debug', 'waymark');
export const ARTIFACTS = resolve(process.env.E2E_ARTIFACTS || join(ROOT, 'build-debug', 'e2e-artifacts'));
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const WEB = resolve(process.env.WAYMARK_WEB || join(ROOT, 'web', 'dist'));

// playwright-core and @axe-core/playwright are devDependencies of web/.
const requireFromWeb = createRequire(join(ROOT, 'web', 'package.json'));
export function loadBrowserLibs() {
  const { chromium } = requireFromWeb('playwright-core');
  const axe = requireFromWeb('@axe-core/playwright');
  return { chromium, AxeBuilder: axe.AxeBuilder ?? axe.default };
}

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 375, height: 740 };

/** One `waymark serve` on a free port with a temporary database and the demo accounts. */
export async function startServer() {
  const dir = mkdtempSync(join(tmpdir(), 'waymark-e2e-'));
  const args = ['serve', '--port', '0', '--db', join(dir, 'waymark.db'), '--area', 'example', '--web', WEB, '--demo', '--public-rate-limit', '0'];
  const proc = spawn(BIN, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => {
    stderr += d.toString();
  });
  const logins = {};
  let port = 0;
  await new Promise((resolveStart, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error('server did not start in 60 s')), 60000);
    proc.on('exit', (code) => reject(new Error(`server exited early (${code}): ${stderr.slice(-2000)}`)));
    proc.stdout.on('data', (d) => {
      buf += d.toString();
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        const m = /Open: https?:\/\/[^:]+:(\d+)\//.exec(line);
        if (m) port = Number(m[1]);
        const l = /^\s+(demo-[a-z-]+)\s+(\S+)$/.exec(line);
        if (l) logins[l[1]] = l[2];
        if (line.includes('Stop with Ctrl+C')) {
          clearTimeout(timer);
          resolveStart();
        }
      }
    });
  });
  proc.stdout.resume();
  return {
    url: `http://127.0.0.1:${port}`,
    logins,
    stderr: () => stderr,
    async stop() {
      if (proc.exitCode === null) {
        const exited = new Promise((r) => proc.once('exit', (code) => r(code)));
        proc.kill('SIGTERM');
        const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 30000))]);
        if (code === 'timeout') proc.kill('SIGKILL');
        rmSync(dir, { recursive: true, force: true });
        return code;
      }
      rmSync(dir, { recursive: true, force: true });
      return proc.exitCode;
    },
  };
}

export function ensureDir(d) {
  mkdirSync(d, { recursive: true });
  return d;
}

export { existsSync, readFileSync };
