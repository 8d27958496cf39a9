export { buildPassages, CHUNKER_VERSION, type BuiltPassages } from './build.js';
export { chunkDocument, chunkDocumentWithReport, type ChunkReport } from './chunk.js';
export type { Passage, PassageKind, DocumentInfo } from './passage.js';
