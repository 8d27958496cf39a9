/**
 * PostgreSQL with pgvector inside this process: PGlite (Postgres compiled to WebAssembly, pgvector 0.8
 * bundled) served over the wire protocol by pglite-socket, so the very `pg` code that talks to a real server
 * is what runs. For tests and the bench on machines whose PostgreSQL has no pgvector; the packages are
 * devDependencies, loaded only here.
 */
export interface PgliteServer {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` */
  url: string;
  close(): Promise<void>;
}

export const PGLITE_PACKAGES = '@electric-sql/pglite, @electric-sql/pglite-pgvector and @electric-sql/pglite-socket (devDependencies): npm install --include=dev';

/** Starts an in-memory (or `dataDir`) PGlite with pgvector, listening on a free port of 127.0.0.1. */
export async function startPglite(options: { dataDir?: string; maxConnections?: number } = {}): Promise<PgliteServer> {
  let modules: [typeof import('@electric-sql/pglite'), typeof import('@electric-sql/pglite-pgvector'), typeof import('@electric-sql/pglite-socket')];
  try {
    modules = await Promise.all([import('@electric-sql/pglite'), import('@electric-sql/pglite-pgvector'), import('@electric-sql/pglite-socket')]);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') throw new Error(`PGlite needs ${PGLITE_PACKAGES}`);
    throw error;
  }
  const [{ PGlite }, { vector }, { PGLiteSocketServer }] = modules;
  const db = await PGlite.create({ ...(options.dataDir ? { dataDir: options.dataDir } : {}), extensions: { vector } });
  await db.exec('CREATE EXTENSION IF NOT EXISTS vector');
  // several pooled connections share the one PGlite session; a transaction keeps it to itself until it ends
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: options.maxConnections ?? 16 });
  await server.start();
  const port = server.getServerConn().split(':').pop();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
    close: async () => {
      await server.stop();
      await db.close();
    },
  };
}
