import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { trainCorpusModel } from '../../src/embedding/corpusModel.js';
import { REPO_CORPUS_DIR } from './paths.js';

/**
 * A small model in the hub's layout, built from the repo's corpus: the corpus model Lodestone trains, with
 * its ONNX file named as a quantized hub model's (`onnx/model_quantized.onnx`) and its config stripped of
 * the Lodestone fingerprint, so it is loaded exactly as a downloaded hub model would be.
 */
export async function buildHubModel(dir: string, opts: { dimensions?: number } = {}): Promise<string> {
  const texts = fs
    .readdirSync(REPO_CORPUS_DIR)
    .filter((f) => /\.(md|txt)$/.test(f) && f !== 'README.md')
    .map((f) => fs.readFileSync(path.join(REPO_CORPUS_DIR, f), 'utf8'));
  await trainCorpusModel(texts, { outDir: dir, dimensions: opts.dimensions ?? 48 });
  fs.renameSync(path.join(dir, 'onnx', 'model.onnx'), path.join(dir, 'onnx', 'model_quantized.onnx'));
  const config = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
  delete config.lodestone;
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config, null, 2));
  return dir;
}

export interface HubServer {
  /** `http://127.0.0.1:<port>`: what HF_ENDPOINT is set to. */
  url: string;
  /** `METHOD /path` of every request, in order. */
  requests: string[];
  close(): Promise<void>;
}

/**
 * A loopback HTTP server in the hub's layout: `/<org>/<model>/resolve/main/<file>` serves the files of the
 * model directory registered for `<org>/<model>`; anything else is a 404, as on the hub.
 */
export async function startHubServer(models: Record<string, string>): Promise<HubServer> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const match = /^\/([^/]+\/[^/]+)\/resolve\/main\/(.+)$/.exec(decodeURIComponent(req.url ?? ''));
    const dir = match ? models[match[1]] : undefined;
    const file = dir && match ? path.join(dir, match[2]) : undefined;
    if (!file || !file.startsWith(dir!) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Entry not found');
      return;
    }
    const body = fs.readFileSync(file);
    res.writeHead(200, { 'content-length': body.length, 'content-type': 'application/octet-stream' });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
