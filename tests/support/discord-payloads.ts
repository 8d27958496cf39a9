// Gateway payload builders live beside the server in src/bench/; tests import them from here.
export * from '../../src/bench/discord-payloads.js';
