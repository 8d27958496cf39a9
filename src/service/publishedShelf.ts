/**
 * /docs with DATABASE_URL: the document goes into the documents table (src/service/collection.ts), then the table is
 * built and published under the build lock (src/service/collectionBuild.ts) and the new generation loaded. No
 * corpus folder is written or needed, so any worker may add or remove and no other machine's document is lost.
 * The same checks as the folder shelf come first; a refused file changes nothing.
 */
import { UserInputError } from '../core/errors.js';
import { formatOfFile } from '../corpus/formats/convert.js';
import { assertChunks, checkDocumentBytes, safeDocumentName, shelfChoices, shelvedDocument, totalPassages, type DocumentShelf, type ShelfService } from './documents.js';

export interface PublishedShelfOptions {
  url: string;
  indexDir: string;
  model?: string;
  onWarning?: (message: string) => void;
}

export function createPublishedShelf(options: PublishedShelfOptions, service: ShelfService): DocumentShelf {
  const shelved = shelvedDocument;
  const total = () => totalPassages(service);

  /** Builds the table as it is now and loads what was published; a failed build is said, the table keeps the change. */
  const publish = async (what: string) => {
    const { buildFromTable } = await import('./collectionBuild.js');
    try {
      await buildFromTable(options.url, { indexDir: options.indexDir, model: options.model, onWarning: options.onWarning });
    } catch (error) {
      const reason = (error as Error).message.split('\n')[0];
      throw new UserInputError(`${what} is saved in the database, but the index could not be rebuilt (${reason}); it is searchable after the next build (\`lodestone ingest\`).`);
    }
    await service.reload();
  };

  return {
    async add(upload) {
      const name = safeDocumentName(upload.filename);
      checkDocumentBytes(name, upload.bytes);
      const title = upload.title?.replace(/\s+/g, ' ').trim();
      await assertChunks(name, upload.bytes, title);
      const started = performance.now();
      const { storeUpload, storedSidecar } = await import('./collection.js');
      // a new title is merged into the sidecar a replaced document had, as the folder shelf does
      const before = upload.replace ? await storedSidecar(options.url, name) : undefined;
      const sidecar = title ? JSON.stringify({ ...(before ? (JSON.parse(before) as object) : {}), title }, null, 2) + '\n' : before;
      const stored = await storeUpload(options.url, { file: name, format: formatOfFile(name) ?? 'md', bytes: upload.bytes, sidecar, addedBy: upload.addedBy }, upload.replace === true);
      await publish(name);
      const added = service.sources().find((s) => s.doc.file === name);
      if (!added) throw new UserInputError(`${name} is saved in the database, but the index in service does not hold it yet; it is searchable after the next build.`);
      return { ...shelved(added), replaced: stored.replaced, totalPassages: total(), seconds: (performance.now() - started) / 1000 };
    },

    list() {
      return service.sources().map(shelved);
    },

    async remove(id) {
      const started = performance.now();
      const { removeStored } = await import('./collection.js');
      const held = service.sources().find((s) => s.doc.id === id.trim());
      const removed = await removeStored(options.url, id);
      await publish(removed.file);
      return { id: removed.id, file: removed.file, title: removed.title ?? held?.doc.title ?? removed.id, passages: held?.passages ?? 0, totalPassages: total(), seconds: (performance.now() - started) / 1000 };
    },

    choices(prefix) {
      return shelfChoices(service, prefix);
    },
  };
}
