// The pure-Rust signer beside the `rsa` crate and node:crypto / WebCrypto,
// in Node and in workerd: bench/rsa.mjs on the `bench` build (bench/rsa-pkg.sh),
// its report embedded as printed.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

export function rsa() {
  const root = resolve(import.meta.dirname, '..');
  execFileSync('bash', ['bench/rsa-pkg.sh'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  const report = execFileSync(process.execPath, ['bench/rsa.mjs'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return {
    data: report,
    markdown: '`crypto: \'rust\'` signs with our own constant-time RSA (src/rsa, SECURITY.md): blinded, checked with the public exponent before release.\n\n```\n' + report.trim() + '\n```',
  };
}
